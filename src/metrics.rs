//! `ShardMetrics`: what the JS API, the CLI and the page show for one shard set.

use serde::Serialize;

use std::collections::BTreeMap;

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
    /// `Running`, `Pending`, `Succeeded`, `Failed`, `Unknown`; `Deleted` for a pod
    /// that no longer exists, counted from Prometheus' series in the window.
    pub phase: String,
    /// Why it is in that phase (`Evicted`, …), `null` when not given.
    pub reason: Option<String>,
    /// Whether it has finished (`Succeeded`, or `Failed` such as an evicted
    /// pod): listed, never scraped, not counted among the replicas, never a problem.
    pub finished: bool,
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
    /// When its process started (`process_start_time_seconds`), or else when
    /// the pod started (`status.startTime`); seconds since the epoch.
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
            reason: None,
            finished: false,
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
    /// With Prometheus as the source: the window of its `rate()` (`5m`); `null` between two reads.
    pub window: Option<String>,
}

/// Where a read's numbers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Each running pod's `/metrics` through the API server: counts since each pod started.
    Scrape,
    /// Prometheus' HTTP API: counts over a window, across restarts and rollouts.
    Prometheus,
}

/// Where a read's numbers come from, and over which window.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// Scrapes or Prometheus.
    pub kind: SourceKind,
    /// The window of the counts (`1h`); `null` for scrapes (since each pod started).
    pub window: Option<String>,
    /// The same in seconds.
    pub window_seconds: Option<f64>,
    /// Where Prometheus was asked (its query URL); `null` for scrapes.
    pub url: Option<String>,
    /// The PromQL sent; empty for scrapes.
    pub queries: Vec<String>,
    /// Pods counted from Prometheus that no longer exist (restarted, rolled or evicted within the window).
    pub gone_pods: u32,
}

impl Source {
    /// Counts read from each pod's `/metrics`.
    pub fn scrape() -> Source {
        Source {
            kind: SourceKind::Scrape,
            window: None,
            window_seconds: None,
            url: None,
            queries: Vec::new(),
            gone_pods: 0,
        }
    }
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
    /// The objects assigned to it by `sharding.fluxcd.io/key` (none for the
    /// source, the shard's name for a shard); `null` when they could not be read.
    pub objects: Option<ObjectCounts>,
    /// The `--watch-label-selector` of its `manager` container; `null` without one.
    pub watch_selector: Option<String>,
    /// Whether its pod template has a container named `manager` (whose flags are judged).
    #[serde(skip)]
    #[cfg_attr(test, ts(skip))]
    pub has_manager: bool,
}

/// Objects assigned to a row, per kind too.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ObjectCounts {
    /// Objects whose `sharding.fluxcd.io/key` selects this row.
    pub assigned: u32,
    /// Of those, without `Ready=True`.
    pub not_ready: u32,
    /// Of those, with `spec.suspend: true`.
    pub suspended: u32,
    /// The same per kind (`GitRepository`, …), every kind read included.
    pub by_kind: BTreeMap<String, KindCounts>,
    /// Kinds that could not be read (the shard set's `problems` say why): the counts leave them out.
    pub unread: Vec<String>,
}

/// Objects of one kind assigned to a row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct KindCounts {
    /// Assigned.
    pub assigned: u32,
    /// Without `Ready=True`.
    pub not_ready: u32,
    /// Suspended.
    pub suspended: u32,
}

/// Objects whose `sharding.fluxcd.io/key` names no shard of the set: nobody reconciles them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Orphaned {
    /// The key's value.
    pub key: String,
    /// How many objects carry it.
    pub count: u32,
    /// Per kind.
    pub by_kind: BTreeMap<String, u32>,
    /// A few of them, `namespace/name`, sorted.
    pub examples: Vec<String>,
}

/// How evenly the shards share the work: the largest shard's part over the
/// mean (1 is even, 2 means one shard does twice its share); `null` when
/// there is nothing to share.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Balance {
    /// Of the objects assigned to the shards.
    pub objects: Option<f64>,
    /// Of the shards' reconciliations.
    pub reconciliations: Option<f64>,
}

/// The `Ready` condition of the FluxShardSet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReadyCondition {
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// `ReconciliationSucceeded`, `ReconciliationFailed`, …
    pub reason: String,
    /// For a person: `3 shard(s) created`, or the error.
    pub message: String,
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
            objects: None,
            watch_selector: None,
            has_manager: false,
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
    /// The `Ready` condition, `null` without one.
    pub ready_condition: Option<ReadyCondition>,
    /// `spec.suspend`.
    pub suspended: bool,
    /// `metadata.generation`.
    pub generation: Option<u64>,
    /// `status.observedGeneration`: behind `generation` until the controller has acted on the latest spec.
    pub observed_generation: Option<u64>,
}

impl ShardSetRef {
    /// Whether the shard set controller has not yet acted on the latest spec.
    pub fn is_behind(&self) -> bool {
        match (self.generation, self.observed_generation) {
            (Some(generation), Some(observed)) => observed < generation,
            (Some(_), None) => true,
            _ => false,
        }
    }
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
    /// Problems that do not belong to one row (malformed inventory ids, …), for a person.
    pub warnings: Vec<String>,
    /// Problems reading what the rows share (objects of a kind, API discovery), as data.
    pub problems: Vec<Problem>,
    /// Objects whose `sharding.fluxcd.io/key` names no shard: reconciled by nobody.
    pub orphaned: Vec<Orphaned>,
    /// How evenly the shards share objects and reconciliations.
    pub balance: Balance,
    /// Where the numbers come from, and over which window.
    pub source: Source,
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
