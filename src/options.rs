//! The options of the JS API (and of the CLI, which passes its flags through
//! them), read and checked in one place with one wording, by one toolkit
//! whose keys are named by their path (`prometheus.window`). TypeScript keeps
//! only their types, and reads the defaults from `js/generated/defaults.ts`.
//!
//! ```
//! use flux_shard_metrics::options::read_shard_metrics_options;
//! let o = read_shard_metrics_options(r#"{"server": "http://127.0.0.1:8001", "namespace": "flux-system", "name": "x", "timeoutMs": 5000}"#).unwrap();
//! assert_eq!((o.connection.timeout_ms, o.connection.concurrency), (5000, 8));
//! let e = read_shard_metrics_options(r#"{"server": "", "namespace": "a", "name": "x", "timeoutMs": 0}"#).unwrap_err();
//! assert_eq!(e.message, "invalid option timeoutMs: must be a whole number from 1 to 3600000, got 0");
//! ```

mod connection;
mod defaults;
mod prometheus;
mod toolkit;

use serde_json::Value;

pub use connection::{ConnectionOptions, Credentials};
pub use defaults::*;
pub use prometheus::{read_prometheus_options, PrometheusOptions};

use crate::json::{FromJson, Json, Node};
use crate::problem::Problem;
use crate::report::PreviousRead;
use crate::text::shown;
use connection::{read_connection, CONNECTION_KEYS};
use toolkit::{parse_options, Options};

/// The options of `getShardMetrics`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardMetricsOptions {
    /// How to reach the API.
    pub connection: ConnectionOptions,
    /// Namespace of the group.
    pub namespace: String,
    /// Which group: a FluxShardSet by name (`name`), or the group of a Deployment (`controller`).
    pub target: Target,
    /// The previous result, for rates.
    pub previous: Option<PreviousRead>,
    /// Counts over a window from Prometheus instead of pod scrapes.
    pub prometheus: Option<PrometheusOptions>,
}

/// Which group a read is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A FluxShardSet, by name (the option `name`).
    ShardSet(String),
    /// The shard group of a Deployment: its main controller or one of its shards (the option `controller`).
    Controller(String),
}

impl Target {
    /// The name given.
    pub fn name(&self) -> &str {
        match self {
            Target::ShardSet(n) | Target::Controller(n) => n,
        }
    }
}

/// The options of `listShardSets`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListOptions {
    /// How to reach the API.
    pub connection: ConnectionOptions,
    /// A namespace, or all when `None`.
    pub namespace: Option<String>,
}

/// The top-level keys of a call: its own, then the connection's.
fn known<'k>(own: &[&'k str]) -> Vec<&'k str> {
    own.iter().chain(&CONNECTION_KEYS).copied().collect()
}

/// Reads the options of `getShardMetrics` (a JSON object).
pub fn read_shard_metrics_options(json: &str) -> Result<ShardMetricsOptions, Problem> {
    let map = parse_options(json)?;
    let o = Options::top(&map);
    o.known(&known(&[
        "namespace",
        "name",
        "controller",
        "previous",
        "prometheus",
    ]))?;
    let previous = match o.get("previous") {
        None => None,
        Some(v @ Value::Object(_)) => Some(PreviousRead::from_json(Node::new(&Json::from(v)))),
        Some(other) => {
            return Err(o.invalid(
                "previous",
                format!(
                    "must be an earlier result of getShardMetrics, got {}",
                    shown(other)
                ),
            ))
        }
    };
    let prometheus = match o.get("prometheus") {
        None => None,
        Some(v) => Some(read_prometheus_options(v)?),
    };
    let target = match (o.string("name")?, o.string("controller")?) {
        (Some(_), Some(_)) => {
            return Err(o.invalid(
                "controller",
                "give either name (a FluxShardSet) or controller (a Deployment of a shard group), not both",
            ))
        }
        (Some(name), None) => Target::ShardSet(name.to_string()),
        (None, Some(controller)) => Target::Controller(controller.to_string()),
        (None, None) => {
            return Err(o.invalid(
                "name",
                "is required (a FluxShardSet), or controller (a Deployment of a shard group)",
            ))
        }
    };
    Ok(ShardMetricsOptions {
        connection: read_connection(&o)?,
        namespace: o.required_string("namespace")?,
        target,
        previous,
        prometheus,
    })
}

/// Reads the options of `listShardSets` (a JSON object).
pub fn read_list_options(json: &str) -> Result<ListOptions, Problem> {
    let map = parse_options(json)?;
    let o = Options::top(&map);
    o.known(&known(&["namespace"]))?;
    let namespace = match o.get("namespace") {
        None => None,
        Some(_) => Some(o.required_string("namespace")?),
    };
    Ok(ListOptions {
        connection: read_connection(&o)?,
        namespace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::ProblemKind;

    fn error(json: &str) -> (String, String) {
        let p = read_shard_metrics_options(json).unwrap_err();
        assert_eq!(p.kind, ProblemKind::InvalidOption);
        (p.option.unwrap(), p.message)
    }

    #[test]
    fn each_option_is_checked_with_one_wording() {
        let base = r#""server": "", "namespace": "ns", "name": "x""#;
        let cases = [
            (r#""timeoutMs": 2147483648"#, "timeoutMs", "invalid option timeoutMs: must be a whole number from 1 to 3600000, got 2147483648"),
            (r#""timeoutMs": 1.5"#, "timeoutMs", "invalid option timeoutMs: must be a whole number from 1 to 3600000, got 1.5"),
            (r#""timeoutMs": "NaN""#, "timeoutMs", "invalid option timeoutMs: must be a whole number from 1 to 3600000, got \"NaN\""),
            (r#""concurrency": 0"#, "concurrency", "invalid option concurrency: must be a whole number from 1 to 64, got 0"),
            (r#""maxBodyBytes": -1"#, "maxBodyBytes", "invalid option maxBodyBytes: must be a whole number from 1 to 1073741824, got -1"),
            (r#""credentials": "bogus""#, "credentials", "invalid option credentials: must be \"omit\", \"same-origin\" or \"include\", got \"bogus\""),
            (r#""headers": {"Authorization": 5}"#, "headers", "invalid option headers: the value of Authorization must be a string on one line, got 5"),
            (r#""headers": {"a b": "x"}"#, "headers", "invalid option headers: \"a b\" is not a valid header name"),
            (r#""headers": [["a", "b"]]"#, "headers", "invalid option headers: must be an object of header names to values, got [[\"a\",\"b\"]]"),
            (r#""bogus": 1"#, "bogus", "invalid option bogus: unknown option (known: namespace, name, controller, previous, prometheus, server, headers, credentials, timeoutMs, maxBodyBytes, concurrency)"),
            (r#""previous": 3"#, "previous", "invalid option previous: must be an earlier result of getShardMetrics, got 3"),
        ];
        for (extra, option, message) in cases {
            assert_eq!(
                error(&format!("{{{base}, {extra}}}")),
                (option.to_string(), message.to_string()),
                "{extra}"
            );
        }
        assert_eq!(
            error(r#"{"server": "ftp://x", "namespace": "ns", "name": "x"}"#).1,
            "invalid option server: must be an http(s) URL, a path on this origin, or \"\", got \"ftp://x\""
        );
        assert_eq!(
            error(r#"{"server": "", "name": "x"}"#).1,
            "invalid option namespace: is required"
        );
        assert_eq!(
            error("[]").1,
            "invalid option options: must be an object, got []"
        );
    }

    #[test]
    fn defaults_and_values() {
        let o = read_shard_metrics_options(
            r#"{"server": "http://127.0.0.1:8001/", "namespace": "ns", "name": "x", "headers": {"Authorization": "Bearer t"}, "credentials": "include", "concurrency": 16, "maxBodyBytes": 1000, "previous": {"readAt": 5, "deployments": []}}"#,
        )
        .unwrap();
        assert_eq!(o.connection.server, "http://127.0.0.1:8001");
        assert_eq!(
            o.connection.headers,
            [("Authorization".to_string(), "Bearer t".to_string())]
        );
        assert_eq!(o.connection.credentials, Credentials::Include);
        assert_eq!(
            (
                o.connection.concurrency,
                o.connection.max_body_bytes,
                o.connection.timeout_ms
            ),
            (16, 1000, DEFAULT_TIMEOUT_MS)
        );
        assert_eq!(o.previous.unwrap().read_at, 5.0);
        let list = read_list_options("{}").unwrap();
        assert_eq!(
            (list.namespace, list.connection),
            (None, ConnectionOptions::default())
        );
    }
}
