//! Deployments, ReplicaSets and Pods, with only the fields used here; each
//! field declared once, in its `from_json` (which also checks its JSON type).

use super::meta::{Condition, ObjectMeta};
use crate::json::{FromJson, Node};

/// The phase of a pod whose containers run (and whose metrics can be read).
pub const RUNNING: &str = "Running";

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
        self.flag_values(name, true)
    }

    /// The value of a boolean flag as pflag reads it: `--name` is true, `--name=false` false (also
    /// `0`, `f`, `F`, `FALSE`, `False`), the last occurrence wins; `None` when absent or unreadable
    /// (pflag then refuses to start). A bool flag never takes the next argument as its value.
    ///
    /// ```
    /// use flux_shard_metrics::kube::Container;
    /// let c = Container { command_line: vec!["--watch-all-namespaces=true".into(), "--watch-all-namespaces=false".into()], ..Container::default() };
    /// assert_eq!(c.bool_flag("watch-all-namespaces"), Some(false));
    /// let c = Container { command_line: vec!["--watch-all-namespaces".into(), "false".into()], ..Container::default() };
    /// assert_eq!(c.bool_flag("watch-all-namespaces"), Some(true));
    /// ```
    pub fn bool_flag(&self, name: &str) -> Option<bool> {
        match self.flag_values(name, false)? {
            "" | "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
            "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
            _ => None,
        }
    }

    /// The last `--name=value` (or `--name value` when `takes_next`; a bare `--name`: `""` otherwise).
    fn flag_values(&self, name: &str, takes_next: bool) -> Option<&str> {
        let mut found = None;
        let mut args = self.command_line.iter();
        while let Some(arg) = args.next() {
            let Some(rest) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) else {
                continue;
            };
            if let Some(value) = rest.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                found = Some(value);
            } else if rest == name {
                found = match takes_next {
                    true => args.next().map(String::as_str),
                    false => Some(""),
                };
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
    /// `state.running.startedAt`: when its current run started (after a restart, later than the
    /// pod's `startTime`); seconds since the epoch, `None` when it is not running.
    pub started_at: Option<f64>,
}

impl Pod {
    /// Whether it has finished (`Succeeded`, or `Failed` such as an evicted pod):
    /// it will not run again, and a Deployment's leftover finished pods are not its replicas.
    pub fn is_finished(&self) -> bool {
        matches!(self.status.phase.as_str(), "Succeeded" | "Failed")
    }

    /// Whether it is being deleted (`metadata.deletionTimestamp`): Terminating, as kubectl says,
    /// while its phase may still be `Running`; it is no replica any more.
    pub fn is_terminating(&self) -> bool {
        self.metadata.deletion_timestamp.is_some()
    }

    /// When its containers last started: the latest `state.running.startedAt`, else `status.startTime`.
    ///
    /// ```
    /// use flux_shard_metrics::kube::Pod;
    /// let pod: Pod = flux_shard_metrics::json::parse_object(r#"{"status": {"startTime": "2026-11-01T09:00:00Z",
    ///   "containerStatuses": [{"restartCount": 1, "state": {"running": {"startedAt": "2026-11-01T10:00:00Z"}}}]}}"#).unwrap();
    /// assert_eq!(pod.started_at(), Some(1_793_527_200.0));
    /// ```
    pub fn started_at(&self) -> Option<f64> {
        self.status
            .container_statuses
            .iter()
            .filter_map(|c| c.started_at)
            .reduce(f64::max)
            .or(self.status.start_time)
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
    /// let pod: Pod = flux_shard_metrics::json::parse_object(r#"{"metadata":{"annotations":{"prometheus.io/port":"9090"}}}"#).unwrap();
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

impl FromJson for Deployment {
    fn from_json(v: Node<'_>) -> Self {
        Deployment {
            metadata: v.object("metadata"),
            spec: v.object("spec"),
            status: v.object("status"),
        }
    }
}

impl FromJson for DeploymentSpec {
    fn from_json(v: Node<'_>) -> Self {
        let template = v.child("template");
        let pod_spec = template.child("spec");
        DeploymentSpec {
            replicas: v.count_u32("replicas"),
            match_labels: v.child("selector").string_map("matchLabels"),
            containers: pod_spec.list("containers"),
        }
    }
}

impl FromJson for DeploymentStatus {
    fn from_json(v: Node<'_>) -> Self {
        DeploymentStatus {
            ready_replicas: v.count_u32("readyReplicas").unwrap_or(0),
        }
    }
}

impl FromJson for ReplicaSet {
    fn from_json(v: Node<'_>) -> Self {
        ReplicaSet {
            metadata: v.object("metadata"),
        }
    }
}

impl FromJson for Pod {
    fn from_json(v: Node<'_>) -> Self {
        Pod {
            metadata: v.object("metadata"),
            spec: v.object("spec"),
            status: v.object("status"),
        }
    }
}

impl FromJson for PodSpec {
    fn from_json(v: Node<'_>) -> Self {
        PodSpec {
            containers: v.list("containers"),
        }
    }
}

impl FromJson for Container {
    fn from_json(v: Node<'_>) -> Self {
        let mut command_line = v.strings("command");
        command_line.extend(v.strings("args"));
        Container {
            name: v.string("name"),
            ports: v.list("ports"),
            command_line,
        }
    }
}

impl FromJson for ContainerPort {
    fn from_json(v: Node<'_>) -> Self {
        ContainerPort {
            name: v.string("name"),
            container_port: v.count_u16("containerPort").unwrap_or(0),
        }
    }
}

impl FromJson for PodStatus {
    fn from_json(v: Node<'_>) -> Self {
        PodStatus {
            phase: v.string("phase"),
            reason: v.string("reason"),
            start_time: super::time::parse_time(&v.string("startTime")),
            conditions: v.list("conditions"),
            container_statuses: v.list("containerStatuses"),
        }
    }
}

impl FromJson for ContainerStatus {
    fn from_json(v: Node<'_>) -> Self {
        ContainerStatus {
            restart_count: v.count_u32("restartCount").unwrap_or(0),
            started_at: super::time::parse_time(
                &v.child("state").child("running").string("startedAt"),
            ),
        }
    }
}
