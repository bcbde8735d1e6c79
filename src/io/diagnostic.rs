//! Diagnostics: what is wrong, and exactly where.

use std::fmt;

use super::escape::escaped;

/// Whether a diagnostic stops the load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The dataset cannot be used.
    Error,
    /// The dataset loads, but something deserves a look.
    Warning,
}

/// One problem in a dataset: the file, line and column (1-based, columns in
/// characters), the item it concerns, and what is wrong.
///
/// Displays as `file:line:column: item: message` (with `warning: ` before the
/// message for warnings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The item: `event cyberattack-2022-07-15`, `place tirana`, `dataset`.
    pub item: String,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// An error.
    #[must_use]
    pub fn error(
        file: impl Into<String>,
        pos: TextPos,
        item: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line: pos.line,
            column: pos.column,
            item: item.into(),
            message: message.into(),
        }
    }

    /// A warning.
    #[must_use]
    pub fn warning(
        file: impl Into<String>,
        pos: TextPos,
        item: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, pos, item, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let warning = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        // What a file says is escaped: a dataset must not reach the terminal.
        write!(
            f,
            "{}:{}:{}: {}: {warning}{}",
            escaped(&self.file),
            self.line,
            self.column,
            escaped(&self.item),
            escaped(&self.message)
        )
    }
}

/// All the errors that stopped a load (never empty).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} error(s) in the dataset:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct DatasetErrors(pub Vec<Diagnostic>);

/// A 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextPos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

impl TextPos {
    /// The start of a file.
    pub const START: Self = Self { line: 1, column: 1 };

    /// The position of byte `at` of `bytes` (clamped), which need not be
    /// UTF-8 throughout: lines are counted by `\n`, and the column in
    /// characters from the line's start. One pass, for one diagnostic.
    #[must_use]
    pub fn of_byte(bytes: &[u8], at: usize) -> Self {
        let before = &bytes[..at.min(bytes.len())];
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |n| n + 1);
        Self {
            line: memchr::memchr_iter(b'\n', before).count() + 1,
            column: char_starts(&before[line_start..]) + 1,
        }
    }
}

/// Line starts of a text, to turn byte offsets into lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Lines before the text (a block of a file read in blocks).
    base_line: usize,
    /// Or, for a text no longer held, the positions of the offsets that
    /// diagnostics can name, sorted by offset.
    fixed: Vec<(usize, TextPos)>,
    /// Characters before each [`MARK_BYTES`] of the text, made the first
    /// time a column is asked for far into a long line (a minified file is
    /// one line): a column then costs at most a mark's bytes counted, never
    /// a count from the line's start.
    marks: std::sync::OnceLock<Vec<usize>>,
}

/// Bytes between two character counts in [`LineIndex`]'s marks.
const MARK_BYTES: usize = 4096;

/// Characters that start in `bytes` (each byte that is not a UTF-8
/// continuation byte starts one).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text` (`\n`, so `\r\n` works too).
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        // memchr's vector search: `match_indices` costs a call per line.
        let mut starts = Vec::with_capacity(text.len() / 64 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            text,
            starts,
            base_line: 0,
            fixed: Vec::new(),
            marks: std::sync::OnceLock::new(),
        }
    }

    /// [`Self::new`] for a block of a file that starts at a line start,
    /// after `base_line` lines: lines are counted in the whole file.
    #[must_use]
    pub fn with_base_line(text: &'a str, base_line: usize) -> Self {
        Self {
            base_line,
            ..Self::new(text)
        }
    }

    /// How many line breaks the text holds.
    #[must_use]
    pub fn line_breaks(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// An index for a text no longer held, answering from positions found
    /// while it was: an offset gets the position of the nearest one at or
    /// before it. A million rows' positions take 24 MB, not the file's size.
    #[must_use]
    pub fn from_positions(mut positions: Vec<(usize, TextPos)>) -> LineIndex<'static> {
        use rayon::prelude::*;
        positions.par_sort_unstable_by_key(|&(o, _)| o);
        positions.dedup_by_key(|&mut (o, _)| o);
        if positions.first().is_none_or(|&(o, _)| o > 0) {
            positions.insert(0, (0, TextPos::START));
        }
        LineIndex {
            text: "",
            starts: Vec::new(),
            base_line: 0,
            fixed: positions,
            marks: std::sync::OnceLock::new(),
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    #[must_use]
    pub fn pos(&self, offset: usize) -> TextPos {
        if !self.fixed.is_empty() {
            let i = self.fixed.partition_point(|&(o, _)| o <= offset).max(1);
            return self.fixed[i - 1].1;
        }
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        TextPos {
            line: line + self.base_line,
            column: self.chars_between(start, offset) + 1,
        }
    }

    /// The positions of `offsets` in one pass when they are in order (the
    /// items of a file, as a reader finds them): each column is counted on
    /// from the one before on the same line, so a file on one line costs its
    /// length once, not once per item.
    #[must_use]
    pub fn positions(&self, offsets: &[usize]) -> Vec<TextPos> {
        let mut out = Vec::with_capacity(offsets.len());
        let mut last: Option<(usize, TextPos)> = None;
        for &offset in offsets {
            let offset = offset.min(self.text.len());
            let pos = match last {
                Some((at, pos))
                    if self.fixed.is_empty()
                        && at <= offset
                        && !self.text.as_bytes()[at..offset].contains(&b'\n') =>
                {
                    TextPos {
                        line: pos.line,
                        column: pos.column + self.chars_between(at, offset),
                    }
                }
                _ => self.pos(offset),
            };
            out.push(pos);
            last = Some((offset, pos));
        }
        out
    }

    /// Characters in `text[from..to]` (`to` moved back to a character
    /// boundary), counted at once over a short stretch and from the marks
    /// over a long one.
    fn chars_between(&self, from: usize, to: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut to = to.min(bytes.len());
        while !self.text.is_char_boundary(to) {
            to -= 1;
        }
        if to <= from {
            return 0;
        }
        if to - from <= 2 * MARK_BYTES {
            return char_starts(&bytes[from..to]);
        }
        self.chars_before(to) - self.chars_before(from)
    }

    /// Characters that start before byte `at`.
    fn chars_before(&self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let marks = self.marks.get_or_init(|| {
            let mut marks = Vec::with_capacity(bytes.len() / MARK_BYTES + 1);
            let mut count = 0;
            marks.push(0);
            for block in bytes.chunks_exact(MARK_BYTES) {
                count += char_starts(block);
                marks.push(count);
            }
            marks
        });
        let block = at / MARK_BYTES;
        marks[block] + char_starts(&bytes[block * MARK_BYTES..at])
    }

    /// Byte offset of a 1-based line and a 1-based *byte* column, as
    /// `serde_json` reports them, relative to `base` (the offset where the
    /// parsed text starts in this text).
    #[must_use]
    pub fn offset_of_json_pos(&self, base: usize, line: usize, column: usize) -> usize {
        let base_line = self.starts.partition_point(|&s| s <= base).max(1);
        let target_line = base_line + line.saturating_sub(1);
        let line_start = if line <= 1 {
            base
        } else {
            self.starts
                .get(target_line - 1)
                .copied()
                .unwrap_or(self.text.len())
        };
        (line_start + column.saturating_sub(1)).min(self.text.len())
    }
}

/// `serde_json`'s message without its " at line L column C" suffix (the
/// diagnostic gives the position itself).
#[must_use]
pub fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let text = "ab\n“é”x\r\nz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.pos(0), TextPos { line: 1, column: 1 });
        assert_eq!(idx.pos(3), TextPos { line: 2, column: 1 });
        let x = text.find('x').unwrap_or_default();
        assert_eq!(idx.pos(x), TextPos { line: 2, column: 4 });
        let z = text.find('z').unwrap_or_default();
        assert_eq!(idx.pos(z), TextPos { line: 3, column: 1 });
        assert_eq!(idx.offset_of_json_pos(3, 1, 2), 4);
        assert_eq!(idx.offset_of_json_pos(0, 3, 1), z);
    }

    #[test]
    fn columns_far_into_a_long_line_are_counted_from_the_marks() {
        // Three lines, the second 100,000 characters of one, two and three
        // bytes: every column as a count from the line's start gives it.
        let long: String = "aé“".repeat(33_334);
        let text = format!("x\n{long}\nz");
        let idx = LineIndex::new(&text);
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(997).collect();
        offsets.push(text.len());
        let slow = |o: usize| {
            let start = text[..o].rfind('\n').map_or(0, |n| n + 1);
            TextPos {
                line: text[..o].matches('\n').count() + 1,
                column: text[start..o].chars().count() + 1,
            }
        };
        let one_pass = idx.positions(&offsets);
        for (&o, &p) in offsets.iter().zip(&one_pass) {
            assert_eq!(idx.pos(o), slow(o), "offset {o}");
            assert_eq!(p, slow(o), "offset {o} in one pass");
        }
        // Inside a character: the character's own column.
        let inside = text.find('é').unwrap_or_default() + 1;
        assert_eq!(idx.pos(inside), slow(inside - 1));
        // Out of order, positions still answer each one.
        let back: Vec<usize> = offsets.iter().rev().copied().collect();
        let answered = idx.positions(&back);
        assert!(back.iter().zip(&answered).all(|(&o, &p)| p == slow(o)));
    }
}
