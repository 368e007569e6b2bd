//! Reading API objects out of `serde_json::Value` by hand.
//!
//! Derived `Deserialize` impls for the ~25 object types cost 97 KB of wasm
//! (measured with twiggy); one generic `Value` parse plus these small
//! extractors cost a fraction of that. Missing or mistyped fields read as
//! their defaults, as unknown fields are ignored: the API server decides the
//! shape, and a field this crate does not need must not break it.

use serde_json::Value;

/// Built from a JSON value; fields that are absent or of another type take their default.
pub trait FromJson: Sized {
    /// Reads `value`.
    fn from_json(value: &Value) -> Self;
}

/// The JSON itself, for documents read field by field elsewhere.
impl FromJson for Value {
    fn from_json(value: &Value) -> Self {
        value.clone()
    }
}

/// Parses `text` as a JSON object and reads it as `T`.
///
/// ```
/// use flux_shard_metrics::kube::{parse_object, Pod};
/// let pod: Pod = parse_object(r#"{"metadata": {"name": "p"}, "status": {"phase": "Running"}}"#).unwrap();
/// assert_eq!((pod.metadata.name.as_str(), pod.status.phase.as_str()), ("p", "Running"));
/// assert_eq!(parse_object::<Pod>("[1]").unwrap_err(), "expected a JSON object, found an array");
/// assert!(parse_object::<Pod>("{").unwrap_err().starts_with("not JSON: EOF while parsing an object"));
/// ```
pub fn parse_object<T: FromJson>(text: &str) -> Result<T, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    match &value {
        Value::Object(_) => Ok(T::from_json(&value)),
        Value::Array(_) => Err("expected a JSON object, found an array".into()),
        _ => Err("expected a JSON object".into()),
    }
}

/// `value[key]` as a string, `""` when absent.
pub fn str_of(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// `value[key]` as a `u32`, `None` when absent or not a non-negative integer that fits.
pub fn u32_of(value: &Value, key: &str) -> Option<u32> {
    value
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

/// `value[key]` as an array (empty when absent).
pub fn array<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `value[key]` as `(name, value)` pairs of strings, sorted by name (non-string
/// values left out). A `Vec`: these maps hold a handful of entries, and one
/// more `BTreeMap` instantiation costs kilobytes of wasm.
pub fn string_map(value: &Value, key: &str) -> Vec<(String, String)> {
    value
        .get(key)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// `value[key]` as an object to read as `T` (the default when absent).
pub fn object<T: FromJson + Default>(value: &Value, key: &str) -> T {
    value
        .get(key)
        .filter(|v| v.is_object())
        .map(T::from_json)
        .unwrap_or_default()
}

/// Every element of `value[key]` read as `T`.
pub fn objects<T: FromJson>(value: &Value, key: &str) -> Vec<T> {
    array(value, key).iter().map(T::from_json).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_read_as_defaults() {
        let v: Value = serde_json::json!({"a": 5, "b": "x", "c": -1, "d": {"k": "v", "n": 1}});
        assert_eq!(str_of(&v, "a"), "");
        assert_eq!(str_of(&v, "b"), "x");
        assert_eq!(u32_of(&v, "c"), None);
        assert_eq!(u32_of(&v, "a"), Some(5));
        assert_eq!(array(&v, "b").len(), 0);
        assert_eq!(
            string_map(&v, "d"),
            vec![("k".to_string(), "v".to_string())]
        );
    }
}
