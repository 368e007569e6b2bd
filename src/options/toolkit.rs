//! The one toolkit every option is read with: an object of options whose keys
//! are named by their whole path (`timeoutMs`, `prometheus.window`), so that a
//! mistake in a nested option is worded like any other.

use serde_json::{Map, Value};

use crate::problem::Problem;
use crate::text::{shown, shown_str};

/// An object of options at a path (`""` at the top, `"prometheus"` inside it).
#[derive(Clone, Copy)]
pub(crate) struct Options<'o> {
    map: &'o Map<String, Value>,
    prefix: &'o str,
}

/// Reads the top-level options object of a call (JSON text).
pub(crate) fn parse_options(json: &str) -> Result<Map<String, Value>, Problem> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| Problem::invalid_option("options", format!("not JSON: {e}")))?;
    match value {
        Value::Object(o) => Ok(o),
        other => Err(Problem::invalid_option(
            "options",
            format!("must be an object, got {}", shown(&other)),
        )),
    }
}

impl<'o> Options<'o> {
    /// The options of `map`, at the top.
    pub(crate) fn top(map: &'o Map<String, Value>) -> Options<'o> {
        Options { map, prefix: "" }
    }

    /// The object at `path` (`prometheus`), or what is wrong with it: `None` when absent or `null`.
    pub(crate) fn nested(
        value: Option<&'o Value>,
        path: &'o str,
        expected: &str,
    ) -> Result<Option<Options<'o>>, Problem> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Options { map, prefix: path })),
            Some(other) => Err(Problem::invalid_option(
                path,
                format!("must be {expected}, got {}", shown(other)),
            )),
        }
    }

    /// The whole path of `key`.
    pub(crate) fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// A mistake in the option `key`.
    pub(crate) fn invalid(&self, key: &str, what: impl AsRef<str>) -> Problem {
        Problem::invalid_option(&self.path(key), what)
    }

    /// Fails on the first key (in key order) that is not one of `known`.
    pub(crate) fn known(&self, known: &[&str]) -> Result<(), Problem> {
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(key) => {
                Err(self.invalid(key, format!("unknown option (known: {})", known.join(", "))))
            }
            None => Ok(()),
        }
    }

    /// Every key and value, in key order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&'o String, &'o Value)> {
        self.map.iter()
    }

    /// The value of `key`; `None` when absent or `null`.
    pub(crate) fn get(&self, key: &str) -> Option<&'o Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// `key` as a string; `None` when absent or `null`.
    pub(crate) fn string(&self, key: &str) -> Result<Option<&'o str>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => {
                Err(self.invalid(key, format!("must be a string, got {}", shown(other))))
            }
        }
    }

    /// `key` as a string that must be given.
    pub(crate) fn required_string(&self, key: &str) -> Result<String, Problem> {
        match self.map.get(key) {
            None => Err(self.invalid(key, "is required")),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => {
                Err(self.invalid(key, format!("must be a string, got {}", shown(other))))
            }
        }
    }

    /// `key` as a whole number from 1 to `max`.
    pub(crate) fn whole_number(&self, key: &str, max: u64) -> Result<Option<u64>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|n| (1..=max).contains(n))
                .map(Some)
                .ok_or_else(|| {
                    self.invalid(
                        key,
                        format!("must be a whole number from 1 to {max}, got {}", shown(v)),
                    )
                }),
        }
    }

    /// `key` as extra request headers: an object of header names to one-line values.
    pub(crate) fn headers(&self, key: &str) -> Result<Vec<(String, String)>, Problem> {
        let mut headers = Vec::new();
        match self.get(key) {
            None => {}
            Some(Value::Object(h)) => {
                for (name, value) in h {
                    let valid_name = !name.is_empty()
                        && name
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                    if !valid_name {
                        return Err(self.invalid(
                            key,
                            format!("{} is not a valid header name", shown_str(name)),
                        ));
                    }
                    match value {
                        Value::String(v) if !v.contains(['\r', '\n', '\0']) => {
                            headers.push((name.clone(), v.clone()))
                        }
                        other => {
                            return Err(self.invalid(
                                key,
                                format!(
                                    "the value of {name} must be a string on one line, got {}",
                                    shown(other)
                                ),
                            ))
                        }
                    }
                }
            }
            Some(other) => {
                return Err(self.invalid(
                    key,
                    format!(
                        "must be an object of header names to values, got {}",
                        shown(other)
                    ),
                ))
            }
        }
        Ok(headers)
    }
}
