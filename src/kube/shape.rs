//! The JSON types of the fields this crate reads, checked so that a field of
//! the wrong type (`spec.shards` as a string, `replicas` as `"2"`) is named
//! instead of silently read as its default. Absent fields are fine.

use serde_json::Value;

/// The JSON type a field should have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A string.
    String,
    /// `true` or `false`.
    Bool,
    /// A whole number, not negative.
    Count,
    /// An object.
    Object,
    /// A list.
    List,
}

impl Expect {
    fn fits(self, v: &Value) -> bool {
        match self {
            Expect::String => v.is_string(),
            Expect::Bool => v.is_boolean(),
            Expect::Count => v.is_u64(),
            Expect::Object => v.is_object(),
            Expect::List => v.is_array(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Expect::String => "a string",
            Expect::Bool => "true or false",
            Expect::Count => "a whole number",
            Expect::Object => "an object",
            Expect::List => "a list",
        }
    }
}

fn type_of(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let shown: String = s.chars().take(30).collect();
            serde_json::to_string(&shown).unwrap_or_default()
        }
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// The fields of a FluxShardSet that are read.
pub const FLUX_SHARD_SET: &[(&str, Expect)] = &[
    ("metadata.generation", Expect::Count),
    ("spec", Expect::Object),
    ("spec.sourceDeploymentRef", Expect::Object),
    ("spec.sourceDeploymentRef.name", Expect::String),
    ("spec.shards", Expect::List),
    ("spec.shards[]", Expect::Object),
    ("spec.shards[].name", Expect::String),
    ("spec.suspend", Expect::Bool),
    ("status.observedGeneration", Expect::Count),
    ("status.conditions", Expect::List),
    ("status.inventory.entries", Expect::List),
    ("status.inventory.entries[].id", Expect::String),
];

/// The fields of a Deployment that are read.
pub const DEPLOYMENT: &[(&str, Expect)] = &[
    ("spec.replicas", Expect::Count),
    ("spec.selector.matchLabels", Expect::Object),
    ("spec.template.spec.containers", Expect::List),
    ("spec.template.spec.containers[].name", Expect::String),
    ("spec.template.spec.containers[].args", Expect::List),
    ("status.readyReplicas", Expect::Count),
];

/// The fields of a Pod that are read.
pub const POD: &[(&str, Expect)] = &[
    ("metadata.ownerReferences", Expect::List),
    ("spec.containers", Expect::List),
    ("spec.containers[].ports[].containerPort", Expect::Count),
    ("status.phase", Expect::String),
    ("status.conditions", Expect::List),
    ("status.containerStatuses[].restartCount", Expect::Count),
];

/// Every field of `fields` present in `v` with another type: `path is X, expected Y`.
///
/// ```
/// use flux_shard_metrics::kube::{shape_issues, shape};
/// let v = serde_json::json!({"spec": {"replicas": "2", "template": {"spec": {"containers": []}}}});
/// assert_eq!(shape_issues(&v, shape::DEPLOYMENT), ["spec.replicas is \"2\", expected a whole number"]);
/// ```
pub fn shape_issues(v: &Value, fields: &[(&str, Expect)]) -> Vec<String> {
    let mut issues = Vec::new();
    for (path, expect) in fields {
        let mut found = Vec::new();
        collect(v, path, &mut found);
        for (at, value) in found {
            if !expect.fits(value) {
                issues.push(format!(
                    "{at} is {}, expected {}",
                    type_of(value),
                    expect.name()
                ));
            }
        }
    }
    issues
}

/// The values at `path` (`a.b[].c`: every element of the list `a.b`), with their concrete paths.
fn collect<'v>(v: &'v Value, path: &str, out: &mut Vec<(String, &'v Value)>) {
    fn walk<'v>(v: &'v Value, parts: &[&str], at: String, out: &mut Vec<(String, &'v Value)>) {
        let Some((first, rest)) = parts.split_first() else {
            out.push((at, v));
            return;
        };
        let (key, each) = match first.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (*first, false),
        };
        let Some(next) = v.get(key) else { return };
        let here = if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        };
        if each {
            // A list of the wrong type is reported by its own entry; only lists are walked.
            for (i, item) in next.as_array().into_iter().flatten().enumerate() {
                walk(item, rest, format!("{here}[{i}]"), out);
            }
        } else {
            walk(next, rest, here, out);
        }
    }
    let parts: Vec<&str> = path.split('.').collect();
    walk(v, &parts, String::new(), out);
}
