//! The few Kubernetes API objects this crate reads, as the API server returns
//! them in JSON, the resources they come from (paths and RBAC permissions),
//! and the name rules that keep names safe as URL segments. Unknown fields
//! are ignored.

mod discovery;
mod flux;
mod json;
mod names;
mod objects;
mod resource;
mod selector;
pub mod shape;
mod shardset;
mod time;

pub use discovery::{
    groups_to_read, read_apis, read_resource_list, resolve, ApisDocument, Resolution, Served,
    AGGREGATED_DISCOVERY,
};
pub use flux::{flux_controllers_of, flux_kind, FluxKind, FluxObject, FLUX_KINDS};
pub(crate) use json::str_of;
pub use json::{parse_object, FromJson};
pub use names::{validate_name, validate_namespace, NameError};
pub use objects::{
    Condition, Container, ContainerPort, Deployment, List, ObjectMeta, OwnerReference, Pod,
    ReplicaSet, Status, SHARD_KEY,
};
pub use resource::{Permission, Resource};
pub use selector::{Requirement, Selector, SelectorError};
pub use shape::shape_issues;
pub use shardset::{FluxShardSet, InventoryEntry, InventoryId, ShardSetSpec};
pub use time::parse_time;
