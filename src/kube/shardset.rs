//! `FluxShardSet` (`templates.weave.works/v1alpha1`) and its inventory ids.

use std::fmt;

use super::meta::{Condition, ObjectMeta};
use crate::json::{FromJson, Node};

/// The label flux-shard-controller's shards select their objects by.
pub const SHARD_KEY: &str = "sharding.fluxcd.io/key";

/// The Deployment flux-shard-controller makes for `shard` of the source Deployment `source`.
///
/// ```
/// use flux_shard_metrics::kube::shard_deployment;
/// assert_eq!(shard_deployment("source-controller", "shard1"), "source-controller-shard1");
/// ```
pub fn shard_deployment(source: &str, shard: &str) -> String {
    format!("{source}-{shard}")
}

/// A FluxShardSet: a source Deployment cloned once per shard.
#[derive(Debug, Clone, Default)]
pub struct FluxShardSet {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// What to clone and how many times.
    pub spec: ShardSetSpec,
    /// The Deployments made, and conditions.
    pub status: ShardSetStatus,
}

/// `FluxShardSet.spec`.
#[derive(Debug, Clone, Default)]
pub struct ShardSetSpec {
    /// The Deployment cloned for each shard.
    pub source_deployment_ref: SourceDeploymentRef,
    /// The shards, in order.
    pub shards: Vec<Shard>,
    /// `spec.suspend`: the controller does nothing while true.
    pub suspend: bool,
}

/// `spec.sourceDeploymentRef`.
#[derive(Debug, Clone, Default)]
pub struct SourceDeploymentRef {
    /// Name of the source Deployment (same namespace).
    pub name: String,
}

/// `spec.shards[]`.
#[derive(Debug, Clone, Default)]
pub struct Shard {
    /// The shard's name; its Deployment is [`shard_deployment`].
    pub name: String,
}

/// `FluxShardSet.status`.
#[derive(Debug, Clone, Default)]
pub struct ShardSetStatus {
    /// What the controller made.
    pub inventory: Option<Inventory>,
    /// `Ready`, …
    pub conditions: Vec<Condition>,
    /// The `metadata.generation` the controller last acted on.
    pub observed_generation: Option<u64>,
}

/// `status.inventory`.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// One entry per object made.
    pub entries: Vec<InventoryEntry>,
}

/// `status.inventory.entries[]`: `id` is `<namespace>_<name>_<group>_<kind>`, `v` the version.
#[derive(Debug, Clone, Default)]
pub struct InventoryEntry {
    /// The object id.
    pub id: String,
    /// The API version (`v1`).
    pub v: String,
}

/// A parsed inventory id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryId {
    /// Namespace.
    pub namespace: String,
    /// Object name.
    pub name: String,
    /// API group (`apps`; empty for the core group).
    pub group: String,
    /// Kind (`Deployment`).
    pub kind: String,
}

impl InventoryId {
    /// Splits `<namespace>_<name>_<group>_<kind>`; Kubernetes names hold no `_`,
    /// so exactly four parts with a non-empty namespace, name and kind are required.
    ///
    /// ```
    /// use flux_shard_metrics::kube::InventoryId;
    /// let id = InventoryId::parse("flux-system_source-controller-shard1_apps_Deployment").unwrap();
    /// assert_eq!((id.name.as_str(), id.group.as_str(), id.kind.as_str()), ("source-controller-shard1", "apps", "Deployment"));
    /// assert!(InventoryId::parse("flux-system_x_Deployment").is_err());
    /// ```
    pub fn parse(id: &str) -> Result<InventoryId, String> {
        let parts: Vec<&str> = id.split('_').collect();
        match parts.as_slice() {
            [ns, name, group, kind] if !ns.is_empty() && !name.is_empty() && !kind.is_empty() => {
                Ok(InventoryId {
                    namespace: ns.to_string(),
                    name: name.to_string(),
                    group: group.to_string(),
                    kind: kind.to_string(),
                })
            }
            _ => Err(format!(
                "malformed inventory id {id:?}: expected <namespace>_<name>_<group>_<kind>"
            )),
        }
    }

    /// Whether this is an `apps` Deployment.
    pub fn is_deployment(&self) -> bool {
        self.group == "apps" && self.kind == "Deployment"
    }
}

impl fmt::Display for InventoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}_{}_{}_{}",
            self.namespace, self.name, self.group, self.kind
        )
    }
}

impl FluxShardSet {
    /// The `Ready` condition: its status (`None` without the condition) and its
    /// message (`None` when absent or empty).
    pub fn ready(&self) -> (Option<bool>, Option<String>) {
        match self
            .status
            .conditions
            .iter()
            .find(|c| c.condition_type == "Ready")
        {
            Some(c) => (
                Some(c.status == "True"),
                Some(c.message.clone()).filter(|m| !m.is_empty()),
            ),
            None => (None, None),
        }
    }

    /// The `Ready` condition, if any.
    pub fn ready_condition(&self) -> Option<&Condition> {
        self.status
            .conditions
            .iter()
            .find(|c| c.condition_type == "Ready")
    }

    /// The names of the Deployments in its inventory that are in its own
    /// namespace (the only ones its rows can be), and the malformed ids as messages.
    pub fn inventory_deployments(&self) -> (Vec<String>, Vec<String>) {
        let (ids, problems) = self.inventory();
        let names = ids
            .into_iter()
            .filter(|id| id.is_deployment() && id.namespace == self.metadata.namespace)
            .map(|id| id.name)
            .collect();
        (names, problems)
    }

    /// The inventory entries, parsed; malformed ids are returned as messages.
    pub fn inventory(&self) -> (Vec<InventoryId>, Vec<String>) {
        let mut ids = Vec::new();
        let mut problems = Vec::new();
        for entry in self.status.inventory.iter().flat_map(|i| &i.entries) {
            match InventoryId::parse(&entry.id) {
                Ok(id) => ids.push(id),
                Err(e) => problems.push(e),
            }
        }
        (ids, problems)
    }
}

impl FromJson for FluxShardSet {
    fn from_json(v: Node<'_>) -> Self {
        FluxShardSet {
            metadata: v.object("metadata"),
            spec: v.object("spec"),
            status: v.object("status"),
        }
    }
}

impl FromJson for ShardSetSpec {
    fn from_json(v: Node<'_>) -> Self {
        ShardSetSpec {
            source_deployment_ref: v.object("sourceDeploymentRef"),
            shards: v.list("shards"),
            suspend: v.flag("suspend"),
        }
    }
}

impl FromJson for SourceDeploymentRef {
    fn from_json(v: Node<'_>) -> Self {
        SourceDeploymentRef {
            name: v.string("name"),
        }
    }
}

impl FromJson for Shard {
    fn from_json(v: Node<'_>) -> Self {
        Shard {
            name: v.string("name"),
        }
    }
}

impl FromJson for ShardSetStatus {
    fn from_json(v: Node<'_>) -> Self {
        ShardSetStatus {
            inventory: v.optional("inventory"),
            conditions: v.list("conditions"),
            observed_generation: v.count("observedGeneration"),
        }
    }
}

impl FromJson for Inventory {
    fn from_json(v: Node<'_>) -> Self {
        Inventory {
            entries: v.list("entries"),
        }
    }
}

impl FromJson for InventoryEntry {
    fn from_json(v: Node<'_>) -> Self {
        InventoryEntry {
            id: v.string("id"),
            v: v.string("v"),
        }
    }
}
