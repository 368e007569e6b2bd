//! The `prometheus` option of `getShardMetrics`: where Prometheus is, the
//! window, and the label names of the series; checked here, once.

use serde_json::Value;

use super::defaults::{is_url_or_path, DEFAULT_WINDOW};
use super::toolkit::Options;
use crate::kube::{validate_name, validate_namespace};
use crate::problem::Problem;
use crate::promql::{Location, SeriesLabels, Window};
use crate::text::shown_str;

/// The `prometheus` option.
#[derive(Debug, Clone, PartialEq)]
pub struct PrometheusOptions {
    /// Where it is.
    pub location: Location,
    /// Over how long the counts are taken (default `1h`).
    pub window: Window,
    /// The label names of the series.
    pub labels: SeriesLabels,
    /// A value the cluster label must have (a store that spans clusters), or none.
    pub cluster: Option<String>,
    /// Headers for a Prometheus `url` (never the Kubernetes API's: another server).
    pub headers: Vec<(String, String)>,
}

const KEYS: [&str; 6] = ["url", "service", "window", "labels", "cluster", "headers"];

fn invalid(key: &str, what: impl AsRef<str>) -> Problem {
    Problem::invalid_option(&format!("prometheus.{key}"), what)
}

fn label_name(key: &str, name: &str) -> Result<String, Problem> {
    let ok = name
        .bytes()
        .enumerate()
        .all(|(i, b)| b == b'_' || b.is_ascii_alphabetic() || (i > 0 && b.is_ascii_digit()));
    if name.is_empty() || !ok {
        return Err(invalid(
            key,
            format!(
                "{} is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)",
                shown_str(name)
            ),
        ));
    }
    Ok(name.to_string())
}

/// Reads `NS/NAME:PORT` (a `svc/` in front is allowed, as kubectl writes it).
///
/// ```
/// use flux_shard_metrics::promql::Location;
/// use flux_shard_metrics::options::read_prometheus_options;
/// let o = read_prometheus_options(&serde_json::json!({"service": "monitoring/prometheus-operated:web"})).unwrap();
/// assert_eq!(o.location, Location::Service { namespace: "monitoring".into(), name: "prometheus-operated".into(), port: "web".into() });
/// ```
fn service(text: &str) -> Result<Location, Problem> {
    let wrong = || {
        invalid(
            "service",
            format!(
                "must be NAMESPACE/NAME:PORT (e.g. monitoring/prometheus-operated:9090), got {}",
                shown_str(text)
            ),
        )
    };
    let rest = text.strip_prefix("svc/").unwrap_or(text);
    let (namespace, name_port) = rest.split_once('/').ok_or_else(wrong)?;
    let (name, port) = name_port.split_once(':').ok_or_else(wrong)?;
    validate_namespace(namespace).map_err(|e| invalid("service", e.to_string()))?;
    validate_name("Service name", name).map_err(|e| invalid("service", e.to_string()))?;
    let numeric = port.parse::<u16>().is_ok_and(|p| p > 0);
    let named = !port.is_empty()
        && port.len() <= 15
        && port
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && port.bytes().any(|b| b.is_ascii_lowercase());
    if !(numeric || named) {
        return Err(invalid(
            "service",
            format!(
                "the port must be a number from 1 to 65535 or a port name, got {}",
                shown_str(port)
            ),
        ));
    }
    Ok(Location::Service {
        namespace: namespace.into(),
        name: name.into(),
        port: port.into(),
    })
}

/// Reads the `prometheus` option (an object); every mistake names its key.
///
/// ```
/// use flux_shard_metrics::options::read_prometheus_options;
/// let o = read_prometheus_options(&serde_json::json!({"url": "http://127.0.0.1:9090/", "window": "24h"})).unwrap();
/// assert_eq!((o.window.seconds, o.labels.pod.as_str()), (86400.0, "pod"));
/// let e = read_prometheus_options(&serde_json::json!({"url": "http://x", "window": "1 hour"})).unwrap_err();
/// assert_eq!(e.message, "invalid option prometheus.window: must be whole numbers with units, such as 5m, 1h or 7d, got \"1 hour\"");
/// ```
pub fn read_prometheus_options(value: &Value) -> Result<PrometheusOptions, Problem> {
    let Some(o) = Options::nested(
        Some(value),
        "prometheus",
        "an object such as { url, window } or { service, window }",
    )?
    else {
        return Err(Problem::invalid_option(
            "prometheus",
            "must be an object such as { url, window } or { service, window }, got null",
        ));
    };
    o.known(&KEYS)?;
    let location = match (o.string("url")?, o.string("service")?) {
        (Some(_), Some(_)) => return Err(o.invalid("url", "give either url or service, not both")),
        (None, None) => {
            return Err(Problem::invalid_option(
                "prometheus",
                "needs url (Prometheus' HTTP API) or service (NAMESPACE/NAME:PORT, through the API server)",
            ))
        }
        (Some(url), None) => {
            if !is_url_or_path(url) {
                return Err(o.invalid(
                    "url",
                    format!("must be an http(s) URL or a path on this origin, got {}", shown_str(url)),
                ));
            }
            Location::Url(url.trim_end_matches('/').to_string())
        }
        (None, Some(s)) => service(s)?,
    };
    let window_text = o.string("window")?.unwrap_or(DEFAULT_WINDOW);
    let window = Window::parse(window_text)
        .map_err(|why| o.invalid("window", format!("{why}, got {}", shown_str(window_text))))?;
    let mut labels = SeriesLabels::default();
    if let Some(l) = Options::nested(
        o.get("labels"),
        "prometheus.labels",
        "an object such as { \"namespace\": \"exported_namespace\" }",
    )? {
        for (key, value) in l.entries() {
            let Value::String(name) = value else {
                return Err(o.invalid(
                    "labels",
                    format!(
                        "the label name for {key} must be a string, got {}",
                        crate::text::shown(value)
                    ),
                ));
            };
            let slot = match key.as_str() {
                "namespace" => &mut labels.namespace,
                "pod" => &mut labels.pod,
                "cluster" => &mut labels.cluster,
                _ => {
                    return Err(o.invalid(
                        "labels",
                        format!("unknown label {key} (known: namespace, pod, cluster)"),
                    ))
                }
            };
            *slot = label_name("labels", name)?;
        }
    }
    let cluster = o.string("cluster")?.map(str::to_string);
    let headers = o.headers("headers")?;
    if !headers.is_empty() && matches!(location, Location::Service { .. }) {
        return Err(o.invalid(
            "headers",
            "go with url; through the API server the connection's own headers are used",
        ));
    }
    Ok(PrometheusOptions {
        location,
        window,
        labels,
        cluster,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(v: Value) -> String {
        read_prometheus_options(&v).unwrap_err().message
    }

    #[test]
    fn each_mistake_is_named() {
        let cases = [
            (json!("http://x"), "invalid option prometheus: must be an object such as { url, window } or { service, window }, got \"http://x\""),
            (json!({}), "invalid option prometheus: needs url (Prometheus' HTTP API) or service (NAMESPACE/NAME:PORT, through the API server)"),
            (json!({"url": "http://x", "service": "a/b:1"}), "invalid option prometheus.url: give either url or service, not both"),
            (json!({"url": "prometheus:9090"}), "invalid option prometheus.url: must be an http(s) URL or a path on this origin, got \"prometheus:9090\""),
            (json!({"service": "prometheus:9090"}), "invalid option prometheus.service: must be NAMESPACE/NAME:PORT (e.g. monitoring/prometheus-operated:9090), got \"prometheus:9090\""),
            (json!({"service": "monitoring/prometheus:0"}), "invalid option prometheus.service: the port must be a number from 1 to 65535 or a port name, got \"0\""),
            (json!({"url": "http://x", "window": "30m1h"}), "invalid option prometheus.window: units must go from the largest to the smallest, each once (y, w, d, h, m, s, ms), got \"30m1h\""),
            (json!({"url": "http://x", "labels": {"pod": "pod-name"}}), "invalid option prometheus.labels: \"pod-name\" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)"),
            (json!({"url": "http://x", "labels": {"node": "node"}}), "invalid option prometheus.labels: unknown label node (known: namespace, pod, cluster)"),
            (json!({"url": "http://x", "step": 5}), "invalid option prometheus.step: unknown option (known: url, service, window, labels, cluster, headers)"),
            (json!({"url": "http://x", "cluster": 3}), "invalid option prometheus.cluster: must be a string, got 3"),
            (json!({"url": "http://x", "headers": {"a b": "c"}}), "invalid option prometheus.headers: \"a b\" is not a valid header name"),
            (json!({"service": "m/p:9090", "headers": {"a": "c"}}), "invalid option prometheus.headers: go with url; through the API server the connection's own headers are used"),
        ];
        for (value, expected) in cases {
            assert_eq!(message(value.clone()), expected, "{value}");
        }
        let p = read_prometheus_options(&json!({"url": "http://x", "window": "x"})).unwrap_err();
        assert_eq!(p.option.as_deref(), Some("prometheus.window"));
    }

    #[test]
    fn defaults_and_values() {
        let o = read_prometheus_options(&json!({"service": "svc/monitoring/kube-prometheus-stack-prometheus:9090", "labels": {"namespace": "exported_namespace"}, "cluster": "eu-1"})).unwrap();
        assert_eq!(
            o.location,
            Location::Service {
                namespace: "monitoring".into(),
                name: "kube-prometheus-stack-prometheus".into(),
                port: "9090".into()
            }
        );
        assert_eq!(
            (
                o.window.text.as_str(),
                o.labels.namespace.as_str(),
                o.labels.pod.as_str()
            ),
            ("1h", "exported_namespace", "pod")
        );
        assert_eq!(o.cluster.as_deref(), Some("eu-1"));
        let u = read_prometheus_options(
            &json!({"url": "/api/prometheus/", "headers": {"X-Scope-OrgID": "team-a"}}),
        )
        .unwrap();
        assert_eq!(u.location, Location::Url("/api/prometheus".into()));
        assert_eq!(
            u.headers,
            [("X-Scope-OrgID".to_string(), "team-a".to_string())]
        );
    }
}
