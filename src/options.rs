//! The options of the JS API (and of the CLI, which passes its flags through
//! them), read and checked in one place with one wording. TypeScript keeps
//! only their types; every rule and message is here.
//!
//! ```
//! use flux_shard_metrics::options::read_shard_metrics_options;
//! let o = read_shard_metrics_options(r#"{"server": "http://127.0.0.1:8001", "namespace": "flux-system", "name": "x", "timeoutMs": 5000}"#).unwrap();
//! assert_eq!((o.connection.timeout_ms, o.connection.concurrency), (5000, 8));
//! let e = read_shard_metrics_options(r#"{"server": "", "namespace": "a", "name": "x", "timeoutMs": 0}"#).unwrap_err();
//! assert_eq!(e.message, "invalid option timeoutMs: must be a whole number from 1 to 3600000, got 0");
//! ```

use serde_json::{Map, Value};

use crate::kube::FromJson;
use crate::problem::Problem;
use crate::prometheus::{read_prometheus_options, PrometheusOptions};
use crate::rates::PreviousRead;

/// Per-request deadline when not told otherwise, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
/// The longest deadline accepted, in milliseconds (an hour).
pub const MAX_TIMEOUT_MS: u32 = 3_600_000;
/// The largest body read when not told otherwise: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;
/// The largest cap accepted: 1 GiB.
pub const MAX_BODY_BYTES: u64 = 1024 * 1024 * 1024;
/// Metrics requests at once when not told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// The most metrics requests at once.
pub const MAX_CONCURRENCY: usize = 64;

/// `fetch`'s credentials mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Credentials {
    /// Never send cookies.
    Omit,
    /// Cookies for the page's own origin (the default).
    #[default]
    SameOrigin,
    /// Cookies for every origin.
    Include,
}

/// How to reach the Kubernetes API.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionOptions {
    /// Base URL of the API without a trailing `/`: `http://127.0.0.1:8001`
    /// (`kubectl proxy`), `""` (the page's own origin) or a backend prefix.
    pub server: String,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// `fetch` credentials.
    pub credentials: Credentials,
    /// Per-request deadline, covering the body.
    pub timeout_ms: u32,
    /// Largest body read.
    pub max_body_bytes: u64,
    /// Metrics requests at once.
    pub concurrency: usize,
}

impl Default for ConnectionOptions {
    fn default() -> Self {
        ConnectionOptions {
            server: String::new(),
            headers: Vec::new(),
            credentials: Credentials::SameOrigin,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

/// The options of `getShardMetrics`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardMetricsOptions {
    /// How to reach the API.
    pub connection: ConnectionOptions,
    /// Namespace of the FluxShardSet.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// The previous result, for rates.
    pub previous: Option<PreviousRead>,
    /// Counts over a window from Prometheus instead of pod scrapes.
    pub prometheus: Option<PrometheusOptions>,
}

/// The options of `listShardSets`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListOptions {
    /// How to reach the API.
    pub connection: ConnectionOptions,
    /// A namespace, or all when `None`.
    pub namespace: Option<String>,
}

const CONNECTION_KEYS: [&str; 6] = [
    "server",
    "headers",
    "credentials",
    "timeoutMs",
    "maxBodyBytes",
    "concurrency",
];

/// Reads the options of `getShardMetrics` (a JSON object).
pub fn read_shard_metrics_options(json: &str) -> Result<ShardMetricsOptions, Problem> {
    let o = object(json, &["namespace", "name", "previous", "prometheus"])?;
    let previous = match o.get("previous") {
        None | Some(Value::Null) => None,
        Some(v @ Value::Object(_)) => Some(PreviousRead::from_json(v)),
        Some(other) => {
            return Err(Problem::invalid_option(
                "previous",
                format!(
                    "must be an earlier result of getShardMetrics, got {}",
                    shown(other)
                ),
            ))
        }
    };
    let prometheus = match o.get("prometheus") {
        None | Some(Value::Null) => None,
        Some(v) => Some(read_prometheus_options(v)?),
    };
    Ok(ShardMetricsOptions {
        connection: connection(&o)?,
        namespace: required_string(&o, "namespace")?,
        name: required_string(&o, "name")?,
        previous,
        prometheus,
    })
}

/// Reads the options of `listShardSets` (a JSON object).
pub fn read_list_options(json: &str) -> Result<ListOptions, Problem> {
    let o = object(json, &["namespace"])?;
    let namespace = match o.get("namespace") {
        None | Some(Value::Null) => None,
        Some(_) => Some(required_string(&o, "namespace")?),
    };
    Ok(ListOptions {
        connection: connection(&o)?,
        namespace,
    })
}

fn object(json: &str, own: &[&str]) -> Result<Map<String, Value>, Problem> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| Problem::invalid_option("options", format!("not JSON: {e}")))?;
    let Value::Object(o) = value else {
        return Err(Problem::invalid_option(
            "options",
            format!("must be an object, got {}", shown(&value)),
        ));
    };
    for key in o.keys() {
        if !own.contains(&key.as_str()) && !CONNECTION_KEYS.contains(&key.as_str()) {
            let known: Vec<&str> = own.iter().chain(&CONNECTION_KEYS).copied().collect();
            return Err(Problem::invalid_option(
                key,
                format!("unknown option (known: {})", known.join(", ")),
            ));
        }
    }
    Ok(o)
}

/// A JSON value as a message shows it, shortened.
pub(crate) fn shown(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 60 {
        let head: String = text.chars().take(57).collect();
        format!("{head}...")
    } else {
        text
    }
}

fn required_string(o: &Map<String, Value>, key: &str) -> Result<String, Problem> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        None => Err(Problem::invalid_option(key, "is required")),
        Some(other) => Err(Problem::invalid_option(
            key,
            format!("must be a string, got {}", shown(other)),
        )),
    }
}

fn whole_number(o: &Map<String, Value>, key: &str, max: u64) -> Result<Option<u64>, Problem> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .filter(|n| (1..=max).contains(n))
            .map(Some)
            .ok_or_else(|| {
                Problem::invalid_option(
                    key,
                    format!("must be a whole number from 1 to {max}, got {}", shown(v)),
                )
            }),
    }
}

/// Extra request headers: an object of header names to one-line values.
pub(crate) fn headers(o: &Map<String, Value>, key: &str) -> Result<Vec<(String, String)>, Problem> {
    let mut headers = Vec::new();
    match o.get(key) {
        None | Some(Value::Null) => {}
        Some(Value::Object(h)) => {
            for (name, value) in h {
                let valid_name = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                if !valid_name {
                    return Err(Problem::invalid_option(
                        key,
                        format!(
                            "{} is not a valid header name",
                            shown(&Value::String(name.clone()))
                        ),
                    ));
                }
                match value {
                    Value::String(v) if !v.contains(['\r', '\n', '\0']) => {
                        headers.push((name.clone(), v.clone()))
                    }
                    other => {
                        return Err(Problem::invalid_option(
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
            return Err(Problem::invalid_option(
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

fn connection(o: &Map<String, Value>) -> Result<ConnectionOptions, Problem> {
    let server = match o.get("server") {
        None | Some(Value::Null) => String::new(),
        Some(_) => required_string(o, "server")?,
    };
    if !(server.is_empty()
        || server.starts_with("http://")
        || server.starts_with("https://")
        || server.starts_with('/'))
    {
        return Err(Problem::invalid_option(
            "server",
            format!(
                "must be an http(s) URL, a path on this origin, or \"\", got {}",
                shown(&Value::String(server))
            ),
        ));
    }
    let headers = headers(o, "headers")?;
    let credentials = match o.get("credentials") {
        None | Some(Value::Null) => Credentials::SameOrigin,
        Some(Value::String(s)) if s == "same-origin" => Credentials::SameOrigin,
        Some(Value::String(s)) if s == "omit" => Credentials::Omit,
        Some(Value::String(s)) if s == "include" => Credentials::Include,
        Some(other) => {
            return Err(Problem::invalid_option(
                "credentials",
                format!(
                    "must be \"omit\", \"same-origin\" or \"include\", got {}",
                    shown(other)
                ),
            ))
        }
    };
    Ok(ConnectionOptions {
        server: server.trim_end_matches('/').to_string(),
        headers,
        credentials,
        timeout_ms: whole_number(o, "timeoutMs", u64::from(MAX_TIMEOUT_MS))?
            .map_or(DEFAULT_TIMEOUT_MS, |n| n as u32),
        max_body_bytes: whole_number(o, "maxBodyBytes", MAX_BODY_BYTES)?
            .unwrap_or(DEFAULT_MAX_BODY_BYTES),
        concurrency: whole_number(o, "concurrency", MAX_CONCURRENCY as u64)?
            .map_or(DEFAULT_CONCURRENCY, |n| n as usize),
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
            (r#""bogus": 1"#, "bogus", "invalid option bogus: unknown option (known: namespace, name, previous, prometheus, server, headers, credentials, timeoutMs, maxBodyBytes, concurrency)"),
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
