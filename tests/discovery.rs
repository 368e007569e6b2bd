//! Discovery, scraping and aggregation on the host, through a fake transport
//! that answers like an API server (tests/support).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use flux_shard_metrics::pipeline::{get_shard_metrics, list_shard_sets, Query};
use flux_shard_metrics::problem::ProblemKind;
use flux_shard_metrics::report::PreviousRead;
use flux_shard_metrics::report::Status;
use flux_shard_metrics::report::{Role, ShardMetrics};
use flux_shard_metrics::transport::{
    Accept, CountingTransport, FetchError, Response, Transport, TransportError,
};
use futures::executor::block_on;
use proptest::prelude::*;
use serde_json::{json, Value};
use support::*;

const SET: &str = "source-controller-shardset";

/// The issue's example: source 500/1, shard1 20/0 (a leader and a standby), shard2 100/0,
/// shard3 idle; objects without a key for the source, keyed ones for shard1 and shard2.
fn healthy() -> Cluster {
    let mut c = Cluster::new(&["shard1", "shard2", "shard3"]);
    c.source(vec![
        FakePod::running(
            "aaaaa",
            scrape(
                &[("gitrepository", 401, 1), ("helmchart", 99, 0)],
                true,
                NOW - 7200.0,
            ),
        ),
        FakePod::evicted("zzzzz"),
    ])
    .shard(
        "shard1",
        vec![
            FakePod::running(
                "bbbbb",
                scrape(&[("gitrepository", 20, 0)], true, NOW - 3600.0),
            ),
            FakePod::running("ccccc", standby(NOW - 3000.0)),
        ],
    )
    .shard(
        "shard2",
        vec![FakePod::running(
            "ddddd",
            scrape(&[("ocirepository", 100, 0)], true, NOW - 3600.0),
        )],
    )
    .shard(
        "shard3",
        vec![FakePod::running(
            "eeeee",
            scrape(&[("gitrepository", 0, 0)], true, NOW - 3600.0),
        )],
    )
    .objects(vec![
        object("GitRepository", "flux-system/flux-system", None),
        object("GitRepository", "apps/podinfo", None),
        object("HelmChart", "apps/apps-podinfo", None),
        object("GitRepository", "team-a/api", Some("shard1")),
        object("OCIRepository", "team-b/manifests", Some("shard2")),
    ]);
    c
}

fn get(api: &support::FakeApi) -> Result<ShardMetrics, FetchError> {
    api.read(SET)
}

fn table(m: &ShardMetrics) -> Vec<(&str, f64, f64, Status)> {
    m.deployments
        .iter()
        .map(|d| {
            (
                d.name.as_str(),
                d.counts.reconciliations,
                d.counts.errors,
                d.status,
            )
        })
        .collect()
}

#[test]
fn the_issue_example() {
    let api = healthy().finish();
    let m = get(&api).unwrap();
    assert_eq!(
        table(&m),
        [
            ("source-controller", 500.0, 1.0, Status::Ok),
            ("source-controller-shard1", 20.0, 0.0, Status::Ok),
            ("source-controller-shard2", 100.0, 0.0, Status::Ok),
            ("source-controller-shard3", 0.0, 0.0, Status::Idle),
        ]
    );
    assert_eq!(
        m.deployments[3].status_reason,
        "no objects carry sharding.fluxcd.io/key=shard3"
    );
    let roles: Vec<_> = m
        .deployments
        .iter()
        .map(|d| (d.role, d.shard.as_deref()))
        .collect();
    assert_eq!(
        roles,
        [
            (Role::Source, None),
            (Role::Shard, Some("shard1")),
            (Role::Shard, Some("shard2")),
            (Role::Shard, Some("shard3"))
        ]
    );
    assert_eq!(
        m.shard_set.as_ref().unwrap().shards,
        ["shard1", "shard2", "shard3"]
    );
    assert_eq!(m.shard_set.as_ref().unwrap().ready, Some(true));
    assert_eq!(
        m.shard_set
            .as_ref()
            .unwrap()
            .ready_condition
            .as_ref()
            .unwrap()
            .reason,
        "ReconciliationSucceeded"
    );
    assert_eq!(
        (
            m.shard_set.as_ref().unwrap().generation,
            m.shard_set.as_ref().unwrap().observed_generation
        ),
        (Some(1), Some(1))
    );
    assert_eq!(m.warnings, Vec::<String>::new());
    let source = &m.deployments[0];
    let kinds: Vec<_> = source
        .counts
        .by_controller
        .iter()
        .map(|c| (c.controller.as_str(), c.counts_pair()))
        .collect();
    assert_eq!(
        kinds,
        [("gitrepository", (401.0, 1.0)), ("helmchart", (99.0, 0.0))]
    );
    // Mostly requeue_after, as on a real cluster.
    assert_eq!(source.counts.by_result.get("requeue_after"), Some(&450.0));
    assert_eq!(source.counts.by_result.get("error"), Some(&1.0));
    // Objects per row: the source's have no key.
    let assigned: Vec<u32> = m
        .deployments
        .iter()
        .map(|d| d.objects.as_ref().unwrap().assigned)
        .collect();
    assert_eq!(assigned, [3, 1, 1, 0]);
    let source_objects = source.objects.as_ref().unwrap();
    assert_eq!(source_objects.by_kind["GitRepository"].assigned, 2);
    assert_eq!(source_objects.by_kind["HelmChart"].assigned, 1);
    assert_eq!(source_objects.by_kind["OCIRepository"].assigned, 0);
    assert!(m.orphaned.is_empty());
    // The shards share 120 reconciliations: 20, 100, 0 → the largest is 2.5× the mean.
    assert_eq!(m.balance.reconciliations, Some(2.5));
    assert_eq!(m.balance.objects, Some(1.5));
}

trait Pair {
    fn counts_pair(&self) -> (f64, f64);
}
impl Pair for flux_shard_metrics::scrape::ControllerCounts {
    fn counts_pair(&self) -> (f64, f64) {
        (self.reconciliations, self.errors)
    }
}

#[test]
fn overlapping_selectors_do_not_mix_pods() {
    // Every pod carries the source's labels; owner references decide.
    let m = get(&healthy().finish()).unwrap();
    let pods: Vec<Vec<&str>> = m
        .deployments
        .iter()
        .map(|d| d.pods.iter().map(|p| p.name.as_str()).collect())
        .collect();
    assert_eq!(
        pods,
        [
            vec![
                "source-controller-5f4d3c-zzzzz",
                "source-controller-7d9c5b-aaaaa"
            ],
            vec![
                "source-controller-shard1-7d9c5b-bbbbb",
                "source-controller-shard1-7d9c5b-ccccc"
            ],
            vec!["source-controller-shard2-7d9c5b-ddddd"],
            vec!["source-controller-shard3-7d9c5b-eeeee"],
        ]
    );
}

#[test]
fn leader_standby_and_a_finished_pod() {
    let m = get(&healthy().finish()).unwrap();
    let shard1 = &m.deployments[1];
    assert_eq!((shard1.replicas, shard1.ready_replicas), (2, 2));
    let pods: Vec<_> = shard1
        .pods
        .iter()
        .map(|p| {
            (
                p.leader,
                p.counts.reconciliations,
                p.start_time,
                p.problem.is_some(),
            )
        })
        .collect();
    assert_eq!(
        pods,
        [
            (Some(true), 20.0, Some(NOW - 3600.0), false),
            (Some(false), 0.0, Some(NOW - 3000.0), false)
        ]
    );
    assert_eq!(
        shard1.leader.as_deref(),
        Some("source-controller-shard1-7d9c5b-bbbbb")
    );
    // The evicted pod of an old ReplicaSet is listed, finished, never scraped, and no problem.
    let evicted = &m.deployments[0].pods[0];
    assert_eq!(
        (
            evicted.phase.as_str(),
            evicted.reason.as_deref(),
            evicted.finished,
            evicted.scraped
        ),
        ("Failed", Some("Evicted"), true, false)
    );
    assert_eq!(evicted.problem, None);
    assert_eq!(m.deployments[0].error, None);
    assert_eq!(m.deployments[0].status, Status::Ok);
}

#[test]
fn counting_transport_counts_requests_and_the_bytes_answered() {
    let mut api = healthy().finish();
    api.routes
        .insert("/a".into(), Ok(Response::json(200, "{\"x\":1}")));
    api.routes
        .insert("/b".into(), Ok(Response::json(404, "not here")));
    api.routes.insert(
        "/c".into(),
        Err(TransportError::Unreachable("refused".into())),
    );
    let counted = CountingTransport::new(&api);
    for path in ["/a", "/b", "/c", "/a"] {
        let _ = block_on(counted.get(path, Accept::Json, 1000));
    }
    assert_eq!(counted.count(), 4);
    // Two of 7 bytes and one of 8; the failed request answered none.
    assert_eq!(counted.bytes(), 7 + 8 + 7);
}

#[test]
fn api_calls_do_not_grow_with_shards() {
    let api = healthy().finish();
    let m = get(&api).unwrap();
    let paths = api.paths();
    // The set, 3 lists, discovery, 5 scrapes, one list per kind the pods report (gitrepository, helmchart, ocirepository),
    // and the Services (a source-controller's shards must each advertise their own artifact server).
    assert_eq!(m.api_calls, 1 + 3 + 1 + 5 + 3 + 1);
    assert_eq!(paths.len() as u32, m.api_calls);
    assert_eq!(
        paths
            .iter()
            .filter(|c| c.ends_with("/proxy/metrics"))
            .count(),
        5
    );
    assert_eq!(
        paths
            .iter()
            .filter(|c| c.contains("toolkit.fluxcd.io"))
            .cloned()
            .collect::<Vec<_>>(),
        [
            "/apis/source.toolkit.fluxcd.io/v1/gitrepositories?limit=500",
            "/apis/source.toolkit.fluxcd.io/v1/helmcharts?limit=500",
            "/apis/source.toolkit.fluxcd.io/v1/ocirepositories?limit=500",
        ]
    );
    // The same with twenty more shards: only their scrapes are added.
    let names: Vec<String> = (1..=23).map(|i| format!("shard{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut big = Cluster::new(&names);
    big.source(vec![FakePod::running(
        "s",
        scrape(&[("gitrepository", 5, 0)], true, NOW - 3600.0),
    )]);
    for (i, s) in names.iter().enumerate() {
        big.shard(
            s,
            vec![FakePod::running(
                [
                    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p",
                    "q", "r", "s", "t", "u", "v", "w",
                ][i],
                scrape(&[("gitrepository", 5, 0)], true, NOW - 3600.0),
            )],
        );
    }
    let api = big.finish();
    assert_eq!(get(&api).unwrap().api_calls, 1 + 3 + 1 + 24 + 1 + 1);
}

#[test]
fn failing_pods_stay_in_their_row() {
    let mut c = Cluster::new(&["a", "b", "c", "d", "e", "f", "g"]);
    let forbidden = json!({"kind": "Status", "status": "Failure", "message": "pods \"x\" is forbidden: User \"jane\" cannot get resource \"pods/proxy\" in API group \"\" in the namespace \"flux-system\"", "reason": "Forbidden", "code": 403});
    c.source(vec![FakePod::running("s", scrape(&[("gitrepository", 7, 0)], true, NOW - 3600.0))])
        .shard("a", vec![FakePod::answering("p", Ok(Response::json(403, forbidden.to_string())))])
        .shard("b", vec![FakePod::answering("p", Err(TransportError::Timeout { after_ms: 5000 }))])
        .shard("c", vec![FakePod::answering("p", Ok(Response::json(503, "{\"kind\":\"Status\",\"message\":\"error trying to reach service: dial tcp 10.0.0.5:8080: connect: connection refused\",\"code\":503}")))])
        .shard("d", vec![FakePod::answering("p", ok("<html><body>Please log in</body></html>".into()))])
        .shard("e", vec![FakePod::answering("p", Err(TransportError::TooLarge { limit: 16_777_216 }))])
        .shard("f", vec![FakePod::running("ok", scrape(&[("helmchart", 3, 1)], true, NOW - 3600.0)), FakePod::phase("p", "Pending")])
        .shard("g", vec![FakePod::running("ok", scrape(&[("helmchart", 3, 1)], true, NOW - 3600.0)), FakePod::answering("gone", Err(TransportError::Unreachable("connection reset".into())))]);
    let mut api = c.finish();
    api.timeout = Some(5000);
    let m = get(&api).unwrap();
    assert_eq!(m.deployments[0].error, None);
    let errors: Vec<String> = m.deployments[1..]
        .iter()
        .map(|d| d.error.clone().unwrap())
        .collect();
    let url = |shard: &str, pod: &str| {
        format!("http://127.0.0.1:8001/api/v1/namespaces/flux-system/pods/source-controller-{shard}-7d9c5b-{pod}:8080/proxy/metrics")
    };
    assert_eq!(errors[0], format!("pod source-controller-a-7d9c5b-p: forbidden (HTTP 403) for {}: the RBAC permission `get` on `pods/proxy` (API group core) in namespace `flux-system` is missing. The API server said: pods \"x\" is forbidden: User \"jane\" cannot get resource \"pods/proxy\" in API group \"\" in the namespace \"flux-system\"", url("a", "p")));
    assert_eq!(
        errors[1],
        format!(
            "pod source-controller-b-7d9c5b-p: no answer within 5000 ms from {}",
            url("b", "p")
        )
    );
    assert_eq!(errors[2], format!("pod source-controller-c-7d9c5b-p: the pod did not answer through the API server proxy (HTTP 503) at {}. The API server said: error trying to reach service: dial tcp 10.0.0.5:8080: connect: connection refused", url("c", "p")));
    assert!(errors[3].starts_with("pod source-controller-d-7d9c5b-p: the response is not Prometheus metrics text (unexpected character `<` at 1:1"), "{}", errors[3]);
    assert_eq!(errors[4], format!("pod source-controller-e-7d9c5b-p: the response from {} is larger than 16 MiB: reading stopped there", url("e", "p")));
    assert_eq!(
        errors[5],
        "pod source-controller-f-7d9c5b-p: not running (phase Pending), so not scraped"
    );
    assert_eq!(
        errors[6],
        format!(
            "pod source-controller-g-7d9c5b-gone: cannot reach {}: connection reset",
            url("g", "gone")
        )
    );
    // A two-replica shard with one pod down keeps the other pod's numbers.
    assert_eq!(
        (
            m.deployments[7].counts.reconciliations,
            m.deployments[7].counts.errors
        ),
        (3.0, 1.0)
    );
    assert_eq!(
        m.deployments[7]
            .pods
            .iter()
            .map(|p| p.scraped)
            .collect::<Vec<_>>(),
        [false, true]
    );
    // The same problems as data: a kind per failure, the pod it is about, the fields.
    let kinds: Vec<(ProblemKind, Option<&str>)> = m.deployments[1..]
        .iter()
        .map(|d| (d.problems[0].kind, d.problems[0].pod.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [
            (ProblemKind::Forbidden, Some("source-controller-a-7d9c5b-p")),
            (ProblemKind::Timeout, Some("source-controller-b-7d9c5b-p")),
            (
                ProblemKind::ProxyFailed,
                Some("source-controller-c-7d9c5b-p")
            ),
            (
                ProblemKind::NotMetrics,
                Some("source-controller-d-7d9c5b-p")
            ),
            (ProblemKind::TooLarge, Some("source-controller-e-7d9c5b-p")),
            (
                ProblemKind::NotRunning,
                Some("source-controller-f-7d9c5b-p")
            ),
            (
                ProblemKind::Unreachable,
                Some("source-controller-g-7d9c5b-gone")
            ),
        ]
    );
    let forbidden = &m.deployments[1].problems[0];
    assert_eq!(forbidden.http_status, Some(403));
    assert_eq!(
        forbidden
            .permission
            .as_ref()
            .map(|p| (p.verb, p.resource.as_str())),
        Some(("get", "pods/proxy"))
    );
    assert_eq!(m.deployments[2].problems[0].timeout_ms, Some(5000));
    assert_eq!(m.deployments[5].problems[0].limit_bytes, Some(16_777_216));
    // A running pod that could not be scraped makes its row unreachable; the reason names it.
    let statuses: Vec<Status> = m.deployments.iter().map(|d| d.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Ok,
            Status::Unreachable,
            Status::Unreachable,
            Status::Unreachable,
            Status::Unreachable,
            Status::Unreachable,
            Status::Erroring,
            Status::Unreachable
        ]
    );
    // A pending pod beside a ready one is not a failure of the row: it is erroring for its own errors.
    assert_eq!(
        m.deployments[6].status_reason,
        "errors are 33.3 % of reconciliations (1 of 3), at least 5.0 %"
    );
    assert_eq!(m.deployments[7].status_reason, errors[6]);
}

#[test]
fn missing_from_inventory_and_missing_deployment() {
    let mut c = Cluster::new(&["shard1", "shard2", "shard3"]);
    c.inventory(&[
        &format!("{NS}_source-controller-shard1_apps_Deployment"),
        &format!("{NS}_source-controller-shard2_apps_Deployment"),
        "broken-id",
        &format!("{NS}_source-controller-extra_apps_Deployment"),
        &format!("{NS}_source-controller-shard1__Service"),
    ])
    .source(vec![FakePod::running(
        "s",
        scrape(&[("bucket", 1, 0)], true, NOW - 3600.0),
    )])
    .shard(
        "shard1",
        vec![FakePod::running(
            "p",
            scrape(&[("bucket", 2, 0)], true, NOW - 3600.0),
        )],
    )
    .shard("extra", vec![]);
    let m = get(&c.finish()).unwrap();
    let rows: Vec<_> = m
        .deployments
        .iter()
        .map(|d| {
            (
                d.name.as_str(),
                d.shard.as_deref(),
                d.in_inventory,
                d.found,
                d.status,
                d.status_reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("source-controller", None, true, true, Status::Ok, "reconciling: 1 reconciliation, 0 errors"),
            ("source-controller-shard1", Some("shard1"), true, true, Status::Ok, "reconciling: 2 reconciliations, 0 errors"),
            ("source-controller-shard2", Some("shard2"), true, false, Status::Missing, "listed in the inventory, but Deployment flux-system/source-controller-shard2 does not exist"),
            ("source-controller-shard3", Some("shard3"), false, false, Status::Missing, "in spec.shards but missing from the shard set's inventory"),
            ("source-controller-extra", Some("extra"), true, true, Status::Idle, "scaled to zero replicas; no objects carry sharding.fluxcd.io/key=extra"),
        ]
    );
    assert_eq!(
        m.deployments[3].problems[0].kind,
        ProblemKind::NotInInventory
    );
    assert_eq!(m.deployments[4].problems[0].kind, ProblemKind::ScaledToZero);
    assert_eq!(
        m.warnings,
        [
            "malformed inventory id \"broken-id\": expected <namespace>_<name>_<group>_<kind>",
            "Deployment flux-system/source-controller-extra is in the inventory but not in spec.shards",
        ]
    );
}

#[test]
fn top_level_errors() {
    let api = support::FakeApi::default();
    let err = block_on(get_shard_metrics(&api, &Query::new(NS, "nope", READ_AT))).unwrap_err();
    assert_eq!(err.to_string(), "FluxShardSet flux-system/nope does not exist (HTTP 404 for http://127.0.0.1:8001/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets/nope)");
    let mut down = support::FakeApi::default();
    down.routes.insert(
        format!("/apis/templates.weave.works/v1alpha1/namespaces/{NS}/fluxshardsets/x"),
        Err(TransportError::Unreachable("connection refused".into())),
    );
    assert_eq!(
        block_on(get_shard_metrics(&down, &Query::new(NS, "x", READ_AT))).unwrap_err().to_string(),
        "cannot reach http://127.0.0.1:8001/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets/x: connection refused"
    );
    // A 403 on listing deployments names that permission.
    let mut api = healthy().finish();
    api.routes.insert(
        format!("/apis/apps/v1/namespaces/{NS}/deployments"),
        Ok(Response::json(
            403,
            "{\"kind\":\"Status\",\"message\":\"nope\",\"code\":403}",
        )),
    );
    let err = get(&api).unwrap_err().to_string();
    assert!(err.contains("the RBAC permission `list` on `deployments` (API group apps) in namespace `flux-system` is missing"), "{err}");
}

#[test]
fn names_are_checked_before_any_request() {
    let api = support::FakeApi::default();
    for (ns, name, message) in [
        ("flux-system", "../../secrets", "invalid FluxShardSet name \"../../secrets\": only lowercase letters, digits, '-' and '.' are allowed"),
        ("Flux", "x", "invalid namespace \"Flux\": only lowercase letters, digits and '-' are allowed"),
        ("flux-system", "a?x=1", "invalid FluxShardSet name \"a?x=1\": only lowercase letters, digits, '-' and '.' are allowed"),
    ] {
        let err = block_on(get_shard_metrics(&api, &Query::new(ns, name, READ_AT))).unwrap_err();
        assert_eq!(err.to_string(), message);
    }
    assert!(api.calls.borrow().is_empty());
}

#[test]
fn list_shard_sets_in_one_namespace_and_all() {
    let mut api = support::FakeApi::default();
    let set = |ns: &str, name: &str| json!({"metadata": {"name": name, "namespace": ns}, "spec": {"sourceDeploymentRef": {"name": "kustomize-controller"}, "shards": [{"name": "a"}, {"name": "b"}]}, "status": {"inventory": {"entries": [{"id": format!("{ns}_kustomize-controller-a_apps_Deployment"), "v": "v1"}]}}});
    api.routes.insert(
        "/apis/templates.weave.works/v1alpha1/fluxshardsets".into(),
        Ok(Response::json(
            200,
            json!({"items": [set("z-ns", "k"), set("a-ns", "k2")]}).to_string(),
        )),
    );
    let all = block_on(list_shard_sets(&api, None)).unwrap();
    let names: Vec<_> = all
        .iter()
        .map(|s| {
            (
                s.namespace.as_str(),
                s.name.as_str(),
                s.shards.len(),
                s.inventory,
            )
        })
        .collect();
    assert_eq!(names, [("a-ns", "k2", 2, 1), ("z-ns", "k", 2, 1)]);
    let err = block_on(list_shard_sets(&api, Some("a-ns"))).unwrap_err();
    assert!(matches!(err, FetchError::Http { status: 404, .. }));
}

#[test]
fn rates_since_the_previous_read_and_rising_errors() {
    let first = get(&healthy().finish()).unwrap();
    // 30 s later the source did 30 more reconciliations and one more error.
    let mut later = Cluster::new(&["shard1", "shard2", "shard3"]);
    later
        .source(vec![
            FakePod::running(
                "aaaaa",
                scrape(
                    &[("gitrepository", 430, 2), ("helmchart", 100, 0)],
                    true,
                    NOW - 7200.0,
                ),
            ),
            FakePod::evicted("zzzzz"),
        ])
        .shard(
            "shard1",
            vec![
                FakePod::running(
                    "bbbbb",
                    scrape(&[("gitrepository", 20, 0)], true, NOW - 3600.0),
                ),
                FakePod::running("ccccc", standby(NOW - 3000.0)),
            ],
        )
        .shard(
            "shard2",
            vec![FakePod::running(
                "ddddd",
                scrape(&[("ocirepository", 100, 0)], true, NOW - 3600.0),
            )],
        )
        .shard(
            "shard3",
            vec![FakePod::running(
                "eeeee",
                scrape(&[("gitrepository", 0, 0)], true, NOW - 3600.0),
            )],
        );
    let api = later.finish();
    let previous = PreviousRead::from(&first);
    let query = Query {
        previous: Some(&previous),
        ..Query::new(NS, SET, READ_AT + 30_000.0)
    };
    let second = block_on(get_shard_metrics(&api, &query)).unwrap();
    let source = &second.deployments[0];
    let rate = source.rate.as_ref().unwrap();
    assert_eq!(
        (
            rate.seconds,
            rate.reconciliations_per_minute,
            rate.errors_per_minute,
            rate.restarted
        ),
        (30.0, 60.0, 2.0, false)
    );
    // 2 errors of 532 is under 5 %, but errors rose: erroring.
    assert_eq!(source.status, Status::Erroring);
    assert_eq!(
        source.status_reason,
        "errors rose since the previous read: 2/min"
    );
    assert_eq!(
        second.deployments[3]
            .rate
            .as_ref()
            .unwrap()
            .reconciliations_per_minute,
        0.0
    );
    // The previous read as the JS API passes it back (JSON) gives the same rates.
    let json = serde_json::to_string(&first).unwrap();
    let from_json: PreviousRead = flux_shard_metrics::json::parse_object(&json).unwrap();
    assert_eq!(from_json, previous);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The result does not depend on the order the API lists objects in.
    #[test]
    fn order_of_objects_does_not_matter(seed in any::<u64>()) {
        let reference = get(&healthy().finish()).unwrap();
        let mut api = healthy().finish();
        let lists = [format!("/apis/apps/v1/namespaces/{NS}/deployments"), format!("/apis/apps/v1/namespaces/{NS}/replicasets"), format!("/api/v1/namespaces/{NS}/pods"), objects_path("GitRepository")];
        for path in lists {
            let Ok(Response { body, .. }) = api.routes[&path].clone() else { unreachable!() };
            let mut v: Value = serde_json::from_str(&body).unwrap();
            let items = v["items"].as_array_mut().unwrap();
            let mut s = seed;
            for i in (1..items.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                items.swap(i, (s >> 33) as usize % (i + 1));
            }
            api.routes.insert(path, Ok(Response::json(200, v.to_string())));
        }
        prop_assert_eq!(get(&api).unwrap(), reference);
    }
}
