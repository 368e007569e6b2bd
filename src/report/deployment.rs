//! One row: a Deployment of the shard set (the source or a shard), what its
//! pods did, what it was given, and its verdict.

use std::collections::BTreeMap;

use serde::Serialize;

use super::pod::PodMetrics;
use super::status::{Flag, Status};
use super::trend::Trend;
use crate::problem::Problem;
use crate::scrape::Counts;

/// Whether a Deployment is the shard set's source or one of its shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// `spec.sourceDeploymentRef`.
    Source,
    /// One of `spec.shards`.
    Shard,
}

/// One Deployment: the source or a shard.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
    /// The verdict: the most severe status that applies (see [`crate::verdict`]).
    pub status: Status,
    /// Why, for a person.
    pub status_reason: String,
    /// Every status that applies, most severe first (`[]` when ok), with the findings that make it
    /// misconfigured (`overlapping`, `artifactServer`) right after `misconfigured`.
    pub flags: Vec<Flag>,
    /// Rates since the previous read; `null` on the first read.
    pub rate: Option<Rate>,
    /// Reconciliations and errors per minute over time: from a range query with Prometheus, from
    /// the reads of a view that stays open (`openShardMetrics`, `get --watch`) otherwise; `null` on
    /// a one-shot read of the pods.
    pub trend: Option<Trend>,
    /// The objects its `--watch-label-selector` selects (for a FluxShardSet's rows as configured: the
    /// source those without `sharding.fluxcd.io/key`, a shard those with its name); `null` when they
    /// could not be read.
    pub objects: Option<ObjectCounts>,
    /// The `--watch-label-selector` of its `manager` container; `null` without one.
    pub watch_selector: Option<String>,
    /// The effective (last) `--storage-adv-addr` of its `manager` container (source-controller's
    /// artifact server); `null` without one.
    pub storage_adv_addr: Option<String>,
    /// What the group's analysis found wrong with it (overlapping selectors, its artifact server),
    /// each with its reason: the `misconfigured` rule reports them.
    #[serde(skip)]
    #[cfg_attr(test, ts(skip))]
    pub findings: Vec<(Flag, String)>,
    /// Whether its pod template has a container named `manager` (whose flags are judged).
    #[serde(skip)]
    #[cfg_attr(test, ts(skip))]
    pub has_manager: bool,
}

/// Objects assigned to a row, per kind too.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct KindCounts {
    /// Assigned.
    pub assigned: u32,
    /// Without `Ready=True`.
    pub not_ready: u32,
    /// Suspended.
    pub suspended: u32,
}

/// Reconciliations and errors per minute between two reads of the same shard set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
            trend: None,
            objects: None,
            watch_selector: None,
            storage_adv_addr: None,
            findings: Vec::new(),
            has_manager: false,
        }
    }
}
