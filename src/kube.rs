//! The few Kubernetes API objects this crate reads, as the API server returns
//! them in JSON (each field declared once, by its reader: see [`crate::json`]),
//! the resources they come from (paths and RBAC permissions), and the name
//! rules that keep names safe as URL segments. Unknown fields are ignored.

mod discovery;
mod flux;
mod instance;
mod meta;
mod names;
mod resource;
mod selector;
mod shardset;
mod time;
mod workloads;

pub use discovery::{
    groups_to_read, read_apis, read_resource_list, resolve, ApisDocument, Resolution, Served,
    AGGREGATED_DISCOVERY,
};
pub use flux::{
    flux_controllers_of, flux_kind, reports_ready, FluxKind, FluxObject, Refs, FLUX_KINDS,
};
pub use instance::{
    FluxInstance, Sharding, DEFAULT_COMPONENTS, FLUX_INSTANCE_NAME, MANAGED_BY_OPERATOR,
    SHARDED_COMPONENTS,
};
pub use meta::{Condition, List, ObjectMeta, OwnerReference, Status};
pub use names::{validate_name, validate_namespace, NameError};
pub use resource::{Permission, Resource};
pub use selector::{Requirement, Selection, Selector, SelectorError};
pub use shardset::{
    shard_deployment, FluxShardSet, InventoryEntry, InventoryId, ShardSetSpec, SHARD_KEY,
};
pub use time::parse_time;
pub use workloads::{Container, ContainerPort, Deployment, Pod, ReplicaSet, RUNNING};
