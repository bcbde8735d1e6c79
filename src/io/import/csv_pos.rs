//! Positions in CSV text, for errors that point at the exact cell: the
//! `csv` crate gives a record's start, not where each (quoted) field begins.

/// Skips line ends (a record's position may stand on the previous one's end).
pub(super) fn skip_line_ends(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// The byte offset of each field's content in the record starting at
/// `start` (after an opening quote for a quoted field), and where the record ends.
pub(super) fn field_starts(text: &str, start: usize) -> (Vec<usize>, usize) {
    let bytes = text.as_bytes();
    let mut i = skip_line_ends(text, start);
    let mut starts = Vec::new();
    loop {
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            starts.push(i);
            loop {
                match bytes.get(i) {
                    None => break,
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
        } else {
            starts.push(i);
        }
        while let Some(&c) = bytes.get(i) {
            if matches!(c, b',' | b'\n' | b'\r') {
                break;
            }
            i += 1;
        }
        if bytes.get(i) == Some(&b',') {
            i += 1;
        } else {
            return (starts, i.min(text.len()));
        }
    }
}
