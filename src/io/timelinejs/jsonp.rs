//! TimelineJS 2's JSONP form: the timeline object assigned to the variable
//! TimelineJS 2 loads, `storyjs_jsonp_data = {"timeline": …};` (with `var`,
//! `let` or `const` before it, any whitespace, and a semicolon at the end or
//! none). The object is read where it stands in the file, so that every
//! position in it is the file's own.

use serde_json::value::RawValue;

use crate::io::diagnostic::LineIndex;

/// The variable TimelineJS 2 reads its JSONP data from.
pub(crate) const NAME: &str = "storyjs_jsonp_data";

/// What the wrapper should look like, for messages.
const SHAPE: &str = "storyjs_jsonp_data = {\"timeline\": …};";

/// The text after a `var`, `let` or `const` keyword and its whitespace.
fn after_keyword(body: &str) -> &str {
    for keyword in ["var", "let", "const"] {
        if let Some(rest) = body.strip_prefix(keyword)
            && rest.starts_with(char::is_whitespace)
        {
            return rest.trim_start();
        }
    }
    body
}

/// Does `body` (the file without its BOM) start as TimelineJS 2's JSONP?
pub(crate) fn looks_like(body: &str) -> bool {
    after_keyword(body.trim_start()).starts_with(NAME)
}

/// Where the JSONP wrapper of a file is broken, and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct WrapperError {
    /// Byte offset in the file.
    pub(crate) at: usize,
    pub(crate) message: String,
}

/// The JSON object that `body` (a slice of `text`, the file without its
/// BOM, for which [`looks_like`] holds) assigns, as a slice of `text`.
///
/// # Errors
/// Where the wrapper is broken: no `=`, no object after it, invalid JSON in
/// the object, or more than a `;` after it.
pub(crate) fn object<'t>(text: &'t str, body: &'t str) -> Result<&'t str, WrapperError> {
    let offset = |s: &str| (s.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let named = after_keyword(body.trim_start());
    let after_name = named.get(NAME.len()..).unwrap_or_default();
    let rest = after_name.trim_start();
    let Some(value) = rest.strip_prefix('=') else {
        return Err(WrapperError {
            at: offset(rest),
            message: format!(
                "JSONP: {NAME} must be followed by `=` and the timeline object ({SHAPE})"
            ),
        });
    };
    let value = value.trim_start();
    if !value.starts_with('{') {
        return Err(WrapperError {
            at: offset(value),
            message: format!("JSONP: expected the timeline object after `{NAME} =` ({SHAPE})"),
        });
    }
    let mut stream = serde_json::Deserializer::from_str(value).into_iter::<&RawValue>();
    let raw = match stream.next() {
        Some(Ok(raw)) => raw,
        Some(Err(e)) => {
            let lines = LineIndex::new(text);
            return Err(WrapperError {
                at: lines.offset_of_json_pos(offset(value), e.line(), e.column()),
                message: format!(
                    "not valid JSON: {}",
                    crate::io::diagnostic::strip_position(&e)
                ),
            });
        }
        None => {
            return Err(WrapperError {
                at: offset(value),
                message: format!("JSONP: expected the timeline object after `{NAME} =` ({SHAPE})"),
            });
        }
    };
    let end = stream.byte_offset();
    let tail = value.get(end..).unwrap_or_default().trim_start();
    let tail = tail.strip_prefix(';').unwrap_or(tail).trim_start();
    if !tail.is_empty() {
        return Err(WrapperError {
            at: offset(tail),
            message: format!(
                "JSONP: text after the timeline object; only a `;` may end it ({SHAPE})"
            ),
        });
    }
    Ok(raw.get())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn finds_the_object_in_each_wrapper() {
        for text in [
            "storyjs_jsonp_data = {\"timeline\": {}};",
            "storyjs_jsonp_data={\"timeline\": {}}",
            "var storyjs_jsonp_data = {\"timeline\": {}} ;\n",
            "\n  const   storyjs_jsonp_data\n=\n{\"timeline\": {}}\n",
        ] {
            assert!(looks_like(text), "{text}");
            let object = object(text, text).unwrap();
            assert_eq!(object, "{\"timeline\": {}}", "{text}");
            // A slice of the file, where it stands.
            let at = object.as_ptr() as usize - text.as_ptr() as usize;
            assert_eq!(&text[at..=at], "{");
        }
        assert!(!looks_like("{\"timeline\": {}}"));
        assert!(!looks_like("variable = 1"));
    }

    #[test]
    fn a_broken_wrapper_is_said_where_it_breaks() {
        let at = |text: &str| object(text, text).unwrap_err();
        let e = at("storyjs_jsonp_data : {}");
        assert_eq!(e.at, 19);
        assert!(e.message.contains("must be followed by `=`"), "{e:?}");
        let e = at("storyjs_jsonp_data = [1]");
        assert_eq!(e.at, 21);
        assert!(e.message.contains("expected the timeline object"), "{e:?}");
        let e = at("storyjs_jsonp_data = {\"timeline\": {}}; alert(1)");
        assert_eq!(e.at, 39);
        assert!(
            e.message.contains("text after the timeline object"),
            "{e:?}"
        );
        let e = at("storyjs_jsonp_data = {\"timeline\": }");
        assert_eq!(e.at, 34);
        assert!(e.message.starts_with("not valid JSON: "), "{e:?}");
        let e = at("storyjs_jsonp_data");
        assert_eq!(e.at, 18);
    }
}
