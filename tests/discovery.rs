//! Discovery, scraping and aggregation on the host, through a fake transport
//! that answers like an API server.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::HashMap;

use flux_shard_metrics::client::{get_shard_metrics, list_shard_sets, Query};
use flux_shard_metrics::metrics::{Role, ShardMetrics};
use flux_shard_metrics::problem::ProblemKind;
use flux_shard_metrics::rates::PreviousRead;
use flux_shard_metrics::status::Status;
use flux_shard_metrics::transport::{FetchError, Response, Transport, TransportError};
use futures::executor::block_on;
use proptest::prelude::*;
use serde_json::{json, Value};

const NS: &str = "flux-system";
/// When the tests read: 2026-11-30T00:00:00Z.
const READ_AT: f64 = 1_796_083_200_000.0;

#[derive(Default)]
struct FakeApi {
    routes: HashMap<String, Result<Response, TransportError>>,
    calls: RefCell<Vec<String>>,
}

impl Transport for FakeApi {
    async fn get(&self, path: &str) -> Result<Response, TransportError> {
        self.calls.borrow_mut().push(path.to_string());
        self.routes.get(path).cloned().unwrap_or_else(|| {
            Ok(Response { status: 404, body: json!({"kind": "Status", "message": format!("the server could not find {path}"), "reason": "NotFound", "code": 404}).to_string() })
        })
    }
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:8001{path}")
    }
}

fn reconciles(controller: &str, success: u32, error: u32) -> String {
    format!(
        "controller_runtime_reconcile_total{{controller=\"{controller}\",result=\"success\"}} {success}\n\
         controller_runtime_reconcile_total{{controller=\"{controller}\",result=\"error\"}} {error}\n\
         controller_runtime_reconcile_total{{controller=\"{controller}\",result=\"requeue\"}} 0\n"
    )
}

fn metrics(body: &str, leader: bool, start: f64) -> String {
    format!("# TYPE controller_runtime_reconcile_total counter\n{body}leader_election_master_status{{name=\"lease\"}} {}\nprocess_start_time_seconds {start}\n", u8::from(leader))
}

/// A namespace with a source Deployment and shards, each with one ReplicaSet
/// and pods. Every pod carries the source's labels (as shard clones do), so
/// only owner references tell them apart.
struct Cluster {
    api: FakeApi,
    deployments: Vec<Value>,
    replica_sets: Vec<Value>,
    pods: Vec<Value>,
}

impl Cluster {
    fn new(shards: &[&str], inventory: &[&str]) -> Cluster {
        let mut api = FakeApi::default();
        let entries: Vec<Value> = inventory
            .iter()
            .map(|id| json!({"id": id, "v": "v1"}))
            .collect();
        let shard_specs: Vec<Value> = shards.iter().map(|s| json!({"name": s})).collect();
        api.routes.insert(
            format!("/apis/templates.weave.works/v1alpha1/namespaces/{NS}/fluxshardsets/source-controller-shardset"),
            Ok(Response {
                status: 200,
                body: json!({
                    "apiVersion": "templates.weave.works/v1alpha1", "kind": "FluxShardSet",
                    "metadata": {"name": "source-controller-shardset", "namespace": NS, "uid": "set-1"},
                    "spec": {"sourceDeploymentRef": {"name": "source-controller"}, "shards": shard_specs, "futureField": true},
                    "status": {"inventory": {"entries": entries}, "conditions": [{"type": "Ready", "status": "True", "message": "3 shards created"}]}
                })
                .to_string(),
            }),
        );
        Cluster {
            api,
            deployments: Vec::new(),
            replica_sets: Vec::new(),
            pods: Vec::new(),
        }
    }

    /// A Deployment with one ReplicaSet and the given pods (name, phase, metrics body or error).
    fn deployment(
        &mut self,
        name: &str,
        replicas: u32,
        pods: &[(&str, &str, Result<Response, TransportError>)],
    ) {
        let labels = json!({"app": "source-controller"});
        self.deployments.push(json!({
            "metadata": {"name": name, "namespace": NS, "uid": format!("dep-{name}"), "labels": labels},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels}},
            "status": {"readyReplicas": pods.iter().filter(|p| p.1 == "Running").count()}
        }));
        let rs = format!("{name}-7d9c5b");
        self.replica_sets.push(json!({
            "metadata": {"name": rs, "namespace": NS, "uid": format!("rs-{name}"),
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": format!("dep-{name}")}]}
        }));
        for (pod, phase, answer) in pods {
            let pod_name = format!("{rs}-{pod}");
            self.pods.push(json!({
                "metadata": {"name": pod_name, "namespace": NS, "uid": format!("pod-{pod_name}"), "labels": {"app": "source-controller", "pod-template-hash": "7d9c5b"},
                             "ownerReferences": [{"kind": "ReplicaSet", "name": rs, "uid": format!("rs-{name}")}]},
                "spec": {"containers": [{"name": "manager", "ports": [{"name": "http-prom", "containerPort": 8080}, {"name": "healthz", "containerPort": 9440}]}]},
                "status": {"phase": phase, "conditions": [{"type": "Ready", "status": if *phase == "Running" { "True" } else { "False" }}],
                           "containerStatuses": [{"restartCount": 1}]}
            }));
            self.api.routes.insert(
                format!("/api/v1/namespaces/{NS}/pods/{pod_name}:8080/proxy/metrics"),
                answer.clone(),
            );
        }
    }

    fn finish(mut self) -> FakeApi {
        let list = |kind: &str, items: &[Value]| {
            Ok(Response {
                status: 200,
                body: json!({"kind": kind, "apiVersion": "v1", "items": items}).to_string(),
            })
        };
        self.api.routes.insert(
            format!("/apis/apps/v1/namespaces/{NS}/deployments"),
            list("DeploymentList", &self.deployments),
        );
        self.api.routes.insert(
            format!("/apis/apps/v1/namespaces/{NS}/replicasets"),
            list("ReplicaSetList", &self.replica_sets),
        );
        self.api.routes.insert(
            format!("/api/v1/namespaces/{NS}/pods"),
            list("PodList", &self.pods),
        );
        self.api
    }
}

fn ok(body: String) -> Result<Response, TransportError> {
    Ok(Response { status: 200, body })
}

fn deployment_id(name: &str) -> String {
    format!("{NS}_{name}_apps_Deployment")
}

/// The issue's example: source 500/1, shard1 20/0 (two replicas, one standby), shard2 100/0, shard3 idle.
fn healthy() -> FakeApi {
    let ids: Vec<String> = [
        "source-controller-shard1",
        "source-controller-shard2",
        "source-controller-shard3",
    ]
    .iter()
    .map(|n| deployment_id(n))
    .collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut c = Cluster::new(&["shard1", "shard2", "shard3"], &ids);
    c.deployment(
        "source-controller",
        1,
        &[(
            "aaaaa",
            "Running",
            ok(metrics(
                &(reconciles("gitrepository", 400, 1) + &reconciles("helmchart", 99, 0)),
                true,
                1.7e9,
            )),
        )],
    );
    c.deployment(
        "source-controller-shard1",
        2,
        &[
            (
                "bbbbb",
                "Running",
                ok(metrics(
                    &reconciles("gitrepository", 20, 0),
                    true,
                    1.7e9 + 5.0,
                )),
            ),
            (
                "ccccc",
                "Running",
                ok(metrics(
                    &reconciles("gitrepository", 0, 0),
                    false,
                    1.7e9 + 9.0,
                )),
            ),
        ],
    );
    c.deployment(
        "source-controller-shard2",
        1,
        &[(
            "ddddd",
            "Running",
            ok(metrics(&reconciles("ocirepository", 100, 0), true, 1.7e9)),
        )],
    );
    c.deployment(
        "source-controller-shard3",
        1,
        &[(
            "eeeee",
            "Running",
            ok(metrics(&reconciles("gitrepository", 0, 0), true, 1.7e9)),
        )],
    );
    c.finish()
}

fn get(api: &FakeApi) -> Result<ShardMetrics, FetchError> {
    block_on(get_shard_metrics(
        api,
        &Query::new(NS, "source-controller-shardset", READ_AT),
    ))
}

fn table(m: &ShardMetrics) -> Vec<(String, f64, f64, Option<String>)> {
    m.deployments
        .iter()
        .map(|d| {
            (
                d.name.clone(),
                d.counts.reconciliations,
                d.counts.errors,
                d.error.clone(),
            )
        })
        .collect()
}

#[test]
fn the_issue_example() {
    let api = healthy();
    let m = get(&api).unwrap();
    assert_eq!(
        table(&m),
        [
            ("source-controller".to_string(), 500.0, 1.0, None),
            ("source-controller-shard1".to_string(), 20.0, 0.0, None),
            ("source-controller-shard2".to_string(), 100.0, 0.0, None),
            ("source-controller-shard3".to_string(), 0.0, 0.0, None),
        ]
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
    assert_eq!(m.shard_set.shards, ["shard1", "shard2", "shard3"]);
    assert_eq!(m.shard_set.ready, Some(true));
    assert_eq!(m.warnings, Vec::<String>::new());
    // Per controller kind and per result.
    let source = &m.deployments[0];
    let kinds: Vec<_> = source
        .counts
        .by_controller
        .iter()
        .map(|c| (c.controller.as_str(), c.reconciliations, c.errors))
        .collect();
    assert_eq!(
        kinds,
        [("gitrepository", 401.0, 1.0), ("helmchart", 99.0, 0.0)]
    );
    assert_eq!(source.counts.by_result.get("success"), Some(&499.0));
    assert_eq!(source.counts.by_result.get("error"), Some(&1.0));
}

#[test]
fn overlapping_selectors_do_not_mix_pods() {
    // Every pod matches the source's selector; owner references decide.
    let m = get(&healthy()).unwrap();
    let pods: Vec<Vec<&str>> = m
        .deployments
        .iter()
        .map(|d| d.pods.iter().map(|p| p.name.as_str()).collect())
        .collect();
    assert_eq!(
        pods,
        [
            vec!["source-controller-7d9c5b-aaaaa"],
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
fn leader_and_standby_replicas() {
    let m = get(&healthy()).unwrap();
    let shard1 = &m.deployments[1];
    assert_eq!((shard1.replicas, shard1.ready_replicas), (2, 2));
    let pods: Vec<_> = shard1
        .pods
        .iter()
        .map(|p| (p.leader, p.counts.reconciliations, p.start_time, p.restarts))
        .collect();
    assert_eq!(
        pods,
        [
            (Some(true), 20.0, Some(1.7e9 + 5.0), 1),
            (Some(false), 0.0, Some(1.7e9 + 9.0), 1)
        ]
    );
}

#[test]
fn api_calls_do_not_grow_with_shards() {
    let api = healthy();
    let m = get(&api).unwrap();
    let calls = api.calls.borrow();
    assert_eq!(m.api_calls, 4 + 5);
    assert_eq!(calls.len(), 9);
    assert_eq!(
        calls.iter().filter(|c| c.ends_with("/deployments")).count(),
        1
    );
    assert_eq!(calls.iter().filter(|c| c.ends_with("/pods")).count(), 1);
    assert_eq!(
        calls
            .iter()
            .filter(|c| c.ends_with("/proxy/metrics"))
            .count(),
        5
    );
}

#[test]
fn failing_pods_stay_in_their_row() {
    let ids: Vec<String> = ["a", "b", "c", "d", "e", "f", "g"]
        .iter()
        .map(|n| deployment_id(&format!("source-controller-{n}")))
        .collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut c = Cluster::new(&["a", "b", "c", "d", "e", "f", "g"], &ids);
    c.deployment(
        "source-controller",
        1,
        &[(
            "s",
            "Running",
            ok(metrics(&reconciles("gitrepository", 7, 0), true, 1.0)),
        )],
    );
    let forbidden = json!({"kind": "Status", "status": "Failure", "message": "pods \"x\" is forbidden: User \"jane\" cannot get resource \"pods/proxy\" in API group \"\" in the namespace \"flux-system\"", "reason": "Forbidden", "code": 403});
    c.deployment(
        "source-controller-a",
        1,
        &[(
            "p",
            "Running",
            Ok(Response {
                status: 403,
                body: forbidden.to_string(),
            }),
        )],
    );
    c.deployment(
        "source-controller-b",
        1,
        &[(
            "p",
            "Running",
            Err(TransportError::Timeout { after_ms: 5000 }),
        )],
    );
    c.deployment("source-controller-c", 1, &[("p", "Running", Ok(Response { status: 503, body: "{\"kind\":\"Status\",\"message\":\"error trying to reach service: dial tcp 10.0.0.5:8080: connect: connection refused\",\"code\":503}".into() }))]);
    c.deployment(
        "source-controller-d",
        1,
        &[(
            "p",
            "Running",
            ok("<html><body>Please log in</body></html>".into()),
        )],
    );
    c.deployment(
        "source-controller-e",
        1,
        &[(
            "p",
            "Running",
            Err(TransportError::TooLarge { limit: 16_777_216 }),
        )],
    );
    c.deployment(
        "source-controller-f",
        1,
        &[("p", "Pending", ok(String::new()))],
    );
    c.deployment(
        "source-controller-g",
        2,
        &[
            (
                "ok",
                "Running",
                ok(metrics(&reconciles("helmchart", 3, 1), true, 1.0)),
            ),
            (
                "gone",
                "Running",
                Err(TransportError::Unreachable("connection reset".into())),
            ),
        ],
    );
    let m = get(&c.finish()).unwrap();
    let rows = table(&m);
    assert_eq!(rows[0], ("source-controller".to_string(), 7.0, 0.0, None));
    let errors: Vec<String> = rows[1..].iter().map(|r| r.3.clone().unwrap()).collect();
    assert_eq!(errors[0], "pod source-controller-a-7d9c5b-p: forbidden (HTTP 403) for http://127.0.0.1:8001/api/v1/namespaces/flux-system/pods/source-controller-a-7d9c5b-p:8080/proxy/metrics: the RBAC permission `get` on `pods/proxy` (API group core) in namespace `flux-system` is missing. The API server said: pods \"x\" is forbidden: User \"jane\" cannot get resource \"pods/proxy\" in API group \"\" in the namespace \"flux-system\"");
    assert_eq!(errors[1], "pod source-controller-b-7d9c5b-p: no answer within 5000 ms from http://127.0.0.1:8001/api/v1/namespaces/flux-system/pods/source-controller-b-7d9c5b-p:8080/proxy/metrics");
    assert_eq!(errors[2], "pod source-controller-c-7d9c5b-p: the pod did not answer through the API server proxy (HTTP 503) at http://127.0.0.1:8001/api/v1/namespaces/flux-system/pods/source-controller-c-7d9c5b-p:8080/proxy/metrics. The API server said: error trying to reach service: dial tcp 10.0.0.5:8080: connect: connection refused");
    assert!(errors[3].starts_with("pod source-controller-d-7d9c5b-p: the response is not Prometheus metrics text (unexpected character `<` at 1:1"), "{}", errors[3]);
    assert_eq!(errors[4], "pod source-controller-e-7d9c5b-p: the response from http://127.0.0.1:8001/api/v1/namespaces/flux-system/pods/source-controller-e-7d9c5b-p:8080/proxy/metrics is larger than 16777216 bytes and was not read");
    assert_eq!(
        errors[5],
        "pod source-controller-f-7d9c5b-p: not running (phase Pending), so not scraped"
    );
    // A two-replica shard with one pod down keeps the other pod's numbers.
    assert_eq!(rows[7].1, 4.0);
    assert_eq!(rows[7].2, 1.0);
    assert_eq!(errors[6], "pod source-controller-g-7d9c5b-gone: cannot reach http://127.0.0.1:8001/api/v1/namespaces/flux-system/pods/source-controller-g-7d9c5b-gone:8080/proxy/metrics: connection reset");
    let g = &m.deployments[7];
    assert_eq!(
        g.pods.iter().map(|p| p.scraped).collect::<Vec<_>>(),
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
    // Every failing row is unreachable; the reason is the same text as `error`.
    for d in &m.deployments[1..] {
        assert_eq!(d.status, Status::Unreachable, "{}", d.name);
        assert_eq!(Some(&d.status_reason), d.error.as_ref());
    }
    assert_eq!(m.deployments[0].status, Status::Ok);
}

#[test]
fn rates_since_the_previous_read_and_rising_errors() {
    let first = get(&healthy()).unwrap();
    // 30 s later the source did 30 more reconciliations and one more error; shard1's standby became leader.
    let mut api = healthy();
    let path = api
        .routes
        .keys()
        .find(|p| p.contains("/pods/source-controller-7d9c5b-aaaaa:8080/"))
        .unwrap()
        .clone();
    api.routes.insert(
        path,
        ok(metrics(
            &(reconciles("gitrepository", 429, 2) + &reconciles("helmchart", 99, 0)),
            true,
            1.7e9,
        )),
    );
    let previous = PreviousRead::from(&first);
    let query = Query {
        previous: Some(&previous),
        ..Query::new(NS, "source-controller-shardset", READ_AT + 30_000.0)
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
    // 2 errors of 530 is under 5 %, but errors rose: erroring.
    assert_eq!(source.status, Status::Erroring);
    assert_eq!(
        source.status_reason,
        "errors rose since the previous read: 2/min"
    );
    // An idle shard stays idle with a rate of 0.
    let idle = &second.deployments[3];
    assert_eq!(idle.rate.as_ref().unwrap().reconciliations_per_minute, 0.0);
    assert_eq!(idle.status, Status::Idle);
    // The previous read as the JS API passes it back (JSON) gives the same rates.
    let json = serde_json::to_string(&first).unwrap();
    let from_json: PreviousRead = flux_shard_metrics::kube::parse_object(&json).unwrap();
    assert_eq!(from_json, previous);
}

#[test]
fn missing_from_inventory_and_missing_deployment() {
    let mut c = Cluster::new(
        &["shard1", "shard2", "shard3"],
        &[
            &deployment_id("source-controller-shard1"),
            &deployment_id("source-controller-shard2"),
            "broken-id",
            &deployment_id("source-controller-extra"),
        ],
    );
    c.deployment(
        "source-controller",
        1,
        &[(
            "s",
            "Running",
            ok(metrics(&reconciles("bucket", 1, 0), true, 1.0)),
        )],
    );
    c.deployment(
        "source-controller-shard1",
        1,
        &[(
            "p",
            "Running",
            ok(metrics(&reconciles("bucket", 2, 0), true, 1.0)),
        )],
    );
    c.deployment("source-controller-extra", 0, &[]);
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
                d.error.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("source-controller", None, true, true, None),
            ("source-controller-shard1", Some("shard1"), true, true, None),
            ("source-controller-shard2", Some("shard2"), true, false, Some("listed in the inventory, but Deployment flux-system/source-controller-shard2 does not exist")),
            ("source-controller-shard3", Some("shard3"), false, false, Some("in spec.shards but missing from the shard set's inventory")),
            ("source-controller-extra", Some("extra"), true, true, Some("scaled to zero replicas")),
        ]
    );
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
    let api = FakeApi::default();
    let err = block_on(get_shard_metrics(&api, &Query::new(NS, "nope", READ_AT))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "FluxShardSet flux-system/nope does not exist (HTTP 404 for http://127.0.0.1:8001/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets/nope)"
    );
    let mut down = FakeApi::default();
    down.routes.insert(
        format!("/apis/templates.weave.works/v1alpha1/namespaces/{NS}/fluxshardsets/x"),
        Err(TransportError::Unreachable("connection refused".into())),
    );
    assert_eq!(
        block_on(get_shard_metrics(&down, &Query::new(NS, "x", READ_AT))).unwrap_err().to_string(),
        "cannot reach http://127.0.0.1:8001/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets/x: connection refused"
    );
    // A 403 on listing deployments names that permission.
    let mut api = healthy();
    api.routes.insert(
        format!("/apis/apps/v1/namespaces/{NS}/deployments"),
        Ok(Response {
            status: 403,
            body: "{\"kind\":\"Status\",\"message\":\"nope\",\"code\":403}".into(),
        }),
    );
    let err = get(&api).unwrap_err().to_string();
    assert!(err.contains("the RBAC permission `list` on `deployments` (API group apps) in namespace `flux-system` is missing"), "{err}");
}

#[test]
fn names_are_checked_before_any_request() {
    let api = FakeApi::default();
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
    let mut api = FakeApi::default();
    let set = |ns: &str, name: &str| json!({"metadata": {"name": name, "namespace": ns}, "spec": {"sourceDeploymentRef": {"name": "kustomize-controller"}, "shards": [{"name": "a"}, {"name": "b"}]}, "status": {"inventory": {"entries": [{"id": format!("{ns}_kustomize-controller-a_apps_Deployment"), "v": "v1"}]}}});
    api.routes.insert(
        "/apis/templates.weave.works/v1alpha1/fluxshardsets".into(),
        Ok(Response {
            status: 200,
            body: json!({"items": [set("z-ns", "k"), set("a-ns", "k2")]}).to_string(),
        }),
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The result does not depend on the order the API lists objects in.
    #[test]
    fn order_of_objects_does_not_matter(seed in any::<u64>()) {
        let reference = get(&healthy()).unwrap();
        let api = healthy();
        let mut api = api;
        for path in [format!("/apis/apps/v1/namespaces/{NS}/deployments"), format!("/apis/apps/v1/namespaces/{NS}/replicasets"), format!("/api/v1/namespaces/{NS}/pods")] {
            let Ok(Response { body, .. }) = api.routes[&path].clone() else { unreachable!() };
            let mut v: Value = serde_json::from_str(&body).unwrap();
            let items = v["items"].as_array_mut().unwrap();
            let mut s = seed;
            for i in (1..items.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                items.swap(i, (s >> 33) as usize % (i + 1));
            }
            api.routes.insert(path, Ok(Response { status: 200, body: v.to_string() }));
        }
        prop_assert_eq!(get(&api).unwrap(), reference);
    }
}
