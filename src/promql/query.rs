//! The PromQL of a read: four instant queries over one namespace, whatever the
//! number of pods. `max by` the series' own labels folds duplicates (a pod
//! scraped by two jobs) instead of adding them.

use super::Window;
use crate::kube::{Permission, Resource};
use crate::scrape::{
    ACTIVE_WORKERS, LEADER, MAX_WORKERS, PROCESS_START_TIME, RECONCILE_TIME_BUCKET,
    RECONCILE_TOTAL, WORKQUEUE_DEPTH,
};
use crate::url::query_escape;

/// Where Prometheus answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// Its HTTP API at this base URL (`http://prometheus:9090`, or a backend prefix); without a trailing `/`.
    Url(String),
    /// A Service, reached through the Kubernetes API server's service proxy
    /// (`/api/v1/namespaces/NS/services/NAME:PORT/proxy/`), with the API's credentials.
    Service {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
        /// Its port: a number or a port name.
        port: String,
    },
}

/// The label names that say where a series comes from; they differ between setups.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesLabels {
    /// The pod's namespace (`namespace`; `exported_namespace` when a scrape relabels it).
    pub namespace: String,
    /// The pod's name (`pod`).
    pub pod: String,
    /// The cluster, on a store that spans several (`cluster`).
    pub cluster: String,
}

impl Default for SeriesLabels {
    fn default() -> Self {
        SeriesLabels {
            namespace: "namespace".into(),
            pod: "pod".into(),
            cluster: "cluster".into(),
        }
    }
}

/// The queries of one read.
#[derive(Debug, Clone, PartialEq)]
pub struct Queries {
    /// Reconciliations per pod, controller and result over the window.
    pub reconciles: String,
    /// Reconcile duration buckets per pod, controller and `le` over the window.
    pub durations: String,
    /// The gauges (queue depth, workers, leader, start time) now.
    pub gauges: String,
    /// Reconciliations per second per pod, controller and result over the last 5 minutes.
    pub rate: String,
}

/// A PromQL string literal.
fn literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Queries {
    /// The queries for the pods of `namespace`, with the setup's label names, a pinned `cluster`, over `window`.
    pub fn new(
        namespace: &str,
        labels: &SeriesLabels,
        cluster: Option<&str>,
        window: &Window,
    ) -> Queries {
        let selector = selector(namespace, labels, cluster);
        let by = |extra: &str| format!("max by ({}, {}, {extra})", labels.namespace, labels.pod);
        let gauges = [
            WORKQUEUE_DEPTH,
            ACTIVE_WORKERS,
            MAX_WORKERS,
            LEADER,
            PROCESS_START_TIME,
        ]
        .join("|");
        Queries {
            reconciles: format!(
                "{} (increase({RECONCILE_TOTAL}{{{selector}}}[{}]))",
                by("controller, result"),
                window.text
            ),
            durations: format!(
                "{} (increase({RECONCILE_TIME_BUCKET}{{{selector}}}[{}]))",
                by("controller, le"),
                window.text
            ),
            gauges: format!(
                "{} ({{__name__=~\"{gauges}\", {selector}}})",
                by("__name__, controller, name")
            ),
            rate: format!(
                "{} (rate({RECONCILE_TOTAL}{{{selector}}}[{}]))",
                by("controller, result"),
                window.for_rate().text
            ),
        }
    }

    /// All four, in the order they are sent.
    pub fn all(&self) -> [&str; 4] {
        [&self.reconciles, &self.durations, &self.gauges, &self.rate]
    }
}

/// The range queries of the trends: over the window, in [`TrendQueries::steps`] steps.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendQueries {
    /// Reconciliations per second per pod, controller and result: the rate column's expression.
    pub rates: String,
    /// Each pod's `process_start_time_seconds`: a new value within the window is a restart.
    pub starts: String,
    /// Seconds between two points.
    pub step_seconds: f64,
}

impl TrendQueries {
    /// The trends' queries for `queries` (a read's) over `window`, in `points` steps.
    ///
    /// ```
    /// use flux_shard_metrics::promql::{Queries, TrendQueries, Window};
    /// let w = Window::parse("1h").unwrap();
    /// let t = TrendQueries::new("flux-system", &Default::default(), None, &w, 60);
    /// assert_eq!(t.step_seconds, 60.0);
    /// assert_eq!(t.rates, Queries::new("flux-system", &Default::default(), None, &w).rate);
    /// assert_eq!(t.starts, r#"max by (namespace, pod) (process_start_time_seconds{namespace="flux-system"})"#);
    /// ```
    pub fn new(
        namespace: &str,
        labels: &SeriesLabels,
        cluster: Option<&str>,
        window: &Window,
        points: usize,
    ) -> TrendQueries {
        let selector = selector(namespace, labels, cluster);
        TrendQueries {
            rates: Queries::new(namespace, labels, cluster, window).rate,
            starts: format!(
                "max by ({}, {}) ({PROCESS_START_TIME}{{{selector}}})",
                labels.namespace, labels.pod
            ),
            // Whole seconds, at least one.
            step_seconds: (window.seconds / points.max(1) as f64).ceil().max(1.0),
        }
    }
}

/// The series selector of a namespace (and a pinned cluster).
fn selector(namespace: &str, labels: &SeriesLabels, cluster: Option<&str>) -> String {
    let mut selector = format!("{}={}", labels.namespace, literal(namespace));
    if let Some(c) = cluster {
        selector.push_str(&format!(", {}={}", labels.cluster, literal(c)));
    }
    selector
}

/// Seconds as `S.mmm` (milliseconds as integers: formatting an f64 costs wasm size).
fn seconds_text(time: f64) -> String {
    let ms = (time * 1000.0).round().max(0.0) as u64;
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// The path of an instant query at `time` (seconds since the epoch), and what it needs:
/// on a Prometheus URL, `/api/v1/query?…` under it; through the API server, under the
/// Service's proxy, which needs `get` on `services/proxy`.
pub fn query_path(location: &Location, query: &str, time: f64) -> (String, Option<Permission>) {
    let api = format!(
        "api/v1/query?query={}&time={}",
        query_escape(query),
        seconds_text(time)
    );
    api_path(location, api)
}

/// The path of a range query from `start` to `end` (seconds since the epoch) every `step`
/// seconds, and what it needs (as [`query_path`]).
///
/// ```
/// use flux_shard_metrics::promql::{range_query_path, Location};
/// let (path, _) = range_query_path(&Location::Url("http://p:9090".into()), "up", 100.0, 160.5, 30.0);
/// assert_eq!(path, "/api/v1/query_range?query=up&start=100.000&end=160.500&step=30");
/// ```
pub fn range_query_path(
    location: &Location,
    query: &str,
    start: f64,
    end: f64,
    step: f64,
) -> (String, Option<Permission>) {
    let api = format!(
        "api/v1/query_range?query={}&start={}&end={}&step={}",
        query_escape(query),
        seconds_text(start),
        seconds_text(end),
        step.round().max(1.0) as u64
    );
    api_path(location, api)
}

/// `api` (a path of the Prometheus HTTP API without its leading `/`) at `location`.
fn api_path(location: &Location, api: String) -> (String, Option<Permission>) {
    match location {
        Location::Url(_) => (format!("/{api}"), None),
        Location::Service {
            namespace,
            name,
            port,
        } => (
            Resource::service_proxy_path(namespace, name, port, &api),
            Some(Resource::service_proxy_permission(namespace)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_with_other_label_names_and_a_cluster() {
        let labels = SeriesLabels {
            namespace: "exported_namespace".into(),
            pod: "exported_pod".into(),
            cluster: "k8s_cluster".into(),
        };
        let q = Queries::new(
            "flux-system",
            &labels,
            Some("eu-\"1\""),
            &Window::parse("7d").unwrap(),
        );
        assert_eq!(
            q.reconciles,
            r#"max by (exported_namespace, exported_pod, controller, result) (increase(controller_runtime_reconcile_total{exported_namespace="flux-system", k8s_cluster="eu-\"1\""}[7d]))"#
        );
        assert_eq!(
            q.gauges,
            r#"max by (exported_namespace, exported_pod, __name__, controller, name) ({__name__=~"workqueue_depth|controller_runtime_active_workers|controller_runtime_max_concurrent_reconciles|leader_election_master_status|process_start_time_seconds", exported_namespace="flux-system", k8s_cluster="eu-\"1\""})"#
        );
        assert!(q.rate.ends_with("[5m]))"), "{}", q.rate);
        assert!(q
            .durations
            .contains("controller_runtime_reconcile_time_seconds_bucket"));
    }

    #[test]
    fn paths_direct_and_through_the_api_server() {
        let (path, permission) = query_path(
            &Location::Url("http://p:9090".into()),
            "up{a=\"b\"}",
            1700000000.5,
        );
        assert_eq!(
            path,
            "/api/v1/query?query=up%7Ba%3D%22b%22%7D&time=1700000000.500"
        );
        assert!(permission.is_none());
        let service = Location::Service {
            namespace: "monitoring".into(),
            name: "prometheus-operated".into(),
            port: "web".into(),
        };
        let (path, permission) = query_path(&service, "up", 1.0);
        assert_eq!(path, "/api/v1/namespaces/monitoring/services/prometheus-operated:web/proxy/api/v1/query?query=up&time=1.000");
        assert_eq!(
            permission.unwrap().to_string(),
            "`get` on `services/proxy` (API group core) in namespace `monitoring`"
        );
    }
}
