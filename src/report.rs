//! The report model: what a read of one shard set holds — the
//! [`ShardMetrics`] that the JS API returns, the CLI prints and the page
//! shows, its rows ([`DeploymentMetrics`]), their pods ([`PodMetrics`]), the
//! verdict on each row ([`Status`]) — and what the next read needs of it
//! ([`PreviousRead`]). Types only, and the small facts that belong to them;
//! the rules that fill them are in the modules above (`plan`, `rows`,
//! `assignment`, `rates`, `verdict`, `check`).

mod deployment;
mod group;
mod pod;
mod previous;
mod shard_set;
mod source;
mod status;
mod trend;

use serde::Serialize;

pub use deployment::{DeploymentMetrics, KindCounts, ObjectCounts, Rate, Role};
pub use group::{GroupKind, GroupRef, ObjectRef, Overlap, ShardGroupSummary, SplitDependency};
pub use pod::{PodMetrics, DELETED, STARTUP_GRACE_SECONDS};
pub use previous::{PreviousRead, PreviousRow};
pub use shard_set::{Balance, Orphaned, ReadyCondition, ShardSetRef, ShardSetSummary};
pub use source::{Source, SourceKind};
pub use status::{Flag, Status};
pub use trend::{Trend, TrendPoint, TrendSource, TREND_POINTS};

use crate::problem::Problem;

/// Per-Deployment reconciliation counts of one shard group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ShardMetrics {
    /// The group: what made it (FluxShardSet, FluxInstance, Manual), its main controller, key and shards.
    pub group: GroupRef,
    /// For a FluxShardSet's group, the shard set; `null` for the other kinds.
    pub shard_set: Option<ShardSetRef>,
    /// The main controller (a FluxShardSet's source) first, then the shards in their maker's order.
    pub deployments: Vec<DeploymentMetrics>,
    /// Problems that do not belong to one row (malformed inventory ids, …), for a person.
    pub warnings: Vec<String>,
    /// Problems reading what the rows share (objects of a kind, API discovery), as data.
    pub problems: Vec<Problem>,
    /// Objects no Deployment of the group selects (by the value of its key): reconciled by nobody.
    pub orphaned: Vec<Orphaned>,
    /// Objects two or more Deployments of the group select: reconciled twice.
    pub overlaps: Vec<Overlap>,
    /// Objects whose dependency another Deployment reconciles (or nobody).
    pub split_dependencies: Vec<SplitDependency>,
    /// How evenly the shards share objects and reconciliations.
    pub balance: Balance,
    /// Where the numbers come from, and over which window.
    pub source: Source,
    /// How many API requests were made.
    pub api_calls: u32,
    /// When it was read, in milliseconds since the epoch.
    pub read_at: f64,
    /// Whether the group's maker has not yet acted on the latest spec (a FluxShardSet's
    /// `status.observedGeneration` behind `metadata.generation`; [`GroupRef::behind`]).
    pub shard_set_behind: bool,
    /// What `flux-shard-metrics get --check` fails on, one sentence each (`[]` when nothing):
    /// rows whose status fails the check, and objects nobody reconciles ([`crate::check`]).
    pub check_failures: Vec<String>,
}
