//! The shard group a read is about — one controller's main Deployment and its
//! shard Deployments, whatever made them — as a reference on every read and
//! as a summary (`listShardGroups`); and what the whole group is found doing
//! wrong: objects two Deployments reconcile, dependencies split across shards.

use std::collections::BTreeMap;

use serde::Serialize;

use super::shard_set::ReadyCondition;

/// What made a shard group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum GroupKind {
    /// weaveworks/flux-shard-controller's `FluxShardSet` (`templates.weave.works/v1alpha1`).
    FluxShardSet,
    /// The Flux Operator's `FluxInstance` `spec.sharding` (`fluxcd.controlplane.io/v1`).
    FluxInstance,
    /// Neither: Deployments made by hand (kustomize overlays, as Flux's docs teach).
    Manual,
}

impl GroupKind {
    /// How its main Deployment is called in messages: a shard set's `source`, else the `main controller`.
    pub fn main_word(self) -> &'static str {
        match self {
            GroupKind::FluxShardSet => "source",
            _ => "main controller",
        }
    }

    /// The name as JSON writes it.
    pub fn name(self) -> &'static str {
        match self {
            GroupKind::FluxShardSet => "FluxShardSet",
            GroupKind::FluxInstance => "FluxInstance",
            GroupKind::Manual => "Manual",
        }
    }
}

/// The shard group a `ShardMetrics` is about (`group` on every read).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct GroupRef {
    /// What made it.
    pub kind: GroupKind,
    /// The FluxShardSet's or FluxInstance's name; for `Manual`, the main Deployment's.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// The main controller's Deployment (a FluxShardSet's source).
    pub controller: String,
    /// The label objects are sharded by (`sharding.fluxcd.io/key`, or another a FluxInstance names).
    pub key: String,
    /// The shards meant to be (`spec.shards`, `spec.sharding.shards`; for `Manual`, those found), in order.
    pub shards: Vec<String>,
    /// Its maker's `Ready` condition's status; `null` without one (and always for `Manual`).
    pub ready: Option<bool>,
    /// That condition's message.
    pub message: Option<String>,
    /// That condition.
    pub ready_condition: Option<ReadyCondition>,
    /// Whether its maker is told to do nothing (a FluxShardSet's `spec.suspend`, a FluxInstance's
    /// `fluxcd.controlplane.io/reconcile: disabled`).
    pub suspended: bool,
    /// Whether its maker has not acted on the latest spec yet (a FluxShardSet's
    /// `observedGeneration` behind `generation`; a FluxInstance still reconciling).
    pub behind: bool,
    /// Its maker's `metadata.generation`.
    #[cfg_attr(test, ts(type = "number | null"))]
    pub generation: Option<u64>,
    /// The generation its maker last acted on.
    #[cfg_attr(test, ts(type = "number | null"))]
    pub observed_generation: Option<u64>,
}

impl GroupRef {
    /// A group of Deployments made by hand, named after its main Deployment.
    pub fn manual(namespace: &str, controller: &str, key: &str, shards: Vec<String>) -> GroupRef {
        GroupRef {
            kind: GroupKind::Manual,
            name: controller.to_string(),
            namespace: namespace.to_string(),
            controller: controller.to_string(),
            key: key.to_string(),
            shards,
            ready: None,
            message: None,
            ready_condition: None,
            suspended: false,
            behind: false,
            generation: None,
            observed_generation: None,
        }
    }

    /// "FluxShardSet flux-system/x", "FluxInstance flux-system/flux", for messages.
    pub fn described(&self) -> String {
        match self.kind {
            GroupKind::Manual => format!("the shards of {}/{}", self.namespace, self.controller),
            kind => format!("{} {}/{}", kind.name(), self.namespace, self.name),
        }
    }
}

/// A shard group as `listShardGroups` (and `list`) returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ShardGroupSummary {
    /// Namespace.
    pub namespace: String,
    /// The FluxShardSet's or FluxInstance's name; for `Manual`, the main Deployment's.
    pub name: String,
    /// What made it.
    pub kind: GroupKind,
    /// The main controller's Deployment.
    pub controller: String,
    /// The shards meant to be, in order.
    pub shards: Vec<String>,
    /// The sharding label.
    pub key: String,
    /// Its maker's `Ready` condition's status; `null` without one.
    pub ready: Option<bool>,
    /// That condition's message.
    pub message: Option<String>,
    /// Every Deployment of the group, the main one first (the rows a read shows).
    pub deployments: Vec<String>,
    /// The main controller's Deployment again, by the name a FluxShardSet's summary gives it.
    pub source_deployment: String,
    /// Shard Deployments its maker made (a FluxShardSet's inventory), or that exist.
    pub inventory: u32,
}

/// Objects that two or more Deployments of the group select, so that each reconciles them
/// (flux2#4500: two helm-controllers reconciling every HelmRelease).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Overlap {
    /// The Deployments, in the group's order.
    pub deployments: Vec<String>,
    /// How many objects they all select.
    pub count: u32,
    /// Per kind.
    pub by_kind: BTreeMap<String, u32>,
    /// A few of them, `namespace/name`, sorted.
    pub examples: Vec<String>,
}

/// An object of another controller or of this one, named by kind, namespace and name, with its
/// sharding key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    /// Kind (`HelmRepository`).
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Its sharding key's value; `null` without one.
    pub key: Option<String>,
}

/// An object whose dependency is reconciled by another shard than the one that would need it
/// (or by nobody): a HelmChart whose HelmRepository is on another shard (NotFound,
/// source-controller#2114), a HelmRelease whose HelmChart lacks its key (helm-controller#658),
/// an ImagePolicy whose ImageRepository is elsewhere (image-reflector-controller#365).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SplitDependency {
    /// The object's kind.
    pub kind: String,
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// Its sharding key's value; `null` without one.
    pub key: Option<String>,
    /// What it depends on.
    pub dependency: ObjectRef,
    /// Why that is a problem, naming the Deployments, for a person.
    pub reason: String,
}
