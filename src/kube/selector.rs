//! Kubernetes label selectors as controllers read `--watch-label-selector`:
//! equality (`k=v`, `k==v`, `k!=v`) and set-based (`k in (a,b)`, `k notin (a)`,
//! `k`, `!k`) requirements, joined by commas.

use std::fmt;

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// `key in (values)`, `key=value`, `key==value`.
    In(String, Vec<String>),
    /// `key notin (values)`, `key!=value`.
    NotIn(String, Vec<String>),
    /// `key`: the label is present.
    Exists(String),
    /// `!key`: the label is absent.
    DoesNotExist(String),
}

impl Requirement {
    /// The label key it is about.
    pub fn key(&self) -> &str {
        match self {
            Requirement::In(k, _)
            | Requirement::NotIn(k, _)
            | Requirement::Exists(k)
            | Requirement::DoesNotExist(k) => k,
        }
    }

    /// Whether an object whose label `key` has `value` (`None`: absent) meets it.
    pub fn matches(&self, value: Option<&str>) -> bool {
        match self {
            Requirement::In(_, values) => value.is_some_and(|v| values.iter().any(|x| x == v)),
            Requirement::NotIn(_, values) => !value.is_some_and(|v| values.iter().any(|x| x == v)),
            Requirement::Exists(_) => value.is_some(),
            Requirement::DoesNotExist(_) => value.is_none(),
        }
    }
}

/// A parsed label selector: every requirement must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    /// The requirements, in the order written.
    pub requirements: Vec<Requirement>,
}

/// Why a selector could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError(pub String);

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Selector {
    /// Parses a selector.
    ///
    /// ```
    /// use flux_shard_metrics::kube::Selector;
    /// let s = Selector::parse("sharding.fluxcd.io/key in (shard1, shard2)").unwrap();
    /// assert!(s.matches_key("sharding.fluxcd.io/key", Some("shard2")));
    /// assert!(!s.matches_key("sharding.fluxcd.io/key", None));
    /// assert!(Selector::parse("!sharding.fluxcd.io/key").unwrap().matches_key("sharding.fluxcd.io/key", None));
    /// ```
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        let mut requirements = Vec::new();
        for part in split(text) {
            requirements.push(requirement(part)?);
        }
        Ok(Selector { requirements })
    }

    /// Whether an object with label `key` set to `value` (`None`: absent)
    /// meets every requirement on `key`; requirements on other labels are not
    /// considered.
    pub fn matches_key(&self, key: &str, value: Option<&str>) -> bool {
        self.requirements
            .iter()
            .filter(|r| r.key() == key)
            .all(|r| r.matches(value))
    }

    /// Whether an object with these labels meets every requirement (what a controller's
    /// cache selects with its `--watch-label-selector`).
    ///
    /// ```
    /// use flux_shard_metrics::kube::Selector;
    /// let labels = [("sharding.fluxcd.io/key".to_string(), "shard9".to_string())];
    /// assert!(Selector::parse("sharding.fluxcd.io/key notin (shard1, shard2)").unwrap().matches(&labels));
    /// assert!(!Selector::parse("!sharding.fluxcd.io/key").unwrap().matches(&labels));
    /// assert!(Selector::default().matches(&labels));
    /// ```
    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        self.requirements.iter().all(|r| {
            let value = labels
                .iter()
                .find(|(k, _)| k == r.key())
                .map(|(_, v)| v.as_str());
            r.matches(value)
        })
    }

    /// The sharding key and values of a shard's selector: its first `key in (…)` / `key=…`
    /// requirement (`sharding.fluxcd.io/key in (shard1)` → `("sharding.fluxcd.io/key", ["shard1"])`).
    pub fn selected_values(&self) -> Option<(&str, &[String])> {
        self.requirements.iter().find_map(|r| match r {
            Requirement::In(k, values) => Some((k.as_str(), values.as_slice())),
            _ => None,
        })
    }

    /// The key a main controller's selector leaves the shards' objects out by: `!key`, or the
    /// legacy `key notin (shard1, shard2)` (then also its values).
    pub fn excluded_key(&self) -> Option<(&str, Option<&[String]>)> {
        self.requirements.iter().find_map(|r| match r {
            Requirement::DoesNotExist(k) => Some((k.as_str(), None)),
            Requirement::NotIn(k, values) => Some((k.as_str(), Some(values.as_slice()))),
            _ => None,
        })
    }
}

impl fmt::Display for Selector {
    /// The selector as Kubernetes writes it (`a=b,!c`), for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match r {
                Requirement::In(k, v) if v.len() == 1 => write!(f, "{k}={}", v[0])?,
                Requirement::In(k, v) => write!(f, "{k} in ({})", v.join(", "))?,
                Requirement::NotIn(k, v) => write!(f, "{k} notin ({})", v.join(", "))?,
                Requirement::Exists(k) => write!(f, "{k}")?,
                Requirement::DoesNotExist(k) => write!(f, "!{k}")?,
            }
        }
        Ok(())
    }
}

/// Splits on the commas that are not inside parentheses.
fn split(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
}

fn key(text: &str) -> Result<String, SelectorError> {
    if valid_key(text) {
        Ok(text.to_string())
    } else {
        Err(SelectorError(format!("invalid label key {text:?}")))
    }
}

fn requirement(part: &str) -> Result<Requirement, SelectorError> {
    for (word, set_in) in [(" notin ", false), (" in ", true)] {
        if let Some(at) = part.find(word) {
            let k = key(part[..at].trim())?;
            let rest = part[at + word.len()..].trim();
            let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else {
                return Err(SelectorError(format!(
                    "expected a parenthesised list of values in {part:?}"
                )));
            };
            let values = inner.split(',').map(|v| v.trim().to_string()).collect();
            return Ok(if set_in {
                Requirement::In(k, values)
            } else {
                Requirement::NotIn(k, values)
            });
        }
    }
    for (op, equal) in [("!=", false), ("==", true), ("=", true)] {
        if let Some(at) = part.find(op) {
            let k = key(part[..at].trim())?;
            let v = vec![part[at + op.len()..].trim().to_string()];
            return Ok(if equal {
                Requirement::In(k, v)
            } else {
                Requirement::NotIn(k, v)
            });
        }
    }
    match part.strip_prefix('!') {
        Some(k) => Ok(Requirement::DoesNotExist(key(k.trim())?)),
        None => Ok(Requirement::Exists(key(part)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sharding.fluxcd.io/key";

    #[test]
    fn every_form() {
        let cases: [(&str, Option<&str>, bool); 12] = [
            ("sharding.fluxcd.io/key in (shard1)", Some("shard1"), true),
            ("sharding.fluxcd.io/key in (shard1)", Some("shard2"), false),
            ("sharding.fluxcd.io/key in (shard1)", None, false),
            ("sharding.fluxcd.io/key=shard1", Some("shard1"), true),
            ("sharding.fluxcd.io/key == shard1", Some("shard1"), true),
            ("sharding.fluxcd.io/key!=shard1", None, true),
            ("sharding.fluxcd.io/key!=shard1", Some("shard1"), false),
            ("sharding.fluxcd.io/key notin (a,b)", Some("c"), true),
            ("sharding.fluxcd.io/key notin (a,b)", Some("a"), false),
            ("!sharding.fluxcd.io/key", Some("a"), false),
            ("sharding.fluxcd.io/key", Some("a"), true),
            ("app=x,!sharding.fluxcd.io/key", None, true),
        ];
        for (text, value, expected) in cases {
            let s = Selector::parse(text).unwrap();
            assert_eq!(s.matches_key(KEY, value), expected, "{text} with {value:?}");
        }
        assert_eq!(
            Selector::parse("sharding.fluxcd.io/key in shard1")
                .unwrap_err()
                .0,
            "expected a parenthesised list of values in \"sharding.fluxcd.io/key in shard1\""
        );
        assert!(Selector::parse("a b").is_err());
        assert_eq!(Selector::parse("").unwrap(), Selector::default());
    }
}

/// What a controller's cache holds: the objects its label selector selects, in every namespace or,
/// with `--watch-all-namespaces=false`, only in its own.
///
/// ```
/// use flux_shard_metrics::kube::{Selection, Selector};
/// let labels = [("sharding.fluxcd.io/key".to_string(), "shard1".to_string())];
/// let everywhere = Selection::everywhere(Selector::parse("sharding.fluxcd.io/key=shard1").unwrap());
/// assert!(everywhere.selects("apps", &labels));
/// let own = Selection { namespace: Some("flux-system".into()), ..everywhere };
/// assert!(own.selects("flux-system", &labels));
/// assert!(!own.selects("apps", &labels));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The label selector (an empty one: every object).
    pub labels: Selector,
    /// The only namespace it watches, or `None` for every namespace.
    pub namespace: Option<String>,
}

impl Selection {
    /// `labels`, in every namespace.
    pub fn everywhere(labels: Selector) -> Selection {
        Selection {
            labels,
            namespace: None,
        }
    }

    /// Whether an object of `namespace` with `labels` is in the cache.
    pub fn selects(&self, namespace: &str, labels: &[(String, String)]) -> bool {
        self.namespace.as_deref().map_or(true, |n| n == namespace) && self.labels.matches(labels)
    }
}
