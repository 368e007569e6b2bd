//! Reading JSON documents field by field, each field declared once: the call
//! that reads it (`node.count("replicas")`) names its key and its JSON type, so
//! the same declaration yields the value and, when the document is read
//! [`checked`](Node::checked), the complaint about a field of another type
//! (`spec.replicas is "2", expected a whole number`) instead of a silent default.
//!
//! Derived `Deserialize` impls for the ~25 object types cost 97 KB of wasm
//! (measured with twiggy); one generic parse into a [`Json`] tree plus these small readers
//! cost a fraction of that. Missing or mistyped fields read as their defaults,
//! and unknown fields are ignored: the API server decides the shape, and a
//! field this crate does not need must not break it. Absent fields are fine.
//!
//! ```
//! use flux_shard_metrics::json::{Issues, Json, Node};
//! let v = Json::parse(r#"{"spec": {"replicas": "2", "paused": true}}"#).unwrap();
//! let issues = Issues::default();
//! let root = Node::checked(&v, &issues);
//! let spec = root.child("spec");
//! assert_eq!(spec.count_u32("replicas"), None);
//! assert!(spec.flag("paused"));
//! assert_eq!(issues.take(), ["spec.replicas is \"2\", expected a whole number"]);
//! ```

use std::cell::RefCell;

mod value;

pub use value::{Json, Number, Object};

/// Built from a JSON value; fields that are absent or of another type take their default.
pub trait FromJson: Sized {
    /// Reads `node`.
    fn from_json(node: Node<'_>) -> Self;
}

/// The JSON itself, for documents read field by field elsewhere (owning its strings).
impl FromJson for Json<'static> {
    fn from_json(node: Node<'_>) -> Self {
        node.value.to_owned_json()
    }
}

/// The complaints of a checked read, in the order the fields were read.
#[derive(Debug, Default)]
pub struct Issues(RefCell<Vec<String>>);

impl Issues {
    /// Every complaint so far, emptying the list.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

/// Where a value is in its document, for messages: `spec.shards[0].name`.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    fn write(&self, out: &mut String) {
        match *self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
}

/// The JSON type a field should have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A string.
    String,
    /// `true` or `false`.
    Bool,
    /// A whole number, not negative.
    Count,
    /// Any number.
    Number,
    /// An object.
    Object,
    /// A list.
    List,
}

impl Expect {
    fn fits(self, v: &Json<'_>) -> bool {
        match self {
            Expect::String => v.is_string(),
            Expect::Bool => v.is_boolean(),
            Expect::Count => v.is_u64(),
            Expect::Number => v.is_number(),
            Expect::Object => v.is_object(),
            Expect::List => v.is_array(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Expect::String => "a string",
            Expect::Bool => "true or false",
            Expect::Count => "a whole number",
            Expect::Number => "a number",
            Expect::Object => "an object",
            Expect::List => "a list",
        }
    }
}

/// A value as a complaint shows it.
fn type_of(v: &Json<'_>) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => {
            let shown: String = s.chars().take(30).collect();
            serde_json::to_string(&shown).unwrap_or_default()
        }
        Json::Array(_) => "a list".into(),
        Json::Object(_) => "an object".into(),
    }
}

static NULL: Json<'static> = Json::Null;

/// A value of a document being read, with its place in it.
#[derive(Clone, Copy)]
pub struct Node<'n> {
    value: &'n Json<'n>,
    path: Path<'n>,
    issues: Option<&'n Issues>,
}

impl<'n> Node<'n> {
    /// The document `value`, read without checking types.
    pub fn new(value: &'n Json<'n>) -> Node<'n> {
        Node {
            value,
            path: Path::Root,
            issues: None,
        }
    }

    /// The document `value`; every field read of another type than declared is added to `issues`.
    pub fn checked(value: &'n Json<'n>, issues: &'n Issues) -> Node<'n> {
        Node {
            value,
            path: Path::Root,
            issues: Some(issues),
        }
    }

    /// The value itself.
    pub fn value(&self) -> &'n Json<'n> {
        self.value
    }

    /// The field `key` when present, checked against `expect`; `None` when absent or of another type.
    fn field<'s>(&'s self, key: &'s str, expect: Expect) -> Option<Node<'s>> {
        let v = self.value.get(key)?;
        let node = Node {
            value: v,
            path: Path::Key(&self.path, key),
            issues: self.issues,
        };
        if expect.fits(v) {
            return Some(node);
        }
        if let Some(issues) = self.issues {
            let mut at = String::new();
            node.path.write(&mut at);
            issues.0.borrow_mut().push(format!(
                "{at} is {}, expected {}",
                type_of(v),
                expect.name()
            ));
        }
        None
    }

    /// The object `key` (`null` when absent or not an object: reading it gives defaults).
    pub fn child<'s>(&'s self, key: &'s str) -> Node<'s> {
        self.field(key, Expect::Object).unwrap_or(Node {
            value: &NULL,
            path: Path::Key(&self.path, key),
            issues: self.issues,
        })
    }

    /// Whether the object `key` is present (and an object).
    pub fn has(&self, key: &str) -> bool {
        self.value.get(key).is_some_and(Json::is_object)
    }

    /// `key` as a string, `""` when absent.
    pub fn string(&self, key: &str) -> String {
        self.field(key, Expect::String)
            .and_then(|n| n.value.as_str())
            .unwrap_or_default()
            .to_string()
    }

    /// `key` as `true` or `false`, `false` when absent.
    pub fn flag(&self, key: &str) -> bool {
        self.flag_or(key, false)
    }

    /// `key` as `true` or `false`, `default` when absent.
    pub fn flag_or(&self, key: &str, default: bool) -> bool {
        self.field(key, Expect::Bool)
            .and_then(|n| n.value.as_bool())
            .unwrap_or(default)
    }

    /// `key` as a whole number.
    pub fn count(&self, key: &str) -> Option<u64> {
        self.field(key, Expect::Count)
            .and_then(|n| n.value.as_u64())
    }

    /// `key` as a whole number that fits a `u32`.
    pub fn count_u32(&self, key: &str) -> Option<u32> {
        self.count(key).and_then(|n| u32::try_from(n).ok())
    }

    /// `key` as a whole number that fits a `u16`.
    pub fn count_u16(&self, key: &str) -> Option<u16> {
        self.count(key).and_then(|n| u16::try_from(n).ok())
    }

    /// `key` as any number.
    pub fn number(&self, key: &str) -> Option<f64> {
        self.field(key, Expect::Number)
            .and_then(|n| n.value.as_f64())
    }

    /// The object `key` read as `T` (its default when absent).
    pub fn object<T: FromJson + Default>(&self, key: &str) -> T {
        self.field(key, Expect::Object)
            .map(T::from_json)
            .unwrap_or_default()
    }

    /// The object `key` read as `T`, `None` when absent.
    pub fn optional<T: FromJson>(&self, key: &str) -> Option<T> {
        self.field(key, Expect::Object).map(T::from_json)
    }

    /// Every element of the list `key`, in order (none when absent).
    pub fn each<'s>(&'s self, key: &'s str, mut read: impl FnMut(Node<'_>)) {
        let Some(list) = self.field(key, Expect::List) else {
            return;
        };
        for (i, item) in list.value.as_array().into_iter().flatten().enumerate() {
            read(Node {
                value: item,
                path: Path::Index(&list.path, i),
                issues: self.issues,
            });
        }
    }

    /// Every element of the list `key` read as `T` (each an object).
    pub fn list<T: FromJson>(&self, key: &str) -> Vec<T> {
        let mut out = Vec::new();
        self.each(key, |item| {
            if item.value.is_object() {
                out.push(T::from_json(item));
            } else {
                item.complain(Expect::Object);
                out.push(T::from_json(Node {
                    value: &NULL,
                    ..item
                }));
            }
        });
        out
    }

    /// The strings of the list `key` (other elements left out).
    pub fn strings(&self, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.each(key, |item| {
            if let Some(s) = item.value.as_str() {
                out.push(s.to_string());
            }
        });
        out
    }

    /// The object `key` as `(name, value)` pairs of strings (non-string values
    /// left out). A `Vec`: these maps hold a handful of entries, and one more
    /// `BTreeMap` instantiation costs kilobytes of wasm.
    pub fn string_map(&self, key: &str) -> Vec<(String, String)> {
        self.field(key, Expect::Object)
            .and_then(|n| n.value.as_object())
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.to_string(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn complain(&self, expect: Expect) {
        if let Some(issues) = self.issues {
            let mut at = String::new();
            self.path.write(&mut at);
            issues.0.borrow_mut().push(format!(
                "{at} is {}, expected {}",
                type_of(self.value),
                expect.name()
            ));
        }
    }
}

/// Parses `text` as a JSON object and reads it as `T`.
///
/// ```
/// use flux_shard_metrics::json::parse_object;
/// use flux_shard_metrics::kube::Pod;
/// let pod: Pod = parse_object(r#"{"metadata": {"name": "p"}, "status": {"phase": "Running"}}"#).unwrap();
/// assert_eq!((pod.metadata.name.as_str(), pod.status.phase.as_str()), ("p", "Running"));
/// assert_eq!(parse_object::<Pod>("[1]").unwrap_err(), "expected a JSON object, found an array");
/// assert!(parse_object::<Pod>("{").unwrap_err().starts_with("not JSON: EOF while parsing an object"));
/// ```
pub fn parse_object<T: FromJson>(text: &str) -> Result<T, String> {
    parse_object_value(text).map(|value| T::from_json(Node::new(&value)))
}

/// The JSON object `text` holds, as a value ([`parse_object`] before it is read).
pub fn parse_object_value(text: &str) -> Result<Json<'_>, String> {
    let value = Json::parse(text).map_err(|e| format!("not JSON: {e}"))?;
    match &value {
        Json::Object(_) => Ok(value),
        Json::Array(_) => Err("expected a JSON object, found an array".into()),
        _ => Err("expected a JSON object".into()),
    }
}

/// Reads `value` as `T`, with the complaints about fields of another type than declared.
///
/// ```
/// use flux_shard_metrics::json::{read_checked, Json};
/// use flux_shard_metrics::kube::Deployment;
/// let v = Json::parse(r#"{"spec": {"replicas": "2", "template": {"spec": {"containers": []}}}}"#).unwrap();
/// let (_, issues) = read_checked::<Deployment>(&v);
/// assert_eq!(issues, ["spec.replicas is \"2\", expected a whole number"]);
/// ```
pub fn read_checked<T: FromJson>(value: &Json<'_>) -> (T, Vec<String>) {
    let issues = Issues::default();
    let read = T::from_json(Node::checked(value, &issues));
    (read, issues.take())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_read_as_defaults() {
        let v =
            Json::from(&serde_json::json!({"a": 5, "b": "x", "c": -1, "d": {"k": "v", "n": 1}}));
        let n = Node::new(&v);
        assert_eq!(n.string("a"), "");
        assert_eq!(n.string("b"), "x");
        assert_eq!(n.count_u32("c"), None);
        assert_eq!(n.count_u32("a"), Some(5));
        assert_eq!(n.strings("b").len(), 0);
        assert_eq!(n.string_map("d"), vec![("k".to_string(), "v".to_string())]);
    }

    #[test]
    fn complaints_name_the_path_of_each_element() {
        #[derive(Default)]
        struct Item(String);
        impl FromJson for Item {
            fn from_json(n: Node<'_>) -> Self {
                Item(n.string("name"))
            }
        }
        let v = Json::from(
            &serde_json::json!({"spec": {"shards": [{"name": "a"}, {"name": 3}, "x"], "suspend": "yes"}}),
        );
        let issues = Issues::default();
        let root = Node::checked(&v, &issues);
        let spec = root.child("spec");
        let items: Vec<Item> = spec.list("shards");
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].0, "a");
        assert!(!spec.flag("suspend"));
        assert!(!root.child("status").flag("absent"));
        assert_eq!(
            issues.take(),
            [
                "spec.shards[1].name is 3, expected a string",
                "spec.shards[2] is \"x\", expected an object",
                "spec.suspend is \"yes\", expected true or false"
            ]
        );
    }
}
