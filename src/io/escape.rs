//! Text from a file, made safe to print or show: a dataset must not be able
//! to send escape sequences to a terminal, or make a line read differently
//! from what it holds.

use std::borrow::Cow;

/// Characters that change how text reads without being seen: bidirectional
/// embeddings, overrides and isolates, and zero-width characters.
#[must_use]
pub fn is_invisible_control(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' // zero-width space, joiners, LRM, RLM
            | '\u{202A}'..='\u{202E}' // embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{061C}' // Arabic letter mark
            | '\u{FEFF}' // zero-width no-break space
    )
}

/// Does `c` need escaping before it is printed?
fn needs_escape(c: char) -> bool {
    c.is_control() || is_invisible_control(c)
}

/// `text` with control characters (C0, DEL, C1) and invisible bidirectional
/// or zero-width characters written as escapes (`\n`, `\t`, `\u{1b}`), so it
/// prints as what it holds. Borrows when nothing needs escaping.
///
/// ```
/// use mapline::io::escape::escaped;
/// assert_eq!(escaped("plain"), "plain");
/// assert_eq!(escaped("a\u{1b}[31mred"), "a\\u{1b}[31mred");
/// assert_eq!(escaped("line\nnext"), "line\\nnext");
/// ```
#[must_use]
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_or_a_reader_would_obey() {
        assert_eq!(escaped("\u{7}\u{7f}\u{9b}"), "\\u{7}\\u{7f}\\u{9b}");
        assert_eq!(escaped("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(escaped("zero\u{200b}width"), "zero\\u{200b}width");
        assert_eq!(escaped("Durrës “quoted”"), "Durrës “quoted”");
    }
}
