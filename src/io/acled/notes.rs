//! A row's problems kept as data: the row's number, where the problem
//! stands and what it says. A chunk of rows is read before anyone knows how
//! many rows come ahead of it, so its notes hold the chunk's own row number;
//! the text (`row N (event_id_cnty X)`, `… called row-N`) is made once, in
//! the merge, with the row's number in the whole file.

use crate::io::csv::pos::skip_line_ends;
use crate::io::diagnostic::{Diagnostic, LineIndex, TextPos};

/// The row a problem is about: its number (in its chunk) and the
/// `event_id_cnty` it gives (empty when it gives none).
#[derive(Clone, Copy)]
pub(crate) struct RowItem<'r> {
    pub(crate) number: usize,
    pub(crate) given_id: &'r str,
}

/// What a note says.
enum Message {
    Text(String),
    /// `event_id_cnty is empty; the event is called row-N`: the id is made
    /// of the row's number.
    EmptyId,
}

/// One problem of a chunk, its row's number as data.
pub(crate) struct Note {
    /// The row the problem is in, counted from 1 in its chunk.
    pub(crate) row: usize,
    pos: TextPos,
    /// The row's `event_id_cnty` as given (empty when none); `None` when the
    /// problem is about the file (a CSV reader error), not the row.
    given_id: Option<Box<str>>,
    message: Message,
}

impl Note {
    /// The diagnostic, its row counted in the whole file: `rows_before`
    /// rows stand ahead of the chunk.
    pub(crate) fn diagnostic(self, label: &str, rows_before: usize, error: bool) -> Diagnostic {
        let row = self.row + rows_before;
        let item = match self.given_id.as_deref() {
            None => "file".to_owned(),
            Some("") => format!("row {row}"),
            Some(id) => format!("row {row} (event_id_cnty {id})"),
        };
        let message = match self.message {
            Message::Text(m) => m,
            Message::EmptyId => format!("event_id_cnty is empty; the event is called row-{row}"),
        };
        if error {
            Diagnostic::error(label, self.pos, item, message)
        } else {
            Diagnostic::warning(label, self.pos, item, message)
        }
    }
}

/// The problems of the rows of one chunk, each placed by the chunk's line
/// index as it is found.
pub(crate) struct Notes<'l> {
    lines: &'l LineIndex<'l>,
    pub(crate) errors: Vec<Note>,
    pub(crate) warnings: Vec<Note>,
}

impl<'l> Notes<'l> {
    pub(crate) fn new(lines: &'l LineIndex<'l>) -> Self {
        Self {
            lines,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn note(&self, at: usize, item: RowItem<'_>, message: Message) -> Note {
        Note {
            row: item.number,
            pos: self.lines.pos(at),
            given_id: Some(item.given_id.into()),
            message,
        }
    }

    /// An error of the row `item` at byte `at`.
    pub(crate) fn error(&mut self, at: usize, item: RowItem<'_>, message: impl Into<String>) {
        let note = self.note(at, item, Message::Text(message.into()));
        self.errors.push(note);
    }

    /// A warning of the row `item` at byte `at`.
    pub(crate) fn warn(&mut self, at: usize, item: RowItem<'_>, message: impl Into<String>) {
        let note = self.note(at, item, Message::Text(message.into()));
        self.warnings.push(note);
    }

    /// The warning that the row's `event_id_cnty` is empty, so that its
    /// event is called after the row.
    pub(crate) fn empty_id(&mut self, at: usize, item: RowItem<'_>) {
        let note = self.note(at, item, Message::EmptyId);
        self.warnings.push(note);
    }

    /// A CSV reader error in the row numbered `row`, at the record it
    /// happened in (`text` read from `base`).
    pub(crate) fn csv_error(&mut self, row: usize, text: &str, base: usize, e: &csv::Error) {
        let at = e.position().map_or(base, |p| base + p.byte() as usize);
        self.errors.push(Note {
            row,
            pos: self.lines.pos(skip_line_ends(text, at)),
            given_id: None,
            message: Message::Text(e.to_string()),
        });
    }

    /// The position of byte `at`.
    pub(crate) fn pos(&self, at: usize) -> TextPos {
        self.lines.pos(at)
    }

    /// Is there any problem?
    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.warnings.is_empty()
    }
}
