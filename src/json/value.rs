//! The JSON of the API's answers as a tree that borrows from the text it was
//! parsed from: strings without escapes are slices of the text, and an object
//! is a `Vec` of its members. `serde_json`'s parser reads it (its
//! errors, positions and nesting limit), but its `Value` builds a `BTreeMap`
//! and a `String` per key and frees them all again. The API of [`Json`]
//! follows `serde_json::Value`'s.
//!
//! ```
//! use flux_shard_metrics::json::Json;
//! let text = r#"{"metadata": {"name": "a", "labels": {"b": "2", "a": "1"}}, "n": 3}"#;
//! let v = Json::parse(text).unwrap();
//! assert_eq!(v.get("metadata").and_then(|m| m.get("name")).and_then(Json::as_str), Some("a"));
//! assert_eq!(v.get("n").and_then(Json::as_u64), Some(3));
//! // Members sorted by key, as serde_json's map: labels come out in key order.
//! let labels = v.get("metadata").and_then(|m| m.get("labels")).and_then(Json::as_object).unwrap();
//! assert_eq!(labels.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["a", "b"]);
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value; strings and keys borrow from the parsed text where they can.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json<'a> {
    /// `null` (and what an absent field reads as).
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(Cow<'a, str>),
    /// A list.
    Array(Vec<Json<'a>>),
    /// An object.
    Object(Object<'a>),
}

/// A JSON number as serde_json tells them apart: a whole number not negative, a negative one, any other.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// `0`, `42`.
    Count(u64),
    /// `-1`.
    Negative(i64),
    /// `2.5`, `1e3`, `2.0`, and whole numbers too big for 64 bits.
    Float(f64),
}

impl fmt::Display for Number {
    /// As serde_json writes it (`2.0` stays `2.0`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::Count(n) => write!(f, "{n}"),
            Number::Negative(n) => write!(f, "{n}"),
            Number::Float(x) => {
                f.write_str(&serde_json::to_string(&x).unwrap_or_else(|_| "null".into()))
            }
        }
    }
}

/// An object's members, in the text's order. Read as serde_json's map reads: of two members with one
/// key the last one counts, and [`Object::iter`] goes by key. Kept in the text's order because sorting
/// each object as it is parsed cost more than the lookups it saves (a handful of keys per object).
/// Two objects are equal when they read the same.
#[derive(Debug, Clone, Default)]
pub struct Object<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl PartialEq for Object<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<'a> Object<'a> {
    /// The members, in the text's order.
    pub fn new(members: Vec<(Cow<'a, str>, Json<'a>)>) -> Self {
        Object(members)
    }

    /// The value of `key` (the last member of that key).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The members by key, each key once (its last member), as serde_json's map iterates.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        // By key, and of one key the last first; then each key once.
        let mut members: Vec<(&str, usize)> = self
            .0
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.as_ref(), i))
            .collect();
        members.sort_unstable_by(|a, b| a.0.cmp(b.0).then(b.1.cmp(&a.1)));
        members.dedup_by(|later, first| later.0 == first.0);
        members.into_iter().map(|(k, i)| (k, &self.0[i].1))
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> Json<'a> {
    /// Parses `text` (one JSON value, nothing after it but whitespace), borrowing from it.
    pub fn parse(text: &'a str) -> Result<Json<'a>, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(o) => o.get(key),
            _ => None,
        }
    }

    /// The string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// `true` or `false`, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Json::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// A whole number, not negative.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Json::Number(Number::Count(n)) => Some(n),
            _ => None,
        }
    }

    /// Any number.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Json::Number(Number::Count(n)) => Some(n as f64),
            Json::Number(Number::Negative(n)) => Some(n as f64),
            Json::Number(Number::Float(x)) => Some(x),
            _ => None,
        }
    }

    /// The elements, if it is a list.
    pub fn as_array(&self) -> Option<&Vec<Json<'a>>> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members, if it is an object.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }

    /// Whether it is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Json::String(_))
    }

    /// Whether it is `true` or `false`.
    pub fn is_boolean(&self) -> bool {
        matches!(self, Json::Bool(_))
    }

    /// Whether it is a whole number, not negative.
    pub fn is_u64(&self) -> bool {
        matches!(self, Json::Number(Number::Count(_)))
    }

    /// Whether it is a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Json::Number(_))
    }

    /// Whether it is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    /// Whether it is a list.
    pub fn is_array(&self) -> bool {
        matches!(self, Json::Array(_))
    }

    /// The same value owning its strings, to keep beyond the text it was parsed from.
    pub fn into_owned(self) -> Json<'static> {
        match self {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(b),
            Json::Number(n) => Json::Number(n),
            Json::String(s) => Json::String(Cow::Owned(s.into_owned())),
            Json::Array(a) => Json::Array(a.into_iter().map(Json::into_owned).collect()),
            Json::Object(o) => Json::Object(Object(
                o.0.into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                    .collect(),
            )),
        }
    }

    /// [`Json::into_owned`] of a borrowed value: each string and list copied once.
    pub fn to_owned_json(&self) -> Json<'static> {
        match self {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(*b),
            Json::Number(n) => Json::Number(*n),
            Json::String(s) => Json::String(Cow::Owned(s.to_string())),
            Json::Array(a) => Json::Array(a.iter().map(Json::to_owned_json).collect()),
            Json::Object(o) => Json::Object(Object(
                o.0.iter()
                    .map(|(k, v)| (Cow::Owned(k.to_string()), v.to_owned_json()))
                    .collect(),
            )),
        }
    }
}

impl From<&serde_json::Value> for Json<'static> {
    fn from(v: &serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Number(match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Number::Count(u),
                (None, Some(i)) => Number::Negative(i),
                _ => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
            }),
            serde_json::Value::String(s) => Json::String(Cow::Owned(s.clone())),
            serde_json::Value::Array(a) => Json::Array(a.iter().map(Json::from).collect()),
            serde_json::Value::Object(m) => Json::Object(Object::new(
                m.iter()
                    .map(|(k, v)| (Cow::Owned(k.clone()), Json::from(v)))
                    .collect(),
            )),
        }
    }
}

/// A string that borrows from the text when it has no escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(s.to_string())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(s)))
            }
        }
        d.deserialize_str(StrVisitor)
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(b))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(Number::Count(n)))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(if n < 0 {
            Number::Negative(n)
        } else {
            Number::Count(n as u64)
        }))
    }
    fn visit_f64<E>(self, x: f64) -> Result<Json<'de>, E> {
        Ok(Json::Number(Number::Float(x)))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s.to_string())))
    }
    fn visit_string<E>(self, s: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s)))
    }
    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        Json::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element::<Json<'de>>()? {
            out.push(v);
        }
        Ok(Json::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut out = Vec::new();
        while let Some(Str(k)) = map.next_key::<Str<'de>>()? {
            let v = map.next_value::<Json<'de>>()?;
            out.push((k, v));
        }
        Ok(Json::Object(Object::new(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_serde_json_does() {
        let text = r#"{"b": [1, -2, 2.5, 2.0, 18446744073709551616, true, null, "x\"y"], "a": {"k": "v"}, "a": {"k": "w"}}"#;
        let ours = Json::parse(text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, Json::from(&theirs));
        // The last of two members with one key, as serde_json keeps.
        assert_eq!(
            ours.get("a")
                .and_then(|a| a.get("k"))
                .and_then(Json::as_str),
            Some("w")
        );
        let b = ours.get("b").and_then(Json::as_array).unwrap();
        assert_eq!(
            b.iter().map(|v| v.as_u64()).collect::<Vec<_>>(),
            [Some(1), None, None, None, None, None, None, None]
        );
        assert_eq!(b[1].as_f64(), Some(-2.0));
        let shown: Vec<String> = b[..5]
            .iter()
            .map(|v| match v {
                Json::Number(n) => n.to_string(),
                _ => unreachable!(),
            })
            .collect();
        let serde_shown: Vec<String> = theirs["b"].as_array().unwrap()[..5]
            .iter()
            .map(|v| v.to_string())
            .collect();
        assert_eq!(shown, serde_shown);
        assert_eq!(b[7].as_str(), Some("x\"y"));
    }

    #[test]
    fn strings_without_escapes_borrow_from_the_text() {
        let text = r#"{"name": "plain", "quoted": "a\nb"}"#;
        let v = Json::parse(text).unwrap();
        assert!(matches!(
            v.get("name"),
            Some(Json::String(Cow::Borrowed("plain")))
        ));
        assert!(matches!(v.get("quoted"), Some(Json::String(Cow::Owned(s))) if s == "a\nb"));
        let owned: Json<'static> = v.to_owned_json();
        assert_eq!(owned, v);
    }

    #[test]
    fn errors_and_the_nesting_limit_are_serde_json_s() {
        assert_eq!(
            Json::parse("{").unwrap_err().to_string(),
            "EOF while parsing an object at line 1 column 1"
        );
        assert_eq!(
            Json::parse("[1] x").unwrap_err().to_string(),
            "trailing characters at line 1 column 5"
        );
        let deep = "[".repeat(10_000);
        assert!(Json::parse(&deep)
            .unwrap_err()
            .to_string()
            .starts_with("recursion limit exceeded"));
    }
}
