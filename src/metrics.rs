//! `ShardMetrics`: what the JS API, the CLI and the page show for one shard set.

use serde::Serialize;

use crate::counts::Counts;
use crate::problem::Problem;
use crate::status::Status;

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

/// One pod of a Deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct PodMetrics {
    /// Pod name.
    pub name: String,
    /// `Running`, `Pending`, `Succeeded`, `Failed`, `Unknown`.
    pub phase: String,
    /// The `Ready` condition.
    pub ready: bool,
    /// Container restarts.
    pub restarts: u32,
    /// Whether its metrics were read.
    pub scraped: bool,
    /// What its metrics say (zero when not scraped).
    #[serde(flatten)]
    #[cfg_attr(test, ts(flatten))]
    pub counts: Counts,
    /// `leader_election_master_status`: `true` leader, `false` standby, `null` when not reported.
    pub leader: Option<bool>,
    /// `process_start_time_seconds`, seconds since the epoch.
    pub start_time: Option<f64>,
    /// Why this pod has no (or incomplete) numbers, for a person; `problem.message`.
    pub error: Option<String>,
    /// The same as data: kind and fields.
    pub problem: Option<Problem>,
}

impl PodMetrics {
    /// A pod with no numbers yet.
    pub fn new(name: String, phase: String, ready: bool, restarts: u32) -> PodMetrics {
        PodMetrics {
            name,
            phase,
            ready,
            restarts,
            scraped: false,
            counts: Counts::default(),
            leader: None,
            start_time: None,
            error: None,
            problem: None,
        }
    }

    /// Records why this pod has no (or incomplete) numbers.
    pub fn set_problem(&mut self, problem: Problem) {
        self.error = Some(problem.message.clone());
        self.problem = Some(problem);
    }
}

/// Reconciliations and errors per minute between two reads of the same shard set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Rate {
    /// Seconds between the two reads.
    pub seconds: f64,
    /// Reconciliations per minute.
    pub reconciliations_per_minute: f64,
    /// Errors per minute.
    pub errors_per_minute: f64,
    /// Whether a pod's counter went down or a new pod appeared (a restart or a
    /// rollout): its counts since then are counted from zero, as Prometheus' `rate()` does.
    pub restarted: bool,
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
    /// The merge of its pods' counts.
    #[serde(flatten)]
    #[cfg_attr(test, ts(flatten))]
    pub counts: Counts,
    /// Its pods, by name.
    pub pods: Vec<PodMetrics>,
    /// The pod that holds the leader lease, if a scraped pod reports it.
    pub leader: Option<String>,
    /// What keeps this row from being complete, for a person (the messages of
    /// `problems`, pods' prefixed with `pod NAME: `); `null` when nothing.
    pub error: Option<String>,
    /// Every problem of the row and of its pods, as data.
    pub problems: Vec<Problem>,
    /// The verdict: the most severe status that applies (see [`crate::status`]).
    pub status: Status,
    /// Why, for a person.
    pub status_reason: String,
    /// Every status that applies, most severe first (`[]` when ok).
    pub flags: Vec<Status>,
    /// Rates since the previous read; `null` on the first read.
    pub rate: Option<Rate>,
}

impl DeploymentMetrics {
    /// A row with nothing known yet but its place in the shard set.
    pub fn new(
        name: &str,
        namespace: &str,
        role: Role,
        shard: Option<String>,
        in_inventory: bool,
    ) -> DeploymentMetrics {
        DeploymentMetrics {
            name: name.to_string(),
            namespace: namespace.to_string(),
            role,
            shard,
            in_inventory,
            found: false,
            replicas: 0,
            ready_replicas: 0,
            counts: Counts::default(),
            pods: Vec::new(),
            leader: None,
            error: None,
            problems: Vec::new(),
            status: Status::Ok,
            status_reason: String::new(),
            flags: Vec::new(),
            rate: None,
        }
    }
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
    /// When it was read, in milliseconds since the epoch.
    pub read_at: f64,
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
