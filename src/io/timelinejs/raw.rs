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

/// A member read as [`text_in`] reads it (a string, borrowed from the file
/// where it needs no unescaping, or a number's text; `None` for anything
/// else), in the same pass as the object that holds it.
#[derive(Default)]
pub(crate) struct TextMember<'t>(pub(crate) Option<std::borrow::Cow<'t, str>>);

impl<'de: 't, 't> serde::Deserialize<'de> for TextMember<'t> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use std::borrow::Cow;
        struct Visit<'t>(std::marker::PhantomData<&'t ()>);
        impl<'de: 't, 't> serde::de::Visitor<'de> for Visit<'t> {
            type Value = TextMember<'t>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(TextMember(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TextMember(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(TextMember(Some(Cow::Owned(v))))
            }
            // A number's text as `serde_json::Value` shows it.
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(TextMember(Some(
                    serde_json::Number::from(v).to_string().into(),
                )))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(TextMember(Some(
                    serde_json::Number::from(v).to_string().into(),
                )))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(TextMember(
                    serde_json::Number::from_f64(v).map(|n| n.to_string().into()),
                ))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(TextMember(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(TextMember(None))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(TextMember(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(TextMember(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(TextMember(None))
            }
        }
        d.deserialize_any(Visit(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_text_member_is_what_text_in_reads() {
        for json in [
            r#""plain""#,
            r#""esc\"aped\n""#,
            r#""\u00e9""#,
            "12",
            "-3",
            "-0",
            "1.5",
            "1e2",
            "18446744073709551615",
            "null",
            "true",
            "[1, [2], {\"a\": 1e400}]",
            "{\"a\": {\"b\": 1}}",
        ] {
            let raw: &RawValue = serde_json::from_str(json).unwrap();
            let member: TextMember<'_> = serde_json::from_str(json).unwrap();
            assert_eq!(member.0, text_in(Some(raw)), "{json}");
        }
        // What serde cannot hold is not read (the reader reads it raw instead).
        assert!(serde_json::from_str::<TextMember<'_>>("1e400").is_err());
    }
}
