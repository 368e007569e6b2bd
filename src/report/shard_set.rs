//! The shard set a read is about, as a summary (`listShardSets`), its
//! orphaned objects and how evenly its shards share the work.

use std::collections::BTreeMap;

use serde::Serialize;

/// Objects whose `sharding.fluxcd.io/key` names no shard of the set: nobody reconciles them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Balance {
    /// Of the objects assigned to the shards.
    pub objects: Option<f64>,
    /// Of the shards' reconciliations.
    pub reconciliations: Option<f64>,
}

/// The `Ready` condition of the FluxShardSet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ReadyCondition {
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// `ReconciliationSucceeded`, `ReconciliationFailed`, …
    pub reason: String,
    /// For a person: `3 shard(s) created`, or the error.
    pub message: String,
}

impl From<&crate::kube::Condition> for ReadyCondition {
    fn from(c: &crate::kube::Condition) -> ReadyCondition {
        ReadyCondition {
            status: c.status.clone(),
            reason: c.reason.clone(),
            message: c.message.clone(),
        }
    }
}

/// The shard set a [`ShardMetrics`] is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
    /// `metadata.generation` (a number in JSON, never a `bigint`).
    #[cfg_attr(test, ts(type = "number | null"))]
    pub generation: Option<u64>,
    /// `status.observedGeneration`: behind `generation` until the controller has acted on the latest spec.
    #[cfg_attr(test, ts(type = "number | null"))]
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

/// A FluxShardSet as `listShardSets` returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
    /// The Deployments of its rows, in row order: the source, the shards'
    /// (`<source>-<shard>`), then those of its inventory not in `spec.shards`.
    pub deployments: Vec<String>,
    /// The `Ready` condition's status.
    pub ready: Option<bool>,
    /// The `Ready` condition's message.
    pub message: Option<String>,
}
