//! TimelineJS texts: HTML reduced to its text (see [`super::html`]), short
//! labels of items, id slugs, and blank cells as none.

use std::path::Path;

use super::LABEL_CHARS;

/// The text of a bit of TimelineJS HTML: tags dropped, entities decoded,
/// paragraphs separated by a blank line (see [`super::html`]).
pub(crate) fn strip_html(html: &str) -> String {
    if html.contains(['<', '&']) {
        super::html::text_of_html(html)
    } else {
        collapse(html)
    }
}

/// Runs of whitespace as one space, as HTML shows them.
pub(crate) fn collapse(text: &str) -> String {
    // ASCII words apart by single spaces (a headline, mostly) are as they stand.
    let bytes = text.as_bytes();
    let plain = text.is_ascii()
        && bytes.first().is_none_or(|&b| b != b' ')
        && bytes.last().is_none_or(|&b| b != b' ')
        && !bytes
            .iter()
            .any(|&b| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        && memchr::memmem::find(bytes, b"  ").is_none();
    if plain {
        return text.to_owned();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The start of a text, at most `max` characters, cut at a word with `…`.
pub(crate) fn short(text: &str, max: usize) -> String {
    let text = collapse(text);
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut.get(..i).unwrap_or(&cut).to_owned(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// A lower-case id of the letters and digits of `text`, joined by `-`.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.chars().count() >= 40 {
            break;
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "event".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// `event 3 ("Headline…")`, or `event 3` without a headline.
pub(crate) fn item_label(kind: &str, n: usize, headline: &str) -> String {
    if headline.trim().is_empty() {
        format!("{kind} {n}")
    } else {
        format!("{kind} {n} ({:?})", short(headline, LABEL_CHARS))
    }
}

/// The file name of a label that is a path.
pub(crate) fn file_stem(label: &str) -> String {
    Path::new(label)
        .file_stem()
        .and_then(|n| n.to_str())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("Imported timeline")
        .to_owned()
}

/// `s` trimmed, moved when it needs no trimming; `None` if blank.
pub(crate) fn non_empty_owned(s: String) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else if t.len() == s.len() {
        Some(s)
    } else {
        Some(t.to_owned())
    }
}

pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}
