//! Deployments, ReplicaSets, Pods, lists and `Status`, with only the fields used here.

use serde_json::Value;

use super::json::{object, objects, str_of, string_map, u32_of, FromJson};

/// The label flux-shard-controller's shards select their objects by.
pub const SHARD_KEY: &str = "sharding.fluxcd.io/key";

/// A list response: `{"kind": "…List", "metadata": {"continue": …}, "items": […]}`.
#[derive(Debug, Clone)]
pub struct List<T> {
    /// The objects.
    pub items: Vec<T>,
    /// `metadata.continue`: there are more pages; `None` on the last.
    pub continue_token: Option<String>,
}

/// `metadata` of any object.
#[derive(Debug, Clone, Default)]
pub struct ObjectMeta {
    /// The name.
    pub name: String,
    /// The namespace.
    pub namespace: String,
    /// The unique id.
    pub uid: String,
    /// Labels.
    pub labels: Vec<(String, String)>,
    /// Annotations.
    pub annotations: Vec<(String, String)>,
    /// Owners (Pod → ReplicaSet → Deployment).
    pub owner_references: Vec<OwnerReference>,
    /// `metadata.generation`: bumped on each change of the spec.
    pub generation: Option<u64>,
}

/// One `metadata.ownerReferences` entry.
#[derive(Debug, Clone)]
pub struct OwnerReference {
    /// `apps/v1`, …
    pub api_version: String,
    /// `ReplicaSet`, `Deployment`, …
    pub kind: String,
    /// The owner's name.
    pub name: String,
    /// The owner's uid.
    pub uid: String,
}

impl ObjectMeta {
    /// The value of label `name`.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `owner` (kind, name, uid) owns this object. The uid decides when both have one.
    pub fn is_owned_by(&self, kind: &str, owner: &ObjectMeta) -> bool {
        self.owner_references.iter().any(|r| {
            r.kind == kind
                && if r.uid.is_empty() || owner.uid.is_empty() {
                    r.name == owner.name
                } else {
                    r.uid == owner.uid
                }
        })
    }
}

/// `status.conditions[]`.
#[derive(Debug, Clone, Default)]
pub struct Condition {
    /// `Ready`, `Available`, …
    pub condition_type: String,
    /// `True`, `False`, `Unknown`.
    pub status: String,
    /// Machine-readable reason.
    pub reason: String,
    /// Human-readable message.
    pub message: String,
}

/// An `apps/v1` Deployment.
#[derive(Debug, Clone, Default)]
pub struct Deployment {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// `spec` (replicas).
    pub spec: DeploymentSpec,
    /// `status`.
    pub status: DeploymentStatus,
}

/// `Deployment.spec`.
#[derive(Debug, Clone, Default)]
pub struct DeploymentSpec {
    /// Desired replicas (1 when absent).
    pub replicas: Option<u32>,
    /// `spec.selector.matchLabels`: labels every one of its pods carries.
    pub match_labels: Vec<(String, String)>,
    /// `spec.template.spec.containers`: what each pod runs.
    pub containers: Vec<Container>,
}

/// `Deployment.status`.
#[derive(Debug, Clone, Default)]
pub struct DeploymentStatus {
    /// Ready replicas.
    pub ready_replicas: u32,
}

/// An `apps/v1` ReplicaSet: only its owner matters here.
#[derive(Debug, Clone, Default)]
pub struct ReplicaSet {
    /// Metadata.
    pub metadata: ObjectMeta,
}

/// A `v1` Pod.
#[derive(Debug, Clone, Default)]
pub struct Pod {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// `spec` (containers and their ports).
    pub spec: PodSpec,
    /// `status` (phase, readiness, restarts).
    pub status: PodStatus,
}

/// `Pod.spec`.
#[derive(Debug, Clone, Default)]
pub struct PodSpec {
    /// Containers.
    pub containers: Vec<Container>,
}

/// A container of a pod.
#[derive(Debug, Clone, Default)]
pub struct Container {
    /// Its name.
    pub name: String,
    /// Declared ports.
    pub ports: Vec<ContainerPort>,
    /// `command` then `args`: the command line.
    pub command_line: Vec<String>,
}

impl Container {
    /// The value of a `--name=value` or `--name value` flag on its command line (the last one wins).
    ///
    /// ```
    /// use flux_shard_metrics::kube::Container;
    /// let c = Container { command_line: vec!["--watch-label-selector".into(), "a=b".into(), "--log-level=info".into()], ..Container::default() };
    /// assert_eq!(c.flag("watch-label-selector"), Some("a=b"));
    /// assert_eq!(c.flag("log-level"), Some("info"));
    /// assert_eq!(c.flag("missing"), None);
    /// ```
    pub fn flag(&self, name: &str) -> Option<&str> {
        let mut found = None;
        let mut args = self.command_line.iter();
        while let Some(arg) = args.next() {
            let Some(rest) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) else {
                continue;
            };
            if let Some(value) = rest.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                found = Some(value);
            } else if rest == name {
                found = args.next().map(String::as_str);
            }
        }
        found
    }
}

/// A declared container port.
#[derive(Debug, Clone, Default)]
pub struct ContainerPort {
    /// Port name (`http-prom` for Flux metrics).
    pub name: String,
    /// Port number.
    pub container_port: u16,
}

/// `Pod.status`.
#[derive(Debug, Clone, Default)]
pub struct PodStatus {
    /// `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`.
    pub phase: String,
    /// Why it is in this phase (`Evicted`, …); empty when not given.
    pub reason: String,
    /// `status.startTime`, seconds since the epoch.
    pub start_time: Option<f64>,
    /// Conditions (`Ready`).
    pub conditions: Vec<Condition>,
    /// Per-container status (restart counts).
    pub container_statuses: Vec<ContainerStatus>,
}

/// `Pod.status.containerStatuses[]`.
#[derive(Debug, Clone, Default)]
pub struct ContainerStatus {
    /// Restarts of this container.
    pub restart_count: u32,
}

impl Pod {
    /// Whether it has finished (`Succeeded`, or `Failed` such as an evicted pod):
    /// it will not run again, and a Deployment's leftover finished pods are not its replicas.
    pub fn is_finished(&self) -> bool {
        matches!(self.status.phase.as_str(), "Succeeded" | "Failed")
    }

    /// Whether the `Ready` condition is `True`.
    pub fn is_ready(&self) -> bool {
        self.status
            .conditions
            .iter()
            .any(|c| c.condition_type == "Ready" && c.status == "True")
    }

    /// Restarts over all containers.
    pub fn restarts(&self) -> u32 {
        self.status
            .container_statuses
            .iter()
            .map(|c| c.restart_count)
            .sum()
    }

    /// The metrics port: the container port named `http-prom`, else the
    /// `prometheus.io/port` annotation, else 8080.
    ///
    /// ```
    /// use flux_shard_metrics::kube::Pod;
    /// let pod: Pod = flux_shard_metrics::kube::parse_object(r#"{"metadata":{"annotations":{"prometheus.io/port":"9090"}}}"#).unwrap();
    /// assert_eq!(pod.metrics_port(), 9090);
    /// assert_eq!(Pod::default().metrics_port(), 8080);
    /// ```
    pub fn metrics_port(&self) -> u16 {
        let named = self
            .spec
            .containers
            .iter()
            .flat_map(|c| &c.ports)
            .find(|p| p.name == "http-prom" && p.container_port != 0);
        if let Some(port) = named {
            return port.container_port;
        }
        self.metadata
            .annotations
            .iter()
            .find(|(k, _)| k == "prometheus.io/port")
            .and_then(|(_, p)| p.trim().parse().ok())
            .filter(|&p: &u16| p != 0)
            .unwrap_or(8080)
    }
}

/// The API server's error body: `{"kind":"Status","message":…,"reason":…,"code":…}`.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// What went wrong, for a person.
    pub message: String,
    /// `NotFound`, `Forbidden`, …
    pub reason: String,
    /// The HTTP status code.
    pub code: u16,
}

impl<T: FromJson> FromJson for List<T> {
    fn from_json(v: &Value) -> Self {
        let token = v
            .get("metadata")
            .map(|m| str_of(m, "continue"))
            .filter(|t| !t.is_empty());
        List {
            items: objects(v, "items"),
            continue_token: token,
        }
    }
}

impl FromJson for ObjectMeta {
    fn from_json(v: &Value) -> Self {
        ObjectMeta {
            name: str_of(v, "name"),
            namespace: str_of(v, "namespace"),
            uid: str_of(v, "uid"),
            labels: string_map(v, "labels"),
            annotations: string_map(v, "annotations"),
            owner_references: objects(v, "ownerReferences"),
            generation: v.get("generation").and_then(Value::as_u64),
        }
    }
}

impl FromJson for OwnerReference {
    fn from_json(v: &Value) -> Self {
        OwnerReference {
            api_version: str_of(v, "apiVersion"),
            kind: str_of(v, "kind"),
            name: str_of(v, "name"),
            uid: str_of(v, "uid"),
        }
    }
}

impl FromJson for Condition {
    fn from_json(v: &Value) -> Self {
        Condition {
            condition_type: str_of(v, "type"),
            status: str_of(v, "status"),
            reason: str_of(v, "reason"),
            message: str_of(v, "message"),
        }
    }
}

impl FromJson for Deployment {
    fn from_json(v: &Value) -> Self {
        Deployment {
            metadata: object(v, "metadata"),
            spec: object(v, "spec"),
            status: object(v, "status"),
        }
    }
}

impl FromJson for DeploymentSpec {
    fn from_json(v: &Value) -> Self {
        let pod_spec = v.get("template").and_then(|t| t.get("spec"));
        DeploymentSpec {
            replicas: u32_of(v, "replicas"),
            match_labels: v
                .get("selector")
                .map(|s| string_map(s, "matchLabels"))
                .unwrap_or_default(),
            containers: pod_spec.map_or_else(Vec::new, |s| objects(s, "containers")),
        }
    }
}

impl FromJson for DeploymentStatus {
    fn from_json(v: &Value) -> Self {
        DeploymentStatus {
            ready_replicas: u32_of(v, "readyReplicas").unwrap_or(0),
        }
    }
}

impl FromJson for ReplicaSet {
    fn from_json(v: &Value) -> Self {
        ReplicaSet {
            metadata: object(v, "metadata"),
        }
    }
}

impl FromJson for Pod {
    fn from_json(v: &Value) -> Self {
        Pod {
            metadata: object(v, "metadata"),
            spec: object(v, "spec"),
            status: object(v, "status"),
        }
    }
}

impl FromJson for PodSpec {
    fn from_json(v: &Value) -> Self {
        PodSpec {
            containers: objects(v, "containers"),
        }
    }
}

impl FromJson for Container {
    fn from_json(v: &Value) -> Self {
        let strings = |key: &str| -> Vec<String> {
            super::json::array(v, key)
                .iter()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect()
        };
        let mut command_line = strings("command");
        command_line.extend(strings("args"));
        Container {
            name: str_of(v, "name"),
            ports: objects(v, "ports"),
            command_line,
        }
    }
}

impl FromJson for ContainerPort {
    fn from_json(v: &Value) -> Self {
        let port = v
            .get("containerPort")
            .and_then(Value::as_u64)
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or(0);
        ContainerPort {
            name: str_of(v, "name"),
            container_port: port,
        }
    }
}

impl FromJson for PodStatus {
    fn from_json(v: &Value) -> Self {
        PodStatus {
            phase: str_of(v, "phase"),
            reason: str_of(v, "reason"),
            start_time: super::time::parse_time(&str_of(v, "startTime")),
            conditions: objects(v, "conditions"),
            container_statuses: objects(v, "containerStatuses"),
        }
    }
}

impl FromJson for ContainerStatus {
    fn from_json(v: &Value) -> Self {
        ContainerStatus {
            restart_count: u32_of(v, "restartCount").unwrap_or(0),
        }
    }
}

impl FromJson for Status {
    fn from_json(v: &Value) -> Self {
        Status {
            message: str_of(v, "message"),
            reason: str_of(v, "reason"),
            code: v
                .get("code")
                .and_then(Value::as_u64)
                .and_then(|c| u16::try_from(c).ok())
                .unwrap_or(0),
        }
    }
}
