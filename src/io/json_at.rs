//! Where a member of a JSON value stands, found again from the value's
//! text when a diagnostic needs it: `places[1].place` of an event is walked
//! to by its keys and indexes, never by searching for its serialised text
//! (which would find the same words in another member first).
//!
//! The walk skips the values it passes over without building them, with no
//! recursion (a stranger's deep nesting cannot overflow), and gives up
//! quietly at text that is not JSON: the caller then points at the value's
//! start.

use crate::io::json_keys::string_end;

/// One step into a JSON value: a member of an object, or an element of an
/// array (from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step<'k> {
    /// The member with this key.
    Key(&'k str),
    /// The element at this index.
    Index(usize),
}

/// Where a member stands: its key's opening quote (when the last step is a
/// key) and its value's first byte, as offsets into the text walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Member {
    /// The key's opening quote, for a member of an object.
    pub(crate) key: Option<usize>,
    /// The value's first byte.
    pub(crate) value: usize,
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end (exclusive) of the value that starts at `i`, or `None` if the
/// text breaks off first.
fn value_end(bytes: &[u8], i: usize) -> Option<usize> {
    match *bytes.get(i)? {
        b'"' => string_end(bytes, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match *bytes.get(j)? {
                    b'"' => {
                        j = string_end(bytes, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let rest = &bytes[i..];
            let n = rest
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(rest.len());
            (n > 0).then_some(i + n)
        }
    }
}

/// Whether the JSON string `raw` (with its quotes) spells `key`.
fn key_is(raw: &str, key: &str) -> bool {
    let inner = &raw[1..raw.len() - 1];
    if inner.contains('\\') {
        serde_json::from_str::<String>(raw).is_ok_and(|k| k == key)
    } else {
        inner == key
    }
}

/// The member of `text` (one JSON value) that `path` leads to; `None` when
/// the path leads nowhere in it (a member that is not there, a list too
/// short, text that is not JSON).
pub(crate) fn find(text: &str, path: &[Step<'_>]) -> Option<Member> {
    let bytes = text.as_bytes();
    let mut at = Member {
        key: None,
        value: skip_ws(bytes, 0),
    };
    for step in path {
        let mut i = at.value;
        match *step {
            Step::Key(key) => {
                if bytes.get(i) != Some(&b'{') {
                    return None;
                }
                i = skip_ws(bytes, i + 1);
                loop {
                    if bytes.get(i) != Some(&b'"') {
                        return None;
                    }
                    let key_start = i;
                    let key_end = string_end(bytes, i)?;
                    i = skip_ws(bytes, key_end);
                    if bytes.get(i) != Some(&b':') {
                        return None;
                    }
                    i = skip_ws(bytes, i + 1);
                    if key_is(text.get(key_start..key_end)?, key) {
                        at = Member {
                            key: Some(key_start),
                            value: i,
                        };
                        break;
                    }
                    i = skip_ws(bytes, value_end(bytes, i)?);
                    if bytes.get(i) != Some(&b',') {
                        return None;
                    }
                    i = skip_ws(bytes, i + 1);
                }
            }
            Step::Index(n) => {
                if bytes.get(i) != Some(&b'[') {
                    return None;
                }
                i = skip_ws(bytes, i + 1);
                for _ in 0..n {
                    if bytes.get(i) == Some(&b']') {
                        return None;
                    }
                    i = skip_ws(bytes, value_end(bytes, i)?);
                    if bytes.get(i) != Some(&b',') {
                        return None;
                    }
                    i = skip_ws(bytes, i + 1);
                }
                if matches!(bytes.get(i), None | Some(b']')) {
                    return None;
                }
                at = Member {
                    key: None,
                    value: i,
                };
            }
        }
    }
    Some(at)
}

/// Where the value at `path` starts in `text`, in bytes.
pub(crate) fn value_at(text: &str, path: &[Step<'_>]) -> Option<usize> {
    find(text, path).map(|m| m.value)
}

/// The text of the value at `path` in `text`.
pub(crate) fn value_text<'t>(text: &'t str, path: &[Step<'_>]) -> Option<&'t str> {
    let start = find(text, path)?.value;
    text.get(start..value_end(text.as_bytes(), start)?)
}

/// Where the key of member `key` of the object at `path` starts in `text`.
pub(crate) fn key_at(text: &str, path: &[Step<'_>], key: &str) -> Option<usize> {
    let mut to_key: Vec<Step<'_>> = path.to_vec();
    to_key.push(Step::Key(key));
    find(text, &to_key)?.key
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::Step::{Index, Key};
    use super::*;

    const EVENT: &str = r#"{ "id": "a", "title": "Tirana", "places": [
        {"place": "durres", "role": "location"},
        {"role": "target", "place": "tirana"} ],
      "actors": ["x", "tirana"], "note": {"deep": [[1, "}"], {"k": "]"}]},
      "esc\"aped": 2, "n": -1.5e3, "t": true }"#;

    fn text_at(path: &[Step<'_>]) -> Option<&'static str> {
        let m = find(EVENT, path)?;
        let end = value_end(EVENT.as_bytes(), m.value)?;
        Some(&EVENT[m.value..end])
    }

    #[test]
    fn walks_to_the_member_not_to_the_first_same_text() {
        // "tirana" stands three times; each path finds its own.
        assert_eq!(text_at(&[Key("title")]), Some(r#""Tirana""#));
        let place = find(EVENT, &[Key("places"), Index(1), Key("place")]).unwrap();
        assert_eq!(&EVENT[place.value..place.value + 8], r#""tirana""#);
        assert_eq!(
            &EVENT[place.key.unwrap()..place.key.unwrap() + 7],
            r#""place""#
        );
        let actor = find(EVENT, &[Key("actors"), Index(1)]).unwrap();
        assert!(actor.value > place.value);
        assert_eq!(actor.key, None);
        assert_eq!(text_at(&[Key("actors"), Index(1)]), Some(r#""tirana""#));
        // Brackets inside strings and nested lists are passed over whole.
        assert_eq!(text_at(&[Key("esc\"aped")]), Some("2"));
        assert_eq!(text_at(&[Key("n")]), Some("-1.5e3"));
        assert_eq!(text_at(&[Key("t")]), Some("true"));
        assert_eq!(
            text_at(&[Key("note"), Key("deep"), Index(1), Key("k")]),
            Some(r#""]""#)
        );
    }

    #[test]
    fn a_path_that_leads_nowhere_is_none() {
        assert_eq!(find(EVENT, &[Key("missing")]), None);
        assert_eq!(find(EVENT, &[Key("actors"), Index(2)]), None);
        assert_eq!(find(EVENT, &[Key("title"), Key("x")]), None);
        assert_eq!(find(EVENT, &[Index(0)]), None);
        assert_eq!(find("", &[Key("id")]), None);
        assert_eq!(find(r#"{"id": "#, &[Key("title")]), None);
        assert_eq!(find(r#"{"a": [1, 2"#, &[Key("b")]), None);
        assert_eq!(find("[]", &[Index(0)]), None);
        // The empty path is the value itself.
        assert_eq!(find("  {}", &[]).map(|m| m.value), Some(2));
    }

    #[test]
    fn members_and_elements_are_found_where_they_stand() {
        let raw = r#" {"a": [1, {"b": "x,]}\"y"}, [2]], "b" : {"c":null} , "d":-3.5e2}"#;
        let at = |path: &[_]| value_at(raw, path).map(|i| &raw[i..i + 3]);
        assert_eq!(at(&[Key("a")]), Some("[1,"));
        assert_eq!(at(&[Key("a"), Index(1), Key("b")]), Some("\"x,"));
        assert_eq!(at(&[Key("a"), Index(2), Index(0)]), Some("2]]"));
        assert_eq!(at(&[Key("b"), Key("c")]), Some("nul"));
        assert_eq!(at(&[Key("d")]), Some("-3."));
        assert_eq!(at(&[Key("c")]), None, "c is not a member of the top");
        assert_eq!(at(&[Key("a"), Index(3)]), None);
        assert_eq!(at(&[Index(0)]), None, "the top is no array");
        assert_eq!(
            value_text(raw, &[Key("a"), Index(1)]),
            Some(r#"{"b": "x,]}\"y"}"#)
        );
        assert_eq!(value_text(raw, &[Key("d")]), Some("-3.5e2"));
        let key = key_at(raw, &[], "b").unwrap();
        assert_eq!(&raw[key..key + 5], "\"b\" :");
        assert_eq!(
            key_at(raw, &[Key("b")], "c").map(|i| &raw[i..i + 3]),
            Some("\"c\"")
        );
        let escaped = r#"{"k\u0069nd": 1, "kind2": 2}"#;
        assert_eq!(value_at(escaped, &[Key("kind")]), Some(14));
        assert_eq!(value_at(escaped, &[Key("kind2")]), Some(26));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!(
            "{{\"a\": {}1{}, \"b\": 2}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(
            find(&deep, &[Key("b")]).map(|m| &deep[m.value..=m.value]),
            Some("2")
        );
    }
}
