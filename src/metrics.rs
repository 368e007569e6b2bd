//! `ShardMetrics`: what the JS API, the CLI and the page show for one shard set.

use std::collections::BTreeMap;

use serde::Serialize;

/// Whether a Deployment is the shard set's source or one of its shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// `spec.sourceDeploymentRef`.
    Source,
    /// One of `spec.shards`.
    Shard,
}

/// Reconciliations and errors of one controller kind (`gitrepository`, `kustomization`, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
pub struct ControllerCounts {
    /// The `controller` label.
    pub controller: String,
    /// Sum over results.
    pub reconciliations: f64,
    /// `result="error"`.
    pub errors: f64,
}

/// One pod of a Deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct PodMetrics {
    /// Pod name.
    pub name: String,
    /// `Running`, `Pending`, …
    pub phase: String,
    /// The `Ready` condition.
    pub ready: bool,
    /// Container restarts.
    pub restarts: u32,
    /// Whether its metrics were read.
    pub scraped: bool,
    /// Sum of `controller_runtime_reconcile_total`.
    pub reconciliations: f64,
    /// The same over `result="error"`.
    pub errors: f64,
    /// Per `result` label.
    #[cfg_attr(test, ts(type = "Record<string, number>"))]
    pub by_result: BTreeMap<String, f64>,
    /// Per `controller` label, sorted by name.
    pub by_controller: Vec<ControllerCounts>,
    /// `leader_election_master_status` (`null` when the pod does not report it).
    pub leader: Option<bool>,
    /// `process_start_time_seconds`, seconds since the epoch.
    pub start_time: Option<f64>,
    /// Why this pod has no numbers, for a person.
    pub error: Option<String>,
}

/// One Deployment: the source or a shard.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct DeploymentMetrics {
    /// Deployment name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// Source or shard.
    pub role: Role,
    /// The shard's name; `null` for the source.
    pub shard: Option<String>,
    /// Whether the shard set's inventory lists it (always true for the source).
    pub in_inventory: bool,
    /// Whether the Deployment exists.
    pub found: bool,
    /// `spec.replicas`.
    pub replicas: u32,
    /// `status.readyReplicas`.
    pub ready_replicas: u32,
    /// Sum over pods.
    pub reconciliations: f64,
    /// Sum over pods of `result="error"`.
    pub errors: f64,
    /// Per `result`, over pods.
    #[cfg_attr(test, ts(type = "Record<string, number>"))]
    pub by_result: BTreeMap<String, f64>,
    /// Per controller kind, over pods, sorted by name.
    pub by_controller: Vec<ControllerCounts>,
    /// Its pods, by name.
    pub pods: Vec<PodMetrics>,
    /// What keeps this row from being complete, for a person; `null` when nothing.
    pub error: Option<String>,
}

/// The shard set a [`ShardMetrics`] is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ShardSetRef {
    /// Name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// `spec.sourceDeploymentRef.name`.
    pub source_deployment: String,
    /// `spec.shards[].name`, in order.
    pub shards: Vec<String>,
    /// The `Ready` condition's status, `null` without one.
    pub ready: Option<bool>,
    /// The `Ready` condition's message.
    pub message: Option<String>,
}

/// Per-Deployment reconciliation counts of one FluxShardSet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ShardMetrics {
    /// The shard set.
    pub shard_set: ShardSetRef,
    /// The source Deployment first, then the shards in `spec.shards` order.
    pub deployments: Vec<DeploymentMetrics>,
    /// Problems that do not belong to one row (malformed inventory ids, …).
    pub warnings: Vec<String>,
    /// How many API requests were made.
    pub api_calls: u32,
}

/// A FluxShardSet as `listShardSets` returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ShardSetSummary {
    /// Name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// `spec.sourceDeploymentRef.name`.
    pub source_deployment: String,
    /// `spec.shards[].name`.
    pub shards: Vec<String>,
    /// Deployments in the inventory.
    pub inventory: u32,
    /// The `Ready` condition's status.
    pub ready: Option<bool>,
    /// The `Ready` condition's message.
    pub message: Option<String>,
}
