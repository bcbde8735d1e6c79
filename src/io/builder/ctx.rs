//! Where things stand: the files a build reads, an entry's span in one of
//! them, the item that names and locates an entry, and the context that
//! turns a place in a file into a located diagnostic.

use crate::io::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::io::json_at::Step;

/// A position in one of the loaded text files.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Loc {
    pub(crate) file: usize,
    pub(crate) offset: usize,
}

/// Where an entry stands: the file it was read from and its bytes there,
/// taken while it was read. An imported row's span is empty at its start
/// (its text is not JSON, or no longer held): what is inside it is then
/// located at the entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    start: usize,
    len: u32,
    file: u32,
}

impl Span {
    /// The bytes `start..end` of file `file` (as the builder's context
    /// numbers them); a span longer than 4 GiB is cut to its start.
    #[must_use]
    pub fn new(file: usize, start: usize, end: usize) -> Self {
        Self {
            start,
            len: u32::try_from(end.saturating_sub(start)).unwrap_or(0),
            file: u32::try_from(file).unwrap_or(u32::MAX),
        }
    }

    /// Only the start of an entry: where it begins in file `file`.
    #[must_use]
    pub fn at(file: usize, start: usize) -> Self {
        Self::new(file, start, start)
    }

    /// Where it starts.
    pub(crate) fn loc(self) -> Loc {
        Loc {
            file: self.file as usize,
            offset: self.start,
        }
    }

    /// Its bytes, as offsets.
    pub(crate) fn range(self) -> std::ops::Range<usize> {
        self.start..self.start + self.len as usize
    }
}

/// One entry as the builder names and locates it: its kind, its typed id,
/// its position in its list and its span.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item<'e> {
    pub(crate) id: &'e str,
    pub(crate) span: Span,
    pub(crate) kind: &'static str,
    pub(crate) index: usize,
}

impl<'e> Item<'e> {
    pub(crate) fn new(kind: &'static str, index: usize, id: &'e str, span: Span) -> Self {
        Self {
            id,
            span,
            kind,
            index,
        }
    }

    /// `event cyberattack-2022-07-15`, or `event #3` when its id is empty.
    pub(crate) fn label(&self) -> String {
        if self.id.is_empty() {
            format!("{} #{}", self.kind, self.index + 1)
        } else {
            format!("{} {}", self.kind, self.id)
        }
    }

    /// Where the entry starts.
    pub(crate) fn loc(&self) -> Loc {
        self.span.loc()
    }
}

pub(crate) struct Ctx<'t> {
    pub(crate) files: Vec<(String, &'t str, LineIndex<'t>)>,
    pub(crate) diags: Vec<Diagnostic>,
}

impl<'t> Ctx<'t> {
    pub(crate) fn add_file(&mut self, label: String, text: &'t str) -> usize {
        self.files.push((label, text, LineIndex::new(text)));
        self.files.len() - 1
    }

    pub(crate) fn report(&mut self, severity: Severity, at: Loc, item: &str, message: String) {
        let (label, _, index) = &self.files[at.file];
        let pos = index.pos(at.offset);
        let d = Diagnostic::error(label.clone(), pos, item, message);
        self.diags.push(Diagnostic { severity, ..d });
    }

    pub(crate) fn error(&mut self, at: Loc, item: &str, message: impl Into<String>) {
        self.report(Severity::Error, at, item, message.into());
    }

    pub(crate) fn warn(&mut self, at: Loc, item: &str, message: impl Into<String>) {
        self.report(Severity::Warning, at, item, message.into());
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }

    /// Byte offset of `inner` (a slice of file `file`'s text).
    pub(crate) fn offset_in(&self, file: usize, inner: &str) -> usize {
        (inner.as_ptr() as usize).saturating_sub(self.files[file].1.as_ptr() as usize)
    }

    /// The member `path` leads to inside the text of `span`, found again
    /// from the span (only when a diagnostic needs it).
    fn member(&self, span: Span, path: &[Step<'_>]) -> Option<(Loc, Option<Loc>)> {
        let text = self.files.get(span.file as usize)?.1.get(span.range())?;
        let m = crate::io::json_at::find(text, path)?;
        let loc = |at: usize| Loc {
            file: span.file as usize,
            offset: span.start + at,
        };
        Some((loc(m.value), m.key.map(loc)))
    }

    /// Where the value at `path` inside `span` stands (the span's start
    /// when it is not found there).
    pub(crate) fn value_at(&self, span: Span, path: &[Step<'_>]) -> Loc {
        self.member(span, path)
            .map_or(span.loc(), |(value, _)| value)
    }

    /// Where the key of the member at `path` inside `span` stands (its
    /// value's, for an element of a list; the span's start when neither is
    /// found).
    pub(crate) fn key_at(&self, span: Span, path: &[Step<'_>]) -> Loc {
        self.member(span, path)
            .map_or(span.loc(), |(value, key)| key.unwrap_or(value))
    }

    /// Turns a `serde_json` error inside the text starting at `base` into a
    /// location and a message without serde's own position suffix.
    pub(crate) fn json_error_loc(
        &self,
        file: usize,
        base: usize,
        err: &serde_json::Error,
    ) -> (Loc, String) {
        let offset = self.files[file]
            .2
            .offset_of_json_pos(base, err.line(), err.column());
        (
            Loc { file, offset },
            crate::io::diagnostic::strip_position(err),
        )
    }
}

/// Reports every key that stands twice in one object of file `file` (from
/// `base`), at the second, naming the first; `true` if any.
pub(crate) fn duplicate_keys_found(ctx: &mut Ctx<'_>, file: usize, base: usize) -> bool {
    let text = ctx.files[file].1.get(base..).unwrap_or_default();
    let found = crate::io::json_keys::duplicate_keys(text, crate::io::MAX_DIAGNOSTICS);
    for d in &found {
        let first = ctx.files[file].2.pos(base + d.first);
        ctx.error(
            Loc {
                file,
                offset: base + d.second,
            },
            &d.path,
            crate::io::json_keys::message(d, first),
        );
    }
    !found.is_empty()
}
