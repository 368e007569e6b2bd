//! Prometheus as the source of the counts, through the fake API server's
//! service proxy: series mapped to rows (pods listed now, pods of old
//! ReplicaSets, pods whose ReplicaSet is gone), answers that fail, the window
//! in the verdicts.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use flux_shard_metrics::options::{read_prometheus_options, PrometheusOptions};
use flux_shard_metrics::pipeline::{get_shard_metrics, Query};
use flux_shard_metrics::problem::ProblemKind;
use flux_shard_metrics::promql::{query_path, range_query_path, Queries, TrendQueries};
use flux_shard_metrics::report::Status;
use flux_shard_metrics::report::{
    DeploymentMetrics, ShardMetrics, SourceKind, TrendSource, TREND_POINTS,
};
use flux_shard_metrics::transport::Response;
use futures::executor::block_on;
use serde_json::{json, Value};
use support::*;

const SET: &str = "source-controller-shardset";

fn options() -> PrometheusOptions {
    read_prometheus_options(
        &json!({"service": "monitoring/prometheus-operated:web", "window": "1h"}),
    )
    .unwrap()
}

/// One series of an answer: its pod, its other labels, its value.
struct S {
    pod: String,
    labels: Vec<(String, String)>,
    value: f64,
}

fn s(pod: &str, labels: &[(&str, &str)], value: f64) -> S {
    S {
        pod: pod.into(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        value,
    }
}

/// A vector answer of these series.
fn vector(series: &[S]) -> String {
    let result: Vec<Value> = series
        .iter()
        .map(|one| {
            let mut metric = json!({"namespace": NS, "pod": one.pod});
            for (k, v) in &one.labels {
                metric[k] = json!(v);
            }
            json!({"metric": metric, "value": [NOW, one.value.to_string()]})
        })
        .collect();
    json!({"status": "success", "data": {"resultType": "vector", "result": result}}).to_string()
}

/// Routes the four queries of a read at READ_AT to these answers.
fn answer(
    c: &mut Cluster,
    o: &PrometheusOptions,
    reconciles: Response,
    durations: Response,
    gauges: Response,
    rate: Response,
) {
    let q = Queries::new(NS, &o.labels, o.cluster.as_deref(), &o.window);
    for (query, response) in [
        (&q.reconciles, reconciles),
        (&q.durations, durations),
        (&q.gauges, gauges),
        (&q.rate, rate),
    ] {
        c.api
            .routes
            .insert(query_path(&o.location, query, NOW).0, Ok(response));
    }
}

fn json200(body: String) -> Response {
    Response::json(200, body)
}

fn read(c: &mut Cluster, o: &PrometheusOptions) -> ShardMetrics {
    let api = c.finish();
    let query = Query {
        prometheus: Some(o),
        ..Query::new(NS, SET, READ_AT)
    };
    let m = block_on(get_shard_metrics(&api, &query)).unwrap();
    assert!(
        !api.paths().iter().any(|p| p.ends_with("/proxy/metrics")),
        "no pod is scraped when Prometheus is the source"
    );
    m
}

fn row<'m>(m: &'m ShardMetrics, name: &str) -> &'m DeploymentMetrics {
    m.deployments.iter().find(|d| d.name == name).unwrap()
}

fn reconciles(pod: &str, controller: &str, result: &str, value: f64) -> S {
    s(
        pod,
        &[("controller", controller), ("result", result)],
        value,
    )
}

fn cluster() -> Cluster {
    let mut c = Cluster::new(&["shard1"]);
    c.source(vec![FakePod::running("x2x4q", String::new())]);
    c.shard(
        "shard1",
        vec![
            FakePod::running("b7k9d", String::new()),
            FakePod::evicted("q5w2z"),
        ],
    );
    c
}

#[test]
fn series_of_every_pod_that_lived_in_the_window_count_for_its_deployment() {
    let o = options();
    let mut c = cluster();
    let series = [
        // Live pods, listed now.
        reconciles(
            "source-controller-7d9c5b-x2x4q",
            "gitrepository",
            "success",
            400.0,
        ),
        reconciles(
            "source-controller-7d9c5b-x2x4q",
            "gitrepository",
            "error",
            4.0,
        ),
        reconciles(
            "source-controller-shard1-7d9c5b-b7k9d",
            "gitrepository",
            "requeue_after",
            90.0,
        ),
        // An evicted pod of shard1's old ReplicaSet, still listed.
        reconciles(
            "source-controller-shard1-5f4d3c-q5w2z",
            "gitrepository",
            "success",
            10.0,
        ),
        // Deleted: a pod of shard1's old ReplicaSet (listed), and one whose ReplicaSet is gone too.
        reconciles(
            "source-controller-shard1-5f4d3c-zz7hk",
            "gitrepository",
            "success",
            5.0,
        ),
        reconciles(
            "source-controller-shard1-6c8b9d7f5-k2l5m",
            "gitrepository",
            "success",
            2.5,
        ),
        // A restarted source pod, deleted: it must not count for shard1 though its name starts alike.
        reconciles(
            "source-controller-9f8b7c6d5-m4n6p",
            "gitrepository",
            "success",
            100.0,
        ),
        // Another controller of the namespace: no row.
        reconciles(
            "helm-controller-6c8b9d7f5-k2l5m",
            "helmrelease",
            "success",
            1000.0,
        ),
    ];
    let buckets: Vec<S> = [("0.05", 300.0), ("0.5", 400.0), ("+Inf", 404.0)]
        .iter()
        .map(|(le, v)| {
            let labels = [("controller", "gitrepository"), ("le", le)];
            s("source-controller-7d9c5b-x2x4q", &labels, *v)
        })
        .collect();
    let lease = |name| {
        [
            ("__name__", "leader_election_master_status"),
            ("name", name),
        ]
    };
    let gauges = vector(&[
        s(
            "source-controller-7d9c5b-x2x4q",
            &lease("source-controller-leader-election"),
            1.0,
        ),
        s(
            "source-controller-7d9c5b-x2x4q",
            &[("__name__", "workqueue_depth"), ("name", "gitrepository")],
            2.0,
        ),
        s(
            "source-controller-shard1-7d9c5b-b7k9d",
            &lease("shard1-leader-election"),
            1.0,
        ),
    ]);
    let rate = vector(&[
        reconciles(
            "source-controller-7d9c5b-x2x4q",
            "gitrepository",
            "success",
            0.1,
        ),
        reconciles(
            "source-controller-7d9c5b-x2x4q",
            "gitrepository",
            "error",
            0.0,
        ),
        reconciles(
            "source-controller-shard1-7d9c5b-b7k9d",
            "gitrepository",
            "requeue_after",
            0.025,
        ),
    ]);
    answer(
        &mut c,
        &o,
        json200(vector(&series)),
        json200(vector(&buckets)),
        json200(gauges),
        json200(rate),
    );
    c.objects(vec![object("GitRepository", "apps/a", Some("shard1"))]);
    let m = read(&mut c, &o);

    assert_eq!(m.source.kind, SourceKind::Prometheus);
    assert_eq!(
        (m.source.window.as_deref(), m.source.window_seconds),
        (Some("1h"), Some(3600.0))
    );
    assert_eq!(m.source.queries.len(), 4);
    assert_eq!(
        m.source.url.as_deref(),
        Some("http://127.0.0.1:8001/api/v1/namespaces/monitoring/services/prometheus-operated:web/proxy/api/v1/query")
    );
    assert_eq!(m.source.gone_pods, 3);

    let source = row(&m, "source-controller");
    assert_eq!(
        (source.counts.reconciliations, source.counts.errors),
        (504.0, 4.0)
    );
    // The 202nd of 404 observations, interpolated in the first bucket as histogram_quantile() does.
    assert_eq!(
        (source.counts.duration_p50, source.counts.workqueue_depth),
        (Some(0.05 * 202.0 / 300.0), Some(2.0))
    );
    assert_eq!(
        source.leader.as_deref(),
        Some("source-controller-7d9c5b-x2x4q")
    );
    let gone: Vec<(&str, &str, bool)> = source
        .pods
        .iter()
        .map(|p| (p.name.as_str(), p.phase.as_str(), p.finished))
        .collect();
    assert_eq!(
        gone,
        [
            ("source-controller-7d9c5b-x2x4q", "Running", false),
            ("source-controller-9f8b7c6d5-m4n6p", "Deleted", true)
        ]
    );
    let rate = source.rate.as_ref().unwrap();
    assert_eq!(
        (
            rate.reconciliations_per_minute,
            rate.window.as_deref(),
            rate.seconds
        ),
        (6.0, Some("5m"), 300.0)
    );
    assert_eq!(source.status, Status::Ok);
    assert_eq!(
        source.status_reason,
        "reconciling: 504 reconciliations, 4 errors in the last 60 min"
    );

    let shard = row(&m, "source-controller-shard1");
    assert_eq!(shard.counts.reconciliations, 90.0 + 10.0 + 5.0 + 2.5);
    assert_eq!(shard.pods.len(), 4);
    assert_eq!(shard.status, Status::Ok, "{}", shard.status_reason);
}

#[test]
fn a_refused_query_reaches_every_running_pod_and_nothing_is_lost() {
    let o = options();
    let mut c = cluster();
    let refused = Response::json(400, json!({"status": "error", "errorType": "bad_data", "error": "1:10: parse error: unexpected character"}).to_string());
    answer(
        &mut c,
        &o,
        refused.clone(),
        refused.clone(),
        refused.clone(),
        refused,
    );
    let m = read(&mut c, &o);
    for name in ["source-controller", "source-controller-shard1"] {
        let r = row(&m, name);
        assert_eq!(r.status, Status::Unreachable, "{name}");
        assert_eq!(r.problems[0].kind, ProblemKind::BadQuery);
        assert!(
            r.status_reason
                .contains("Prometheus refused the query (bad_data, HTTP 400): 1:10: parse error"),
            "{}",
            r.status_reason
        );
    }
    assert_eq!(m.deployments.len(), 2, "the rows are all there");
}

#[test]
fn no_series_in_the_namespace_says_what_to_check() {
    let o = options();
    let mut c = cluster();
    let empty = json200(vector(&[] as &[S]));
    answer(
        &mut c,
        &o,
        empty.clone(),
        empty.clone(),
        empty.clone(),
        empty,
    );
    let m = read(&mut c, &o);
    let r = row(&m, "source-controller");
    assert_eq!(
        (r.status, r.problems[0].kind),
        (Status::Unreachable, ProblemKind::NoSeries)
    );
    assert!(
        r.status_reason.contains("no series for controller_runtime_reconcile_total with namespace=\"flux-system\" and a pod label in the last 1h: is Flux scraped by this Prometheus, with these label names?"),
        "{}",
        r.status_reason
    );
}

#[test]
fn a_forbidden_service_proxy_names_its_permission() {
    let o = options();
    let mut c = cluster();
    let forbidden = Response::json(403, json!({"kind": "Status", "code": 403, "reason": "Forbidden", "message": "services \"prometheus-operated:web\" is forbidden: User \"dev\" cannot get resource \"services/proxy\" in API group \"\" in the namespace \"monitoring\""}).to_string());
    answer(
        &mut c,
        &o,
        forbidden.clone(),
        forbidden.clone(),
        forbidden.clone(),
        forbidden,
    );
    let m = read(&mut c, &o);
    let p = &row(&m, "source-controller").problems[0];
    assert_eq!(p.kind, ProblemKind::Forbidden);
    let permission = p.permission.as_ref().unwrap();
    assert_eq!(
        (
            permission.resource.as_str(),
            permission.namespace.as_deref()
        ),
        ("services/proxy", Some("monitoring"))
    );
}

/// A shard with one object and no reconciliation in `window`, its pod started an hour ago.
fn silent_shard(window: &str) -> DeploymentMetrics {
    let o = read_prometheus_options(
        &json!({"service": "monitoring/prometheus-operated:web", "window": window}),
    )
    .unwrap();
    let mut c = Cluster::new(&["shard1"]);
    c.source(vec![FakePod::running("x2x4q", String::new())]);
    c.shard("shard1", vec![FakePod::running("b7k9d", String::new())]);
    c.objects(vec![object("GitRepository", "apps/a", Some("shard1"))]);
    let series = [
        reconciles(
            "source-controller-7d9c5b-x2x4q",
            "gitrepository",
            "success",
            10.0,
        ),
        reconciles(
            "source-controller-shard1-7d9c5b-b7k9d",
            "gitrepository",
            "success",
            0.0,
        ),
    ];
    let empty = json200(vector(&[] as &[S]));
    answer(
        &mut c,
        &o,
        json200(vector(&series)),
        empty.clone(),
        empty.clone(),
        empty,
    );
    let m = read(&mut c, &o);
    row(&m, "source-controller-shard1").clone()
}

#[test]
fn silence_over_a_window_that_does_not_cover_a_start_is_not_stuck() {
    // Started an hour ago: before a 30 min window; its objects may be on a longer interval.
    let shard = silent_shard("30m");
    assert_eq!(shard.status, Status::Ok, "{}", shard.status_reason);
    assert_eq!(
        shard.status_reason,
        "no reconciliation in the last 30 min, whose pods started before it: its objects may be on a longer interval (spec.interval)"
    );
    // Over 2 h the window covers the start, when every watched object is reconciled: stuck.
    let shard = silent_shard("2h");
    assert_eq!(shard.status, Status::Stuck, "{}", shard.status_reason);
    assert_eq!(shard.status_reason, "1 object carries sharding.fluxcd.io/key=shard1, but none was reconciled in the last 2 h, although its pods started 60 min ago");
}

#[test]
fn a_failing_detail_query_leaves_the_counts_and_says_what_is_missing() {
    let o = options();
    let mut c = cluster();
    let series = [reconciles(
        "source-controller-7d9c5b-x2x4q",
        "gitrepository",
        "success",
        40.0,
    )];
    let refused = Response::json(422, json!({"status": "error", "errorType": "execution", "error": "query processing would load too many samples into memory"}).to_string());
    let empty = json200(vector(&[] as &[S]));
    answer(
        &mut c,
        &o,
        json200(vector(&series)),
        refused,
        empty.clone(),
        empty,
    );
    let m = read(&mut c, &o);
    assert_eq!(row(&m, "source-controller").counts.reconciliations, 40.0);
    assert_eq!(row(&m, "source-controller").counts.duration_p50, None);
    assert!(
        m.warnings.contains(&"Prometheus: the reconcile durations are missing: Prometheus refused the query (execution, HTTP 422): query processing would load too many samples into memory".to_string()),
        "{:?}",
        m.warnings
    );
}

/// Flux Operator and hand-made shard pods are labelled `app: <controller>-<shard>`: a PodMonitor that
/// selects `app in (source-controller, …)` scrapes the main controller only (FLUX-FACTS).
#[test]
fn shard_pods_a_pod_monitor_leaves_out_are_explained() {
    let mut c = Cluster::bare();
    for (name, selector) in [
        ("kustomize-controller", "!sharding.fluxcd.io/key"),
        (
            "kustomize-controller-shard1",
            "sharding.fluxcd.io/key=shard1",
        ),
    ] {
        c.deploy(FakeDeployment {
            name: name.into(),
            app: name.into(),
            labels: vec![],
            annotations: vec![],
            args: vec![format!("--watch-label-selector={selector}")],
            pods: vec![FakePod::running("p", String::new())],
        });
    }
    let o = options();
    let main = "kustomize-controller-7d9c5b-p";
    answer(
        &mut c,
        &o,
        json200(vector(&[reconciles(
            main,
            "kustomization",
            "success",
            12.0,
        )])),
        json200(vector(&[])),
        json200(vector(&[])),
        json200(vector(&[])),
    );
    let api = c.finish();
    let query = Query {
        prometheus: Some(&o),
        ..Query::controller(NS, "kustomize-controller", READ_AT)
    };
    let m = block_on(get_shard_metrics(&api, &query)).unwrap();
    let shard = row(&m, "kustomize-controller-shard1");
    assert_eq!(shard.status, Status::Unreachable);
    assert_eq!(shard.problems[0].kind, ProblemKind::NoSeries);
    assert_eq!(
        shard.problems[0].message,
        "no series in Prometheus for this pod in the last 1h (pod=\"kustomize-controller-shard1-7d9c5b-p\"): is it scraped? The main controller's pods have series, but shard pods are labelled app: kustomize-controller-shard1, and a PodMonitor that selects app in (kustomize-controller, …) — as the flux2-monitoring-example does — leaves them out: select them too (e.g. app.kubernetes.io/component: kustomize-controller)."
    );
}

/// The trends: two range queries over the window, summed per row at each step, a restart marked;
/// a refused range query leaves the counts and says the trends are missing.
#[test]
fn trends_from_range_queries_are_there_at_the_first_read() {
    let o = options();
    let mut c = cluster();
    let counts = [reconciles(
        "source-controller-shard1-7d9c5b-b7k9d",
        "gitrepository",
        "success",
        90.0,
    )];
    let empty = json200(vector(&[] as &[S]));
    answer(
        &mut c,
        &o,
        json200(vector(&counts)),
        empty.clone(),
        empty.clone(),
        empty,
    );
    let t = TrendQueries::new(NS, &o.labels, o.cluster.as_deref(), &o.window, TREND_POINTS);
    assert_eq!(t.step_seconds, 60.0, "1h in 60 steps");
    let (start, end) = (NOW - 3600.0, NOW);
    let matrix = |series: Vec<Value>| {
        json200(
            json!({"status": "success", "data": {"resultType": "matrix", "result": series}})
                .to_string(),
        )
    };
    let at = |k: f64| json!(start + k * 60.0);
    let rates = matrix(vec![
        json!({"metric": {"namespace": NS, "pod": "source-controller-shard1-7d9c5b-b7k9d", "controller": "gitrepository", "result": "success"},
               "values": [[at(58.0), "0.5"], [at(59.0), "1"], [at(60.0), "1.5"]]}),
        json!({"metric": {"namespace": NS, "pod": "source-controller-shard1-7d9c5b-b7k9d", "controller": "gitrepository", "result": "error"},
               "values": [[at(60.0), "0.5"]]}),
        // The shard's pod before it: gone, its ReplicaSet too.
        json!({"metric": {"namespace": NS, "pod": "source-controller-shard1-6c8b9d7f5-k2l5m", "controller": "gitrepository", "result": "success"},
               "values": [[at(57.0), "2"], [at(58.0), "2"]]}),
    ]);
    let starts = matrix(vec![
        json!({"metric": {"namespace": NS, "pod": "source-controller-shard1-6c8b9d7f5-k2l5m"}, "values": [[at(57.0), (NOW - 86400.0).to_string()]]}),
        json!({"metric": {"namespace": NS, "pod": "source-controller-shard1-7d9c5b-b7k9d"}, "values": [[at(58.0), (start + 57.5 * 60.0).to_string()]]}),
    ]);
    for (q, response) in [(&t.rates, rates), (&t.starts, starts)] {
        let path = range_query_path(&o.location, q, start, end, t.step_seconds).0;
        c.api.routes.insert(path, Ok(response));
    }
    let m = read(&mut c, &o);
    let trend = row(&m, "source-controller-shard1").trend.as_ref().unwrap();
    let points: Vec<(f64, f64, f64)> = trend
        .points
        .iter()
        .map(|p| {
            (
                (p.at / 1000.0 - start) / 60.0,
                p.reconciliations_per_minute,
                p.errors_per_minute,
            )
        })
        .collect();
    assert_eq!(
        points,
        [
            (57.0, 120.0, 0.0),
            (58.0, 150.0, 0.0),
            (59.0, 60.0, 0.0),
            (60.0, 120.0, 30.0)
        ]
    );
    assert_eq!(trend.starts, [(start + 57.5 * 60.0) * 1000.0]);
    assert_eq!(trend.source, TrendSource::Prometheus);
    assert!(row(&m, "source-controller")
        .trend
        .as_ref()
        .unwrap()
        .points
        .is_empty());
    assert!(
        m.warnings.iter().all(|w| !w.contains("trends")),
        "{:?}",
        m.warnings
    );

    // Refused: the counts stand, a warning says what is missing.
    let mut c = cluster();
    answer(
        &mut c,
        &o,
        json200(vector(&counts)),
        json200(vector(&[] as &[S])),
        json200(vector(&[] as &[S])),
        json200(vector(&[] as &[S])),
    );
    let m = read(&mut c, &o);
    assert_eq!(
        row(&m, "source-controller-shard1").counts.reconciliations,
        90.0
    );
    assert!(row(&m, "source-controller-shard1").trend.is_none());
    assert!(
        m.warnings
            .iter()
            .any(|w| w.starts_with("Prometheus: the trends are missing: ")),
        "{:?}",
        m.warnings
    );
}
