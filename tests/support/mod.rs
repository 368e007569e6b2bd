//! A fake API server for host tests: a FluxShardSet, its Deployments (as
//! flux-shard-controller makes them), ReplicaSets, pods whose metrics answer
//! as told, Flux objects, and aggregated API discovery. Every request is
//! recorded; unknown paths answer 404 with a `Status`, as the API server does.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use flux_shard_metrics::pipeline::{get_shard_metrics, Query};
use flux_shard_metrics::report::ShardMetrics;
use flux_shard_metrics::transport::{Accept, FetchError, Response, Transport, TransportError};
use futures::executor::block_on;
use serde_json::{json, Value};

pub const NS: &str = "flux-system";
pub const KEY: &str = "sharding.fluxcd.io/key";
/// When the tests read: 2026-11-30T00:00:00Z, in milliseconds.
pub const READ_AT: f64 = 1_796_083_200_000.0;
/// Seconds since the epoch at READ_AT.
pub const NOW: f64 = READ_AT / 1000.0;

#[derive(Default)]
pub struct FakeApi {
    pub routes: HashMap<String, Result<Response, TransportError>>,
    /// Answers given before the route's, once each, in order (retries).
    pub first: RefCell<HashMap<String, Vec<Result<Response, TransportError>>>>,
    pub calls: RefCell<Vec<(String, Accept)>>,
    /// The fake clock, in milliseconds; `sleep` moves it.
    pub clock: std::cell::Cell<f64>,
    pub sleeps: RefCell<Vec<u32>>,
    /// The deadline of a request (10 s unless set).
    pub timeout: Option<u32>,
}

impl Transport for FakeApi {
    async fn get(
        &self,
        path: &str,
        accept: Accept,
        _budget_ms: u32,
    ) -> Result<Response, TransportError> {
        self.calls.borrow_mut().push((path.to_string(), accept));
        if let Some(queued) = self
            .first
            .borrow_mut()
            .get_mut(path)
            .filter(|q| !q.is_empty())
        {
            return queued.remove(0);
        }
        // A list asked for with a query (`?limit=500`, a label selector) answers as the list without one,
        // unless a route for that exact query is set.
        let base = path.split_once('?').map_or(path, |(p, _)| p);
        // A watch with no route of its own: nothing changed in its second (an empty stream).
        if path.contains("watch=1") && !self.routes.contains_key(path) {
            return Ok(Response::json(200, ""));
        }
        let route = self.routes.get(path).or_else(|| {
            self.routes
                .get(base)
                .filter(|_| !path.contains("continue="))
        });
        route.cloned().unwrap_or_else(|| {
            Ok(Response::json(404, json!({"kind": "Status", "message": format!("the server could not find {path}"), "reason": "NotFound", "code": 404}).to_string()))
        })
    }
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:8001{path}")
    }
    fn timeout_ms(&self) -> u32 {
        self.timeout.unwrap_or(10_000)
    }
    fn now_ms(&self) -> f64 {
        self.clock.get()
    }
    async fn sleep(&self, ms: u32) {
        self.sleeps.borrow_mut().push(ms);
        self.clock.set(self.clock.get() + f64::from(ms));
    }
}

impl FakeApi {
    pub fn paths(&self) -> Vec<String> {
        self.calls.borrow().iter().map(|(p, _)| p.clone()).collect()
    }
    pub fn read(&self, name: &str) -> Result<ShardMetrics, FetchError> {
        block_on(get_shard_metrics(self, &Query::new(NS, name, READ_AT)))
    }
}

pub fn ok(body: String) -> Result<Response, TransportError> {
    Ok(Response {
        status: 200,
        content_type: "text/plain; version=0.0.4; charset=utf-8".into(),
        retry_after: None,
        body,
    })
}

/// A controller's /metrics: per controller kind `(name, reconciliations, errors)`, most of them
/// `requeue_after` as on a real cluster; the leader lease; the start time.
pub fn scrape(kinds: &[(&str, u32, u32)], leader: bool, start: f64) -> String {
    let mut out = String::from("# TYPE controller_runtime_reconcile_total counter\n");
    for &(kind, total, errors) in kinds {
        let rest = total - errors;
        let success = rest / 10;
        for (result, n) in [
            ("error", errors),
            ("requeue", 0),
            ("requeue_after", rest - success),
            ("success", success),
        ] {
            out.push_str(&format!("controller_runtime_reconcile_total{{controller=\"{kind}\",result=\"{result}\"}} {n}\n"));
        }
    }
    out.push_str(&format!(
        "leader_election_master_status{{name=\"lease\"}} {}\nprocess_start_time_seconds {start}\n",
        u8::from(leader)
    ));
    out
}

/// A standby replica: no reconcile family at all, only the lease at 0.
pub fn standby(start: f64) -> String {
    format!("# TYPE leader_election_master_status gauge\nleader_election_master_status{{name=\"lease\"}} 0\nprocess_start_time_seconds {start}\ngo_goroutines 40\n")
}

/// A pod of a Deployment in the fake cluster.
pub struct FakePod {
    pub suffix: &'static str,
    pub phase: &'static str,
    pub reason: Option<&'static str>,
    pub ready: bool,
    pub started: f64,
    pub answer: Result<Response, TransportError>,
    /// Owned by an older ReplicaSet of the same Deployment.
    pub old: bool,
    /// Being deleted (`metadata.deletionTimestamp`): Terminating.
    pub terminating: bool,
}

impl FakePod {
    pub fn running(suffix: &'static str, body: String) -> FakePod {
        FakePod {
            suffix,
            phase: "Running",
            reason: None,
            ready: true,
            started: NOW - 3600.0,
            answer: ok(body),
            old: false,
            terminating: false,
        }
    }
    pub fn answering(suffix: &'static str, answer: Result<Response, TransportError>) -> FakePod {
        FakePod {
            answer,
            ..FakePod::running(suffix, String::new())
        }
    }
    pub fn phase(suffix: &'static str, phase: &'static str) -> FakePod {
        FakePod {
            phase,
            ready: false,
            ..FakePod::running(suffix, String::new())
        }
    }
    pub fn evicted(suffix: &'static str) -> FakePod {
        FakePod {
            phase: "Failed",
            reason: Some("Evicted"),
            ready: false,
            old: true,
            ..FakePod::running(suffix, String::new())
        }
    }
    pub fn started(mut self, at: f64) -> FakePod {
        self.started = at;
        self
    }
    /// The API server's pod proxy for a pod whose port does not listen (a real answer:
    /// tests/fixtures/real-cluster/status-proxy-refused.json).
    pub fn refused() -> Result<Response, TransportError> {
        Ok(Response::json(503, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"error trying to reach service: dial tcp 10.244.0.23:8080: connect: connection refused\",\"reason\":\"ServiceUnavailable\",\"code\":503}"))
    }
    /// Being deleted: Terminating, its process already gone (the proxy refuses).
    pub fn terminating(mut self) -> FakePod {
        self.terminating = true;
        self.ready = false;
        self.answer = FakePod::refused();
        self
    }
    /// Started `seconds` ago, not Ready yet, its metrics not served yet (the proxy refuses).
    pub fn starting(suffix: &'static str, seconds: f64) -> FakePod {
        FakePod {
            ready: false,
            started: NOW - seconds,
            answer: FakePod::refused(),
            ..FakePod::running(suffix, String::new())
        }
    }
}

/// The `resourceVersion` of every list the fake answers.
pub const RESOURCE_VERSION: &str = "1000";

/// A Deployment of the fake cluster, in full (see [`Cluster::deploy`]).
pub struct FakeDeployment {
    pub name: String,
    /// Its `app` label: its selector and its pods' label.
    pub app: String,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    /// The `manager` container's args.
    pub args: Vec<String>,
    pub pods: Vec<FakePod>,
}

/// A Flux object: kind, namespace/name, sharding key, Ready, suspended.
pub struct FakeObject {
    pub kind: &'static str,
    pub name: String,
    pub key: Option<String>,
    pub ready: bool,
    pub suspended: bool,
    /// Labels besides the key; the key's label name (`sharding.fluxcd.io/key` unless set).
    pub labels: Vec<(String, String)>,
    pub key_label: String,
    /// Fields merged into its `spec` (`sourceRef`, `chart`, `imageRepositoryRef`).
    pub spec: Value,
}

impl FakeObject {
    /// The same object with `spec` fields merged in.
    pub fn with_spec(mut self, spec: Value) -> FakeObject {
        self.spec = spec;
        self
    }
    /// The same object sharded by another label than `sharding.fluxcd.io/key`.
    pub fn keyed_by(mut self, label: &str) -> FakeObject {
        self.key_label = label.to_string();
        self
    }
}

pub fn object(kind: &'static str, name: &str, key: Option<&str>) -> FakeObject {
    FakeObject {
        kind,
        name: name.to_string(),
        key: key.map(String::from),
        ready: true,
        suspended: false,
        labels: Vec::new(),
        key_label: KEY.to_string(),
        spec: Value::Null,
    }
}

/// Flux's kinds as the fake serves them: (group, version, plural, kind).
pub const SERVED: [(&str, &str, &str, &str); 9] = [
    (
        "source.toolkit.fluxcd.io",
        "v1",
        "helmrepositories",
        "HelmRepository",
    ),
    (
        "image.toolkit.fluxcd.io",
        "v1",
        "imagerepositories",
        "ImageRepository",
    ),
    (
        "image.toolkit.fluxcd.io",
        "v1",
        "imagepolicies",
        "ImagePolicy",
    ),
    (
        "source.toolkit.fluxcd.io",
        "v1",
        "gitrepositories",
        "GitRepository",
    ),
    ("source.toolkit.fluxcd.io", "v1", "helmcharts", "HelmChart"),
    (
        "source.toolkit.fluxcd.io",
        "v1",
        "ocirepositories",
        "OCIRepository",
    ),
    ("source.toolkit.fluxcd.io", "v1", "buckets", "Bucket"),
    (
        "kustomize.toolkit.fluxcd.io",
        "v1",
        "kustomizations",
        "Kustomization",
    ),
    (
        "helm.toolkit.fluxcd.io",
        "v2",
        "helmreleases",
        "HelmRelease",
    ),
];

pub fn objects_path(kind: &str) -> String {
    let (g, v, plural, _) = SERVED.iter().find(|s| s.3 == kind).expect("a served kind");
    format!("/apis/{g}/{v}/{plural}?limit=500")
}

/// A FluxShardSet over `source-controller` and the namespace around it.
pub struct Cluster {
    pub name: String,
    pub source: String,
    pub set: Value,
    pub deployments: Vec<Value>,
    pub replica_sets: Vec<Value>,
    pub pods: Vec<Value>,
    pub objects: Vec<FakeObject>,
    pub api: FakeApi,
    /// Each Deployment's `--storage-adv-addr` names its own Service (as the Flux Operator and Flux's
    /// sharding guide make them); `false`: every one names the source's, as flux-shard-controller
    /// copies the source's arguments (FLUX-FACTS).
    pub own_storage_addr: bool,
    /// The namespace's Services (their names); one per Deployment by default.
    pub services: Option<Vec<String>>,
    /// The namespace's FluxInstance `flux`, when there is one.
    pub instance: Option<Value>,
    /// Kinds of [`SERVED`] this cluster does not serve (their CRD is not installed).
    pub unserved: Vec<&'static str>,
}

impl Cluster {
    /// A shard set `source-controller-shardset` with these shards, all in its
    /// inventory, `Ready=True`, generation 1 observed.
    /// A namespace without a FluxShardSet: its groups are what its Deployments make
    /// ([`Cluster::deploy`]), with [`Cluster::instance`] a FluxInstance's.
    pub fn bare() -> Cluster {
        let mut c = Cluster::new(&[]);
        c.set = Value::Null;
        c
    }

    pub fn new(shards: &[&str]) -> Cluster {
        let source = "source-controller";
        let mut c = Cluster {
            name: "source-controller-shardset".into(),
            source: source.into(),
            set: Value::Null,
            deployments: Vec::new(),
            replica_sets: Vec::new(),
            pods: Vec::new(),
            objects: Vec::new(),
            api: FakeApi::default(),
            own_storage_addr: true,
            services: None,
            instance: None,
            unserved: Vec::new(),
        };
        let entries: Vec<Value> = shards
            .iter()
            .map(|s| json!({"id": format!("{NS}_{source}-{s}_apps_Deployment"), "v": "v1"}))
            .collect();
        c.set = json!({
            "apiVersion": "templates.weave.works/v1alpha1", "kind": "FluxShardSet",
            "metadata": {"name": c.name, "namespace": NS, "uid": "set-1", "generation": 1},
            "spec": {"sourceDeploymentRef": {"name": source}, "shards": shards.iter().map(|s| json!({"name": s})).collect::<Vec<_>>()},
            "status": {"observedGeneration": 1, "inventory": {"entries": entries},
                       "conditions": [{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded", "message": format!("{} shard(s) created", shards.len())}]}
        });
        c
    }

    /// The shard set's inventory: exactly these Deployment ids.
    pub fn inventory(&mut self, ids: &[&str]) -> &mut Self {
        self.set["status"]["inventory"]["entries"] =
            ids.iter().map(|id| json!({"id": id, "v": "v1"})).collect();
        self
    }

    /// The source Deployment (`--watch-label-selector=!sharding.fluxcd.io/key`).
    pub fn source(&mut self, pods: Vec<FakePod>) -> &mut Self {
        let source = self.source.clone();
        self.deployment(&source, Some(&format!("!{KEY}")), pods)
    }

    /// A shard's Deployment as flux-shard-controller makes it.
    pub fn shard(&mut self, shard: &str, pods: Vec<FakePod>) -> &mut Self {
        let name = format!("{}-{shard}", self.source);
        self.deployment(&name, Some(&format!("{KEY} in ({shard})")), pods)
    }

    /// A Deployment whose manager watches `selector` (none: no flag), with one ReplicaSet and these pods.
    pub fn deployment(
        &mut self,
        name: &str,
        selector: Option<&str>,
        pods: Vec<FakePod>,
    ) -> &mut Self {
        let advertised = if self.own_storage_addr {
            name
        } else {
            self.source.as_str()
        };
        let mut args = vec![
            "--events-addr=http://notification-controller.flux-system.svc.cluster.local./"
                .to_string(),
            "--watch-all-namespaces=true".to_string(),
            format!("--storage-adv-addr={advertised}.$(RUNTIME_NAMESPACE).svc.cluster.local."),
        ];
        if let Some(s) = selector {
            args.push(format!("--watch-label-selector={s}"));
        }
        let app = self.source.clone();
        self.deploy(FakeDeployment {
            name: name.to_string(),
            app,
            labels: vec![],
            annotations: vec![],
            args,
            pods,
        })
    }

    /// A Deployment as `d` says: its own `app` label (its selector, and its pods'), extra labels
    /// and annotations, the `manager` container's args; one ReplicaSet, an older one, its pods.
    pub fn deploy(&mut self, d: FakeDeployment) -> &mut Self {
        let name = d.name.as_str();
        let selector = json!({"app": d.app});
        let mut labels = json!({"app": d.app, "control-plane": "controller"});
        for (k, v) in &d.labels {
            labels[k] = json!(v);
        }
        let annotations: serde_json::Map<String, Value> = d
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        let pods = d.pods;
        let live = pods.iter().filter(|p| !p.old && !p.terminating).count();
        self.deployments.push(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": NS, "uid": format!("dep-{name}"), "labels": labels, "annotations": annotations, "generation": 1},
            "spec": {"replicas": live, "selector": {"matchLabels": selector},
                     "template": {"metadata": {"labels": labels, "annotations": annotations}, "spec": {"containers": [{"name": "manager", "args": d.args,
                        "ports": [{"name": "http", "containerPort": 9090}, {"name": "http-prom", "containerPort": 8080}, {"name": "healthz", "containerPort": 9440}]}]}}},
            "status": {"replicas": live, "readyReplicas": pods.iter().filter(|p| !p.old && p.ready).count()}
        }));
        for (rs, old) in [
            (format!("{name}-7d9c5b"), false),
            (format!("{name}-5f4d3c"), true),
        ] {
            self.replica_sets.push(json!({
                "metadata": {"name": rs, "namespace": NS, "uid": format!("rs-{rs}"),
                             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": format!("dep-{name}"), "controller": true}]},
                "spec": {"replicas": if old { 0 } else { live }}
            }));
            for pod in pods.iter().filter(|p| p.old == old) {
                let pod_name = format!("{rs}-{}", pod.suffix);
                let mut status = json!({"phase": pod.phase, "startTime": iso(pod.started),
                    "conditions": [{"type": "Ready", "status": if pod.ready { "True" } else { "False" }}],
                    "containerStatuses": [{"name": "manager", "restartCount": 1}]});
                if let Some(reason) = pod.reason {
                    status["reason"] = json!(reason);
                }
                let mut metadata = json!({"name": pod_name, "namespace": NS, "uid": format!("pod-{pod_name}"), "labels": {"app": d.app, "pod-template-hash": "7d9c5b"},
                                 "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "8080"},
                                 "ownerReferences": [{"kind": "ReplicaSet", "name": rs, "uid": format!("rs-{rs}"), "controller": true}]});
                if pod.terminating {
                    metadata["deletionTimestamp"] = json!(iso(NOW - 2.0));
                    metadata["deletionGracePeriodSeconds"] = json!(10);
                }
                self.pods.push(json!({
                    "metadata": metadata,
                    "spec": {"containers": [{"name": "manager", "ports": [{"name": "http-prom", "containerPort": 8080}, {"name": "healthz", "containerPort": 9440}]}]},
                    "status": status
                }));
                self.api.routes.insert(
                    format!("/api/v1/namespaces/{NS}/pods/{pod_name}:8080/proxy/metrics"),
                    pod.answer.clone(),
                );
            }
        }
        self
    }

    pub fn objects(&mut self, objects: Vec<FakeObject>) -> &mut Self {
        self.objects.extend(objects);
        self
    }

    /// Serves everything; objects of each served kind on one page.
    pub fn finish(&mut self) -> FakeApi {
        let mut api = std::mem::take(&mut self.api);
        let sets: Vec<Value> = [&self.set]
            .into_iter()
            .filter(|s| !s.is_null())
            .cloned()
            .collect();
        if !self.set.is_null() {
            api.routes.insert(
                format!(
                    "/apis/templates.weave.works/v1alpha1/namespaces/{NS}/fluxshardsets/{}",
                    self.name
                ),
                Ok(Response::json(200, self.set.to_string())),
            );
        }
        for path in [
            format!("/apis/templates.weave.works/v1alpha1/namespaces/{NS}/fluxshardsets"),
            "/apis/templates.weave.works/v1alpha1/fluxshardsets".to_string(),
        ] {
            api.routes.entry(path).or_insert_with(|| {
                Ok(Response::json(200, json!({"kind": "FluxShardSetList", "apiVersion": "templates.weave.works/v1alpha1", "metadata": {}, "items": sets}).to_string()))
            });
        }
        if let Some(instance) = &self.instance {
            api.routes.insert(
                format!("/apis/fluxcd.controlplane.io/v1/namespaces/{NS}/fluxinstances/flux"),
                Ok(Response::json(200, instance.to_string())),
            );
            for path in [
                format!("/apis/fluxcd.controlplane.io/v1/namespaces/{NS}/fluxinstances"),
                "/apis/fluxcd.controlplane.io/v1/fluxinstances".to_string(),
            ] {
                api.routes.insert(path, Ok(Response::json(200, json!({"kind": "FluxInstanceList", "apiVersion": "fluxcd.controlplane.io/v1", "metadata": {}, "items": [instance]}).to_string())));
            }
        }
        for (path, kind, items) in [
            (
                format!("/apis/apps/v1/namespaces/{NS}/deployments"),
                "DeploymentList",
                &self.deployments,
            ),
            (
                "/apis/apps/v1/deployments".to_string(),
                "DeploymentList",
                &self.deployments,
            ),
            (
                format!("/apis/apps/v1/namespaces/{NS}/replicasets"),
                "ReplicaSetList",
                &self.replica_sets,
            ),
            (
                format!("/api/v1/namespaces/{NS}/pods"),
                "PodList",
                &self.pods,
            ),
        ] {
            api.routes.insert(
                path,
                Ok(Response::json(
                    200,
                    json!({"kind": kind, "apiVersion": "v1", "metadata": {"resourceVersion": RESOURCE_VERSION}, "items": items})
                        .to_string(),
                )),
            );
        }
        let services = self.services.clone().unwrap_or_else(|| {
            self.deployments
                .iter()
                .filter_map(|d| d["metadata"]["name"].as_str().map(str::to_string))
                .collect()
        });
        let items: Vec<Value> = services
            .iter()
            .map(|s| json!({"metadata": {"name": s, "namespace": NS}, "spec": {"ports": [{"name": "http", "port": 80}]}}))
            .collect();
        api.routes.insert(
            format!("/api/v1/namespaces/{NS}/services"),
            Ok(Response::json(
                200,
                json!({"kind": "ServiceList", "apiVersion": "v1", "metadata": {"resourceVersion": RESOURCE_VERSION}, "items": items})
                    .to_string(),
            )),
        );
        let mut groups: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
        for (g, v, plural, kind) in SERVED.into_iter().filter(|s| !self.unserved.contains(&s.3)) {
            groups.entry(g).or_default().push(json!({"resource": plural, "responseKind": {"group": g, "version": v, "kind": kind}, "scope": "Namespaced", "verbs": ["get", "list", "watch"]}));
            let items: Vec<Value> = self
                .objects
                .iter()
                .filter(|o| o.kind == kind)
                .map(|o| flux_object(g, v, o))
                .collect();
            api.routes.entry(objects_path(kind)).or_insert_with(|| Ok(Response::json(200, json!({"kind": format!("{kind}List"), "apiVersion": format!("{g}/{v}"), "metadata": {"resourceVersion": RESOURCE_VERSION}, "items": items}).to_string())));
        }
        let items: Vec<Value> = groups
            .into_iter()
            .map(|(g, resources)| {
                let version = resources[0]["responseKind"]["version"].clone();
                json!({"metadata": {"name": g}, "versions": [{"version": version, "resources": resources}]})
            })
            .collect();
        api.routes.entry("/apis".into()).or_insert_with(|| Ok(Response::json(200, json!({"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "items": items}).to_string())));
        api
    }
}

fn flux_object(group: &str, version: &str, o: &FakeObject) -> Value {
    let (ns, name) = o.name.split_once('/').unwrap_or(("apps", &o.name));
    let mut labels = json!({"kustomize.toolkit.fluxcd.io/name": "apps"});
    if let Some(k) = &o.key {
        labels[&o.key_label] = json!(k);
    }
    for (k, v) in &o.labels {
        labels[k] = json!(v);
    }
    let mut spec = json!({"interval": "5m", "suspend": o.suspended});
    if let Value::Object(extra) = &o.spec {
        for (k, v) in extra {
            spec[k] = v.clone();
        }
    }
    json!({
        "apiVersion": format!("{group}/{version}"), "kind": o.kind,
        "metadata": {"name": name, "namespace": ns, "labels": labels, "generation": 3,
                     "managedFields": [{"manager": "kustomize-controller", "operation": "Apply", "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:interval": {}}}}]},
        "spec": spec,
        "status": {"observedGeneration": 3, "conditions": [{"type": "Ready", "status": if o.ready { "True" } else { "False" }, "reason": if o.ready { "Succeeded" } else { "ReconciliationFailed" }, "message": "…"}]}
    })
}

/// An RFC 3339 time of `seconds` since the epoch (whole seconds, UTC).
pub fn iso(seconds: f64) -> String {
    let s = seconds as i64;
    let (days, rest) = (s.div_euclid(86_400), s.rem_euclid(86_400));
    // Civil from days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
