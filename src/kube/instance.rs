//! The Flux Operator's `FluxInstance` (`fluxcd.controlplane.io/v1`): which
//! controllers it installs and how it shards them (`spec.sharding`).

use super::meta::{Condition, ObjectMeta};
use super::shardset::SHARD_KEY;
use crate::json::{FromJson, Node};

/// The name the Flux Operator gives its one instance per cluster.
pub const FLUX_INSTANCE_NAME: &str = "flux";

/// The label on every Deployment the Flux Operator renders.
pub const MANAGED_BY_OPERATOR: (&str, &str) = ("app.kubernetes.io/managed-by", "flux-operator");

/// The components a FluxInstance installs when `spec.components` is empty.
pub const DEFAULT_COMPONENTS: [&str; 4] = [
    "source-controller",
    "kustomize-controller",
    "helm-controller",
    "notification-controller",
];

/// The components the Flux Operator shards (when `spec.components` lists them):
/// notification-controller never is.
pub const SHARDED_COMPONENTS: [&str; 6] = [
    "source-controller",
    "kustomize-controller",
    "helm-controller",
    "image-reflector-controller",
    "image-automation-controller",
    "source-watcher",
];

/// A FluxInstance, with the fields read here.
#[derive(Debug, Clone, Default)]
pub struct FluxInstance {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// `spec.components`: the controllers installed (empty: the default four).
    pub components: Vec<String>,
    /// `spec.sharding`, when the instance shards.
    pub sharding: Option<Sharding>,
    /// `status.conditions`.
    pub conditions: Vec<Condition>,
}

/// `spec.sharding`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sharding {
    /// The label objects are sharded by (`sharding.fluxcd.io/key` by default, but may be another).
    pub key: String,
    /// The shard names, in order.
    pub shards: Vec<String>,
}

impl FluxInstance {
    /// The controllers it shards: the components it installs that the operator shards, in its order.
    ///
    /// ```
    /// use flux_shard_metrics::kube::FluxInstance;
    /// let i: FluxInstance = flux_shard_metrics::json::parse_object(r#"{"spec": {"sharding": {"shards": ["a"]}}}"#).unwrap();
    /// assert_eq!(i.sharded_components(), ["source-controller", "kustomize-controller", "helm-controller"]);
    /// assert_eq!(i.sharding.unwrap().key, "sharding.fluxcd.io/key");
    /// ```
    pub fn sharded_components(&self) -> Vec<String> {
        if self.sharding.is_none() {
            return Vec::new();
        }
        let installed: Vec<&str> = if self.components.is_empty() {
            DEFAULT_COMPONENTS.to_vec()
        } else {
            self.components.iter().map(String::as_str).collect()
        };
        installed
            .into_iter()
            .filter(|c| SHARDED_COMPONENTS.contains(c))
            .map(str::to_string)
            .collect()
    }

    /// The `Ready` condition, if any.
    pub fn ready_condition(&self) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.condition_type == "Ready")
    }

    /// Whether the operator is still at work on the latest spec: `Reconciling` is `True`, or
    /// `Ready` speaks of an older generation (or there is no `Ready` yet).
    pub fn is_behind(&self) -> bool {
        let reconciling = self
            .conditions
            .iter()
            .any(|c| c.condition_type == "Reconciling" && c.status == "True");
        let stale = match (self.metadata.generation, self.ready_condition()) {
            (Some(g), Some(c)) => c.observed_generation.is_some_and(|o| o < g),
            (_, None) => true,
            _ => false,
        };
        reconciling || stale
    }

    /// Whether reconciliation is turned off (`fluxcd.controlplane.io/reconcile: disabled`).
    pub fn is_suspended(&self) -> bool {
        self.metadata
            .annotations
            .iter()
            .any(|(k, v)| k == "fluxcd.controlplane.io/reconcile" && v == "disabled")
    }
}

impl FromJson for FluxInstance {
    fn from_json(v: Node<'_>) -> Self {
        let spec = v.child("spec");
        let sharding = spec.has("sharding").then(|| {
            let s = spec.child("sharding");
            let key = s.string("key");
            Sharding {
                key: if key.is_empty() {
                    SHARD_KEY.to_string()
                } else {
                    key
                },
                shards: s.strings("shards"),
            }
        });
        FluxInstance {
            metadata: v.object("metadata"),
            components: spec.strings("components"),
            sharding,
            conditions: v.child("status").list("conditions"),
        }
    }
}
