//! Positions in CSV text, for errors that point at the exact cell: the
//! `csv` crate gives a record's start, not where each (quoted) field begins.

/// Skips line ends (a record's position may stand on the previous one's end).
pub(crate) fn skip_line_ends(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// The byte offset of each field's content in the record starting at
/// `start` (after an opening quote for a quoted field), and where the record ends.
pub(crate) fn field_starts(text: &str, start: usize) -> (Vec<usize>, usize) {
    let mut starts = Vec::new();
    let end = field_starts_into(text, start, &mut starts);
    (starts, end)
}

/// [`field_starts`] into a list that is cleared first (reused row after
/// row, so a million rows make no million lists); where the record ends.
pub(crate) fn field_starts_into(text: &str, start: usize, starts: &mut Vec<usize>) -> usize {
    starts.clear();
    let bytes = text.as_bytes();
    let mut i = skip_line_ends(text, start);
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
            return i.min(text.len());
        }
    }
}

/// The first header name that stands twice (compared as `key` folds it),
/// reported at the second one's cell, naming both columns: readers disagree
/// on which of two same-named columns counts, so mapline reads neither.
pub(crate) fn duplicate_column(
    found: &mut crate::io::imported::Found<'_>,
    header: &csv::StringRecord,
    header_at: usize,
    key: impl Fn(&str) -> String,
) -> bool {
    let (starts, _) = field_starts(found.text, header_at);
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut any = false;
    for (i, name) in header.iter().enumerate() {
        let folded = key(name);
        if folded.is_empty() {
            continue;
        }
        if let Some(&first) = seen.get(&folded) {
            let at = starts.get(i).copied().unwrap_or(header_at);
            found.error(
                at,
                "header",
                format!(
                    "duplicate column {:?}: column {} repeats column {} ({:?}); mapline reads neither, rename or remove one",
                    name.trim(),
                    i + 1,
                    first + 1,
                    header.get(first).unwrap_or_default().trim(),
                ),
            );
            any = true;
        } else {
            seen.insert(folded, i);
        }
    }
    any
}
