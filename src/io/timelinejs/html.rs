//! TimelineJS HTML reduced to its text.
//!
//! html5gum's tokenizer (the WHATWG tokenizer, html5lib's tests passed)
//! reads the tags, decodes the character references and knows where
//! `<script>` and `<style>` end; this module only decides what the text
//! looks like: runs of spaces as one, a blank line between paragraphs (`p`,
//! `blockquote`, headings, lists, tables, `pre`, `hr`), a line break for
//! `br`, `div`, list items, table rows and definition terms, list items
//! marked `•` (or numbered in an `ol`, indented by nesting up to
//! [`MAX_INDENT`] levels), table cells apart by ` | `, an image by its
//! `alt`. Text inside `pre` keeps its spaces and lines; `script`, `style`,
//! `template`, `title` and frames say nothing.

use std::convert::Infallible;

use html5gum::{Emitter, Error, State, Tokenizer, naive_next_state};

/// The deepest list nesting that indents further.
const MAX_INDENT: usize = 8;

/// The text of a bit of HTML.
pub(crate) fn text_of_html(html: &str) -> String {
    simple_text(html).unwrap_or_else(|| tokenized_text(html))
}

/// The text of HTML whose every `<` opens a bare tag (`<p>`, `</cite>`: a
/// letter, then letters and digits, then `>`), none of them one whose
/// content is text (`script`, `title`, …), and which holds no character
/// reference, NUL or carriage return: what html5gum's tokenizer finds in
/// such HTML is plain to see (the text between the tags, and the tags), so
/// it is read without it. `None` for any other HTML, which the tokenizer
/// reads.
fn simple_text(html: &str) -> Option<String> {
    let bytes = html.as_bytes();
    if memchr::memchr3(b'&', b'\0', b'\r', bytes).is_some() {
        return None;
    }
    let mut text = Text::with_capacity(html.len());
    let mut name = Vec::new();
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        text.push_str(&html[at..lt]);
        let end = bytes.get(lt + 1) == Some(&b'/');
        let from = lt + 1 + usize::from(end);
        let to = from
            + bytes[from..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len() - from);
        if to == from || !bytes[from].is_ascii_alphabetic() || bytes.get(to) != Some(&b'>') {
            return None;
        }
        name.clear();
        name.extend(bytes[from..to].iter().map(u8::to_ascii_lowercase));
        if !end && naive_next_state(&name).is_some() {
            return None;
        }
        // ASCII letters and digits.
        text.tag(!end, std::str::from_utf8(&name).ok()?, None);
        at = to + 1;
    }
    text.push_str(&html[at..]);
    Some(text.finish())
}

/// The text of any HTML, as html5gum's tokenizer reads it.
fn tokenized_text(html: &str) -> String {
    let mut emitter = TextEmitter {
        text: Text::with_capacity(html.len()),
        chars: Vec::new(),
        tag: Vec::new(),
        end: false,
        last_start: Vec::new(),
        attribute: Vec::new(),
        alt: None,
    };
    // Reading a `&str` cannot fail.
    let _ = Tokenizer::new_with_emitter(html, &mut emitter).finish();
    emitter.flush();
    emitter.text.finish()
}

/// What html5gum's tokenizer finds, as text: html5gum's own way to read
/// it fastest, where its token and callback emitters copy every tag.
struct TextEmitter {
    text: Text,
    /// Characters since the last tag (a character may come in parts).
    chars: Vec<u8>,
    /// The name of the tag being read.
    tag: Vec<u8>,
    end: bool,
    /// The last start tag's name: the end of `script` or `title` is its end tag.
    last_start: Vec<u8>,
    attribute: Vec<u8>,
    /// An `img`'s `alt`.
    alt: Option<Vec<u8>>,
}

impl TextEmitter {
    fn flush(&mut self) {
        if !self.chars.is_empty() {
            self.text.push_str(&String::from_utf8_lossy(&self.chars));
            self.chars.clear();
        }
    }

    fn start(&mut self, end: bool) {
        self.flush();
        self.tag.clear();
        self.end = end;
        self.alt = None;
    }
}

impl Emitter for &mut TextEmitter {
    type Token = Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start.clear();
        self.last_start
            .extend_from_slice(last_start_tag.unwrap_or_default());
    }

    fn emit_eof(&mut self) {
        self.flush();
    }

    fn emit_error(&mut self, _: Error) {}

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }

    fn emit_string(&mut self, c: &[u8]) {
        self.chars.extend_from_slice(c);
    }

    fn init_start_tag(&mut self) {
        self.start(false);
    }

    fn init_end_tag(&mut self) {
        self.start(true);
    }

    fn init_comment(&mut self) {
        self.flush();
    }

    fn emit_current_tag(&mut self) -> Option<State> {
        let this = &mut **self;
        let alt = this.alt.take();
        let alt = alt.as_deref().map(String::from_utf8_lossy);
        this.text.tag(
            !this.end,
            &String::from_utf8_lossy(&this.tag),
            alt.as_deref(),
        );
        if this.end {
            this.last_start.clear();
            None
        } else {
            this.last_start.clone_from(&this.tag);
            // `script`, `style`, `title` and the like hold text, not tags.
            naive_next_state(&this.tag)
        }
    }

    fn emit_current_comment(&mut self) {}

    fn emit_current_doctype(&mut self) {}

    fn set_self_closing(&mut self) {}

    fn set_force_quirks(&mut self) {}

    fn push_tag_name(&mut self, s: &[u8]) {
        self.tag.extend_from_slice(s);
    }

    fn push_comment(&mut self, _: &[u8]) {}

    fn push_doctype_name(&mut self, _: &[u8]) {}

    fn init_doctype(&mut self) {
        self.flush();
    }

    fn init_attribute(&mut self) {
        self.attribute.clear();
    }

    fn push_attribute_name(&mut self, s: &[u8]) {
        self.attribute.extend_from_slice(s);
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        if !self.end && self.attribute == b"alt" {
            self.alt.get_or_insert_with(Vec::new).extend_from_slice(s);
        }
    }

    fn set_doctype_public_identifier(&mut self, _: &[u8]) {}

    fn set_doctype_system_identifier(&mut self, _: &[u8]) {}

    fn push_doctype_public_identifier(&mut self, _: &[u8]) {}

    fn push_doctype_system_identifier(&mut self, _: &[u8]) {}

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        self.end && !self.last_start.is_empty() && self.tag == self.last_start
    }
}

/// How far apart the text on either side of a tag stands.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    Line,
    Paragraph,
}

/// The lists a list item may stand in: a bullet, or the next number.
enum List {
    Bullets,
    Numbers(u32),
}

struct Text {
    out: String,
    /// A space is owed before the next word.
    space: bool,
    /// Line breaks owed before the next word (`br` adds up).
    breaks: u8,
    /// Inside `script`, `style` and the like.
    silent: u32,
    /// Inside `pre`.
    pre: u32,
    lists: Vec<List>,
    /// A cell of this row has been written.
    cell: bool,
}

impl Text {
    fn with_capacity(n: usize) -> Self {
        Self {
            out: String::with_capacity(n),
            space: false,
            breaks: 0,
            silent: 0,
            pre: 0,
            lists: Vec::new(),
            cell: false,
        }
    }

    fn gap(&mut self, gap: Gap) {
        let n = match gap {
            Gap::Line => 1,
            Gap::Paragraph => 2,
        };
        self.breaks = self.breaks.max(n);
        self.space = false;
    }

    /// Owed breaks and space, before text.
    fn settle(&mut self) {
        if self.out.is_empty() {
            self.breaks = 0;
            self.space = false;
            return;
        }
        if self.breaks > 0 {
            while self.out.ends_with(' ') {
                self.out.pop();
            }
            for _ in 0..self.breaks {
                self.out.push('\n');
            }
        } else if self.space && !self.out.ends_with([' ', '\n']) {
            self.out.push(' ');
        }
        self.breaks = 0;
        self.space = false;
    }

    fn push_str(&mut self, s: &str) {
        if self.silent > 0 {
            return;
        }
        if self.pre > 0 {
            if !s.is_empty() {
                self.settle();
                self.out.push_str(s);
            }
            return;
        }
        // HTML collapses its own white space (not U+00A0, which it shows).
        // Its spaces are ASCII bytes, so the text is cut between bytes
        // (always at a character's edge), never decoded.
        let bytes = s.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let word = at;
            // Words apart by one space each are written as they stand, at once.
            loop {
                while at < bytes.len() && !is_html_space_byte(bytes[at]) {
                    at += 1;
                }
                if at > word
                    && bytes.get(at) == Some(&b' ')
                    && bytes.get(at + 1).is_some_and(|&b| !is_html_space_byte(b))
                {
                    at += 1;
                } else {
                    break;
                }
            }
            if at > word {
                self.settle();
                self.out.push_str(&s[word..at]);
            }
            let spaces = at;
            while at < bytes.len() && is_html_space_byte(bytes[at]) {
                at += 1;
            }
            if at > spaces {
                self.space = true;
            }
        }
    }

    fn tag(&mut self, start: bool, name: &str, alt: Option<&str>) {
        match name {
            "script" | "style" | "title" | "template" | "iframe" | "noembed" | "noframes"
            | "noscript" => {
                self.silent = if start {
                    self.silent + 1
                } else {
                    self.silent.saturating_sub(1)
                };
            }
            // `</br>` is a `<br>` too, as browsers read it.
            "br" => {
                self.breaks = (self.breaks + 1).min(2);
                self.space = false;
            }
            "pre" => {
                self.gap(Gap::Paragraph);
                self.pre = if start {
                    self.pre + 1
                } else {
                    self.pre.saturating_sub(1)
                };
            }
            "ul" | "ol" => {
                let nested = if start {
                    !self.lists.is_empty()
                } else {
                    self.lists.len() > 1
                };
                self.gap(if nested { Gap::Line } else { Gap::Paragraph });
                if start {
                    self.lists.push(if name == "ol" {
                        List::Numbers(0)
                    } else {
                        List::Bullets
                    });
                } else {
                    self.lists.pop();
                }
            }
            "li" => {
                self.gap(Gap::Line);
                if start && self.silent == 0 {
                    let depth = self.lists.len().saturating_sub(1);
                    let mark = match self.lists.last_mut() {
                        Some(List::Numbers(n)) => {
                            *n += 1;
                            format!("{n}. ")
                        }
                        _ => "• ".to_owned(),
                    };
                    self.settle();
                    // Bounded: a stranger's file may nest lists thousands deep.
                    for _ in 0..depth.min(MAX_INDENT) {
                        self.out.push_str("  ");
                    }
                    self.out.push_str(&mark);
                }
            }
            "tr" => {
                self.gap(Gap::Line);
                self.cell = false;
            }
            "td" | "th" if start => {
                if self.cell && self.breaks == 0 {
                    self.settle();
                    self.out.push_str(" | ");
                }
                self.cell = true;
            }
            "img" => {
                if let Some(alt) = alt.filter(|a| !a.trim().is_empty()) {
                    self.space = true;
                    self.push_str(alt);
                    self.space = true;
                }
            }
            "p" | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "hr"
            | "dl" | "figure" | "address" | "article" | "aside" | "section" | "header"
            | "footer" | "main" | "nav" | "details" | "fieldset" | "form" => {
                self.gap(Gap::Paragraph);
            }
            "div" | "dt" | "dd" | "figcaption" | "caption" | "summary" | "legend" | "center"
            | "tbody" | "thead" | "tfoot" => self.gap(Gap::Line),
            _ => {}
        }
    }

    /// The text, trimmed, in no more memory than it needs: it was given room
    /// for the whole HTML, and an event keeps its text.
    fn finish(self) -> String {
        let text = self.out.trim_matches(is_html_space);
        if text.len() == self.out.len() {
            let mut out = self.out;
            out.shrink_to_fit();
            out
        } else {
            text.to_owned()
        }
    }
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// [`is_html_space`] of a byte: every HTML space is one ASCII byte.
fn is_html_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
