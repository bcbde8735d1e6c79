//! Reading JSON values kept raw (`serde_json::value::RawValue`, slices of
//! the file, so each stands where it was read): objects, values, texts.

use std::collections::BTreeMap;

use serde_json::Value;
use serde_json::value::RawValue;

/// A JSON object's members, each kept raw with its position.
pub(crate) type Object<'t> = BTreeMap<String, &'t RawValue>;

pub(crate) fn object_of(raw: &RawValue) -> Option<Object<'_>> {
    serde_json::from_str(raw.get()).ok()
}

pub(crate) fn value_of(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

/// A string member, or a number's text; `None` for null or absent.
pub(crate) fn text_of(raw: Option<&RawValue>) -> Option<String> {
    text_in(raw).map(std::borrow::Cow::into_owned)
}

/// [`text_of`], borrowed from the file where the string has no escapes.
pub(crate) fn text_in(raw: Option<&RawValue>) -> Option<std::borrow::Cow<'_, str>> {
    let raw = raw?;
    if raw.get().starts_with('"') {
        // A `&str` is read only when the string needs no unescaping.
        return serde_json::from_str::<&str>(raw.get())
            .map(std::borrow::Cow::Borrowed)
            .ok()
            .or_else(|| {
                serde_json::from_str::<String>(raw.get())
                    .ok()
                    .map(Into::into)
            });
    }
    match value_of(raw) {
        Value::Number(n) => Some(n.to_string().into()),
        _ => None,
    }
}

/// A member kept raw, `null` too (`Option`'s own reading would make a null absent).
pub(crate) fn raw_member<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue as serde::Deserialize>::deserialize(d).map(Some)
}

/// The object `raw` holds, read as `T`; `None` if it is not an object
/// (serde would read an array as the fields in order).
pub(crate) fn members<'t, T: serde::Deserialize<'t>>(raw: &'t RawValue) -> Option<T> {
    if !raw.get().starts_with('{') {
        return None;
    }
    serde_json::from_str(raw.get()).ok()
}
