//! The edits behind the authoring gestures: adding an article (its text
//! kept under `sources/`, its SHA-256 computed, never typed), and citing a
//! selected passage of an article as an event's excerpt, with its
//! `occurrence` found by the same search the loader proves quotes with.

use std::ops::Range;

use sha2::{Digest as _, Sha256};

use super::{Edit, EditError, Entry, Kind, Story};
use crate::io::format::{EventEntry, ExcerptEntry, SourceEntry};
use crate::io::quote::{FoldedText, QuoteQuery, QuoteResult, find_quotes, fold_quote};

/// What the *Add a source* form asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceForm {
    /// The outlet as the text shows it.
    pub outlet: String,
    /// The headline.
    pub title: String,
    /// Named authors.
    pub authors: Vec<String>,
    /// Publication time as EDTF, if known.
    pub published: Option<String>,
    /// A short perspective tag ("US wire").
    pub perspective: String,
    /// Licence or copyright note.
    pub licence: String,
    /// Where it was published (kept as a citation, never fetched).
    pub url: Option<String>,
}

impl Story {
    /// An id for a new entry of `kind` made from `name` in ASCII
    /// (`Durrës` gives `durres`), not yet used.
    #[must_use]
    pub fn fresh_id(&self, kind: Kind, name: &str) -> String {
        let base = crate::io::ids::slug(&deunicode::deunicode(name), kind.word());
        let mut id = base.clone();
        let mut n = 2;
        while self.position(kind, &id).is_some()
            || (kind == Kind::Source && self.article(&article_file(&id)).is_some())
        {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// The edit that adds an article: its text as `sources/ID.txt` and its
    /// entry, with the text's SHA-256, after the other sources.
    #[must_use]
    pub fn add_source(&self, form: SourceForm, text: &str) -> Edit {
        let id = self.fresh_id(Kind::Source, &format!("{} {}", form.outlet, form.title));
        let file = article_file(&id);
        let entry = SourceEntry {
            id,
            outlet: form.outlet,
            title: form.title,
            authors: form.authors,
            published: form.published,
            published_note: None,
            perspective: form.perspective,
            actor: None,
            url: form.url,
            licence: form.licence,
            file: file.clone(),
            sha256: format!("{:x}", Sha256::digest(text.as_bytes())),
        };
        Edit::Group {
            edits: vec![
                Edit::SetArticle {
                    file,
                    text: Some(text.to_owned()),
                },
                Edit::Insert {
                    at: self.len(Kind::Source),
                    entry: Entry::Source(entry),
                },
            ],
        }
    }

    /// The excerpt that `span` (bytes) of source `source`'s article is:
    /// the passage as selected (white space around it left out), with
    /// `occurrence` set when the same words stand more than once.
    ///
    /// # Errors
    /// No such source or article, an empty selection, or one that does not
    /// lie in the article on character boundaries.
    pub fn excerpt_at(&self, source: &str, span: Range<usize>) -> Result<ExcerptEntry, EditError> {
        let unknown = || EditError::UnknownId {
            kind: Kind::Source,
            id: source.to_owned(),
        };
        let at = self.position(Kind::Source, source).ok_or_else(unknown)?;
        let file = &self.manifest.sources[at].file;
        let text = self.article(file).ok_or_else(unknown)?;
        let selected = text.get(span.clone()).ok_or(EditError::NotInArticle {
            start: span.start,
            end: span.end,
        })?;
        let quote = selected.trim();
        if quote.is_empty() {
            return Err(EditError::EmptySelection);
        }
        let start = span.start + (selected.len() - selected.trim_start().len());
        // Which occurrence, as the loader will count them.
        let folded = FoldedText::new(text);
        let query = |occurrence| QuoteQuery {
            folded: fold_quote(quote),
            occurrence,
        };
        let count = match find_quotes(&folded, &[query(1)]).first() {
            Some(QuoteResult::Found { count, .. }) => *count,
            _ => 1,
        };
        let occurrence = (1..=count).find(|&k| {
            matches!(find_quotes(&folded, &[query(k)]).first(),
                Some(QuoteResult::Found { span, .. }) if span.start == start)
        });
        Ok(ExcerptEntry {
            source: source.to_owned(),
            quote: quote.to_owned(),
            occurrence: occurrence.filter(|_| count > 1),
            note: None,
        })
    }

    /// The edit citing `span` of `source`'s article as an excerpt of the
    /// event `event`.
    ///
    /// # Errors
    /// No such event, or the selection as [`Self::excerpt_at`].
    pub fn cite(&self, event: &str, source: &str, span: Range<usize>) -> Result<Edit, EditError> {
        let at = self
            .position(Kind::Event, event)
            .ok_or_else(|| EditError::UnknownId {
                kind: Kind::Event,
                id: event.to_owned(),
            })?;
        let mut entry = self.manifest.events[at].clone();
        entry.excerpts.push(self.excerpt_at(source, span)?);
        Ok(Edit::Replace {
            at,
            entry: Entry::Event(Box::new(entry)),
        })
    }

    /// The edit adding `event` (its id made fresh from its title when
    /// empty) with `span` of `source`'s article as its first excerpt.
    ///
    /// # Errors
    /// The selection as [`Self::excerpt_at`].
    pub fn new_event_citing(
        &self,
        mut event: EventEntry,
        source: &str,
        span: Range<usize>,
    ) -> Result<Edit, EditError> {
        if event.id.is_empty() {
            event.id = self.fresh_id(Kind::Event, &event.title);
        }
        event.excerpts.push(self.excerpt_at(source, span)?);
        Ok(Edit::Insert {
            at: self.len(Kind::Event),
            entry: Entry::Event(Box::new(event)),
        })
    }
}

/// Where the article of source `id` is kept.
fn article_file(id: &str) -> String {
    format!("sources/{id}.txt")
}
