//! Duplicate keys in JSON: one rule for every reader.
//!
//! JSON leaves a repeated key undefined, and readers disagree: one keeps the
//! first, another the last, `serde_json::Value` silently keeps the last. A
//! dataset that says `"lat"` twice says two things, so mapline refuses it,
//! at the second key, naming the first. This scan runs before a reader parses
//! the text; it walks the text with an explicit stack (no recursion, so deep
//! nesting cannot overflow), never allocates for a key without escapes, and
//! stops quietly at broken JSON, which the reader then reports.

use std::borrow::Cow;
use std::collections::HashMap;

/// A key that stands twice in one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key, unescaped.
    pub key: String,
    /// Byte offset of the first occurrence (its opening quote).
    pub first: usize,
    /// Byte offset of the second occurrence.
    pub second: usize,
    /// Where the object stands: `events[3].start_date`, or `.` at the top.
    pub path: String,
}

/// The keys of one object seen so far: a short list, or a map once long.
enum Keys<'t> {
    Few(Vec<(Cow<'t, str>, usize)>),
    Many(HashMap<Cow<'t, str>, usize>),
}

impl<'t> Keys<'t> {
    /// Adds `key` at `at`; the earlier offset if it was there already.
    fn add(&mut self, key: Cow<'t, str>, at: usize) -> Option<usize> {
        match self {
            Keys::Few(list) => {
                if let Some((_, first)) = list.iter().find(|(k, _)| *k == key) {
                    return Some(*first);
                }
                list.push((key, at));
                if list.len() > 16 {
                    *self = Keys::Many(std::mem::take(list).into_iter().collect());
                }
                None
            }
            Keys::Many(map) => {
                if let Some(first) = map.get(&key) {
                    return Some(*first);
                }
                map.insert(key, at);
                None
            }
        }
    }
}

enum Frame<'t> {
    Object {
        keys: Keys<'t>,
        current: Option<Cow<'t, str>>,
        expect_key: bool,
    },
    Array {
        index: usize,
    },
}

fn path_of(stack: &[Frame<'_>]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object {
                current: Some(k), ..
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { .. } => {}
            Frame::Array { index } => {
                use std::fmt::Write as _;
                let _ = write!(path, "[{index}]");
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The message for a duplicate key whose first occurrence stands at `first`.
#[must_use]
pub fn message(d: &DuplicateKey, first: crate::io::diagnostic::TextPos) -> String {
    format!(
        "duplicate key {:?}: it stands first at line {}, column {}; JSON readers disagree on which one counts, so mapline reads neither: remove one",
        d.key, first.line, first.column
    )
}

/// The end (exclusive) of the string whose opening quote is at `start`.
pub(crate) fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        let rest = bytes.get(i..)?;
        let j = memchr::memchr2(b'"', b'\\', rest)?;
        i += j;
        if bytes[i] == b'\\' {
            i += 2;
        } else {
            return Some(i + 1);
        }
    }
}

/// Every key that repeats within its object in `text` (one JSON value, or
/// several one after another as in JSON Lines), at most `max` of them.
#[must_use]
pub fn duplicate_keys(text: &str, max: usize) -> Vec<DuplicateKey> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    // The key lists of closed objects, emptied, for the next ones: a file
    // of slides opens hundreds of thousands of small objects.
    let mut spare: Vec<Vec<(Cow<'_, str>, usize)>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() && found.len() < max {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object {
                    keys: Keys::Few(spare.pop().unwrap_or_default()),
                    current: None,
                    expect_key: true,
                });
                i += 1;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                i += 1;
            }
            b'}' | b']' => {
                if let Some(Frame::Object {
                    keys: Keys::Few(mut list),
                    ..
                }) = stack.pop()
                {
                    list.clear();
                    spare.push(list);
                }
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object {
                        expect_key,
                        current,
                        ..
                    }) => {
                        *expect_key = true;
                        *current = None;
                    }
                    Some(Frame::Array { index }) => *index += 1,
                    None => {}
                }
                i += 1;
            }
            b'"' => {
                let Some(end) = string_end(bytes, i) else {
                    break;
                };
                let is_key = matches!(
                    stack.last(),
                    Some(Frame::Object {
                        expect_key: true,
                        ..
                    })
                );
                if is_key {
                    let raw = text.get(i + 1..end - 1).unwrap_or_default();
                    let key: Cow<'_, str> = if raw.contains('\\') {
                        serde_json::from_str::<String>(text.get(i..end).unwrap_or_default())
                            .map_or(Cow::Borrowed(raw), Cow::Owned)
                    } else {
                        Cow::Borrowed(raw)
                    };
                    let first = match stack.last_mut() {
                        Some(Frame::Object { keys, .. }) => keys.add(key.clone(), i),
                        _ => None,
                    };
                    if let Some(first) = first {
                        found.push(DuplicateKey {
                            key: key.clone().into_owned(),
                            first,
                            second: i,
                            path: path_of(&stack),
                        });
                    }
                    if let Some(Frame::Object {
                        current,
                        expect_key,
                        ..
                    }) = stack.last_mut()
                    {
                        *current = Some(key);
                        *expect_key = false;
                    }
                }
                i = end;
            }
            // White space, numbers and literals, passed over in one run.
            _ => {
                i += 1;
                while i < bytes.len() && !STRUCTURAL[usize::from(bytes[i])] {
                    i += 1;
                }
            }
        }
    }
    found
}

/// The bytes the scan stops at.
const STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table[b'[' as usize] = true;
    table[b']' as usize] = true;
    table[b',' as usize] = true;
    table[b'"' as usize] = true;
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_repeated_key_at_its_second_place_with_its_path() {
        let text =
            r#"{"events": [{"a": 1}, {"start_date": {"year": 2022, "month": 7, "year": 2021}}]}"#;
        let d = duplicate_keys(text, 10);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].key, "year");
        assert_eq!(d[0].path, "events[1].start_date");
        assert_eq!(&text[d[0].first..d[0].first + 6], "\"year\"");
        assert!(d[0].second > d[0].first);
    }

    #[test]
    fn escapes_strings_and_many_keys_are_handled() {
        // "\u0061" is "a": the same key.
        let d = duplicate_keys(r#"{"a": "x\"y", "\u0061": 2}"#, 10);
        assert_eq!(d.len(), 1);
        let many: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{{}, \"k7\": 0}}", many.join(", "));
        assert_eq!(duplicate_keys(&text, 10).len(), 1);
        // Values equal to keys, nested objects and JSON Lines are not duplicates.
        assert!(duplicate_keys("{\"a\": \"a\", \"b\": {\"a\": 1}}\n{\"a\": 1}\n", 10).is_empty());
        // Broken JSON stops quietly.
        assert!(duplicate_keys("{\"a\": \"unclosed", 10).is_empty());
        assert!(duplicate_keys(&"[".repeat(100_000), 10).is_empty());
    }
}
