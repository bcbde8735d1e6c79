//! Where a member or an element stands in a JSON value's text, found by
//! walking the text by member name and element index (never by searching for
//! a value written out again). Only a diagnostic asks, so a clean file never
//! walks; the text is valid JSON already (it was parsed), and a walk that
//! does not find its way says `None`.

/// One step into a JSON value: a member of an object, or an element of an array.
#[derive(Clone, Copy)]
pub(crate) enum Step<'k> {
    Member(&'k str),
    Element(usize),
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Just past the string whose opening quote is at `start`.
fn string_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(j) = b
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
    {
        i += j;
        if b[i] == b'\\' {
            i += 2;
        } else {
            return i + 1;
        }
    }
    b.len()
}

/// Just past the value that starts at `start`.
fn value_end(b: &[u8], start: usize) -> usize {
    match b.get(start) {
        Some(b'"') => string_end(b, start),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut i = start;
            while let Some(&c) = b.get(i) {
                match c {
                    b'"' => {
                        i = string_end(b, i);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            b.len()
        }
        _ => {
            let mut i = start;
            while !matches!(
                b.get(i),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                i += 1;
            }
            i
        }
    }
}

/// The first item (a member, at its key; or an element) of the object or
/// array that opens at `open` for which `hit` says yes.
fn find_item(b: &[u8], open: usize, mut hit: impl FnMut(usize) -> bool) -> Option<usize> {
    let mut i = skip_ws(b, open + 1);
    loop {
        match b.get(i)? {
            b'}' | b']' => return None,
            _ if hit(i) => return Some(i),
            b'"' if b[open] == b'{' => {
                // The key, its colon, then its value.
                let colon = skip_ws(b, string_end(b, i));
                i = value_end(b, skip_ws(b, colon + 1));
            }
            _ => i = value_end(b, i),
        }
        i = skip_ws(b, i);
        if b.get(i) != Some(&b',') {
            return None;
        }
        i = skip_ws(b, i + 1);
    }
}

/// Where the key and the value of member `key` of the object at `open` start.
fn member(b: &[u8], open: usize, key: &str) -> Option<(usize, usize)> {
    if b.get(open) != Some(&b'{') {
        return None;
    }
    let mut value = None;
    let at = find_item(b, open, |s| {
        let end = string_end(b, s);
        let Some(name) = b.get(s + 1..end - 1) else {
            return false;
        };
        let same = if name.contains(&b'\\') {
            // Written with escapes: compared as JSON reads it.
            std::str::from_utf8(&b[s..end])
                .ok()
                .and_then(|quoted| serde_json::from_str::<String>(quoted).ok())
                .is_some_and(|name| name == key)
        } else {
            name == key.as_bytes()
        };
        if !same {
            return false;
        }
        let colon = skip_ws(b, end);
        value = Some(skip_ws(b, colon + 1));
        true
    })?;
    Some((at, value?))
}

/// Where element `n` of the array at `open` starts.
fn element(b: &[u8], open: usize, n: usize) -> Option<usize> {
    if b.get(open) != Some(&b'[') {
        return None;
    }
    let mut k = 0;
    find_item(b, open, |_| {
        k += 1;
        k - 1 == n
    })
}

/// Where the value at `path` in `raw` (one JSON value's text) starts.
fn start_of(b: &[u8], path: &[Step<'_>]) -> Option<usize> {
    let mut at = skip_ws(b, 0);
    for step in path {
        at = match *step {
            Step::Member(key) => member(b, at, key)?.1,
            Step::Element(n) => element(b, at, n)?,
        };
    }
    Some(at)
}

/// Where the value at `path` starts in `raw`, in bytes.
pub(crate) fn value_at(raw: &str, path: &[Step<'_>]) -> Option<usize> {
    start_of(raw.as_bytes(), path)
}

/// The text of the value at `path` in `raw`.
pub(crate) fn value_text<'r>(raw: &'r str, path: &[Step<'_>]) -> Option<&'r str> {
    let b = raw.as_bytes();
    let start = start_of(b, path)?;
    raw.get(start..value_end(b, start))
}

/// Where the key of member `key` of the object at `path` starts in `raw`.
pub(crate) fn key_at(raw: &str, path: &[Step<'_>], key: &str) -> Option<usize> {
    let b = raw.as_bytes();
    member(b, start_of(b, path)?, key).map(|(at, _)| at)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::Step::{Element, Member};
    use super::{key_at, value_at, value_text};

    #[test]
    fn members_and_elements_are_found_where_they_stand() {
        let raw = r#" {"a": [1, {"b": "x,]}\"y"}, [2]], "b" : {"c":null} , "d":-3.5e2}"#;
        let at = |path: &[_]| value_at(raw, path).map(|i| &raw[i..i + 3]);
        assert_eq!(at(&[Member("a")]), Some("[1,"));
        assert_eq!(at(&[Member("a"), Element(1), Member("b")]), Some("\"x,"));
        assert_eq!(at(&[Member("a"), Element(2), Element(0)]), Some("2]]"));
        assert_eq!(at(&[Member("b"), Member("c")]), Some("nul"));
        assert_eq!(at(&[Member("d")]), Some("-3."));
        assert_eq!(at(&[Member("c")]), None, "c is not a member of the top");
        assert_eq!(at(&[Member("a"), Element(3)]), None);
        assert_eq!(at(&[Element(0)]), None, "the top is no array");
        assert_eq!(
            value_text(raw, &[Member("a"), Element(1)]),
            Some(r#"{"b": "x,]}\"y"}"#)
        );
        assert_eq!(value_text(raw, &[Member("d")]), Some("-3.5e2"));
        let key = key_at(raw, &[], "b").unwrap();
        assert_eq!(&raw[key..key + 5], "\"b\" :");
        assert_eq!(
            key_at(raw, &[Member("b")], "c").map(|i| &raw[i..i + 3]),
            Some("\"c\"")
        );
        let escaped = r#"{"k\u0069nd": 1, "kind2": 2}"#;
        assert_eq!(value_at(escaped, &[Member("kind")]), Some(14));
        assert_eq!(value_at(escaped, &[Member("kind2")]), Some(26));
    }
}
