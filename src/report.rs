//! The report model: what a read of one shard set holds — the
//! [`ShardMetrics`] that the JS API returns, the CLI prints and the page
//! shows, its rows ([`DeploymentMetrics`]), their pods ([`PodMetrics`]), the
//! verdict on each row ([`Status`]) — and what the next read needs of it
//! ([`PreviousRead`]). Types only, and the small facts that belong to them;
//! the rules that fill them are in the modules above (`plan`, `rows`,
//! `assignment`, `rates`, `verdict`, `check`).

mod deployment;
mod pod;
mod previous;
mod shard_set;
mod source;
mod status;

use serde::Serialize;

pub use deployment::{DeploymentMetrics, KindCounts, ObjectCounts, Rate, Role};
pub use pod::{PodMetrics, DELETED, STARTUP_GRACE_SECONDS};
pub use previous::{PreviousRead, PreviousRow};
pub use shard_set::{Balance, Orphaned, ReadyCondition, ShardSetRef, ShardSetSummary};
pub use source::{Source, SourceKind};
pub use status::Status;

use crate::problem::Problem;

/// Per-Deployment reconciliation counts of one FluxShardSet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
    /// Whether the shard set controller has not yet acted on the latest spec
    /// (`status.observedGeneration` behind `metadata.generation`): [`ShardSetRef::is_behind`].
    pub shard_set_behind: bool,
    /// What `flux-shard-metrics get --check` fails on, one sentence each (`[]` when nothing):
    /// rows whose status fails the check, and objects nobody reconciles ([`crate::check`]).
    pub check_failures: Vec<String>,
}
