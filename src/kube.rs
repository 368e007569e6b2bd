//! The few Kubernetes API objects this crate reads, as the API server returns
//! them in JSON, the resources they come from (paths and RBAC permissions),
//! and the name rules that keep names safe as URL segments. Unknown fields
//! are ignored.

mod json;
mod names;
mod objects;
mod resource;
mod shardset;

pub(crate) use json::str_of;
pub use json::{parse_object, FromJson};
pub use names::{validate_name, validate_namespace, NameError};
pub use objects::{
    Condition, Container, ContainerPort, Deployment, List, ObjectMeta, OwnerReference, Pod,
    ReplicaSet, Status,
};
pub use resource::{Permission, Resource};
pub use shardset::{FluxShardSet, InventoryEntry, InventoryId, ShardSetSpec};
