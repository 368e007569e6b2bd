//! The first step of a read: which shard group it is about, and what its
//! namespace holds of it — a FluxShardSet by name, or the group of a Deployment
//! found from the namespace's Deployments, FluxShardSets and FluxInstance.

use super::lister::Lister;
use super::namespace::ShapeIssues;
use crate::groups::{find_groups, group_of, shard_set_group, ShardGroup};
use crate::json::{read_checked, Json};
use crate::kube::{Deployment, FluxInstance, FluxShardSet, List, Resource, FLUX_INSTANCE_NAME};
use crate::options::Target;
use crate::report::{ReadyCondition, ShardSetRef};
use crate::transport::{get_json, FetchError, Transport};

/// The group a read is about, and what was read to find it.
pub(crate) struct Found {
    /// The group.
    pub group: ShardGroup,
    /// For a FluxShardSet's group: the set.
    pub shard_set: Option<ShardSetRef>,
    /// Every group of the namespace (the dependency rules look at the others), when known.
    pub neighbours: Vec<ShardGroup>,
    /// The namespace's Deployments, and their fields of another type.
    pub deployments: (Vec<Deployment>, Vec<ShapeIssues>),
    /// Problems of the group's maker, for a person.
    pub warnings: Vec<String>,
}

/// A 404 of a namespaced list or object whose CRD may not be installed, or a 403: none of them.
fn absent_or_forbidden(e: &FetchError) -> bool {
    matches!(
        e,
        FetchError::Http {
            status: 403 | 404,
            ..
        } | FetchError::NotFound { .. }
    )
}

/// The FluxShardSets of a namespace, or of all (a 404 or 403 comes back as the error; callers judge it).
pub(crate) async fn shard_sets_of<T: Transport>(
    transport: &T,
    namespace: Option<&str>,
) -> Result<Vec<FluxShardSet>, FetchError> {
    let sets = &Resource::FLUX_SHARD_SETS;
    let list: List<FluxShardSet> = get_json(
        transport,
        &sets.list_path(namespace),
        &sets.permission("list", namespace),
    )
    .await?;
    Ok(list.items)
}

/// The FluxInstances (`flux`, one per cluster), of a namespace or of all.
pub(crate) async fn instances_of<T: Transport>(
    transport: &T,
    namespace: Option<&str>,
) -> Result<Vec<FluxInstance>, FetchError> {
    let r = &Resource::FLUX_INSTANCES;
    let list: List<FluxInstance> = get_json(
        transport,
        &r.list_path(namespace),
        &r.permission("list", namespace),
    )
    .await?;
    Ok(list.items)
}

/// GETs the FluxShardSet, and what its fields of another JSON type were read as.
pub(crate) async fn read_shard_set<T: Transport>(
    transport: &T,
    namespace: &str,
    name: &str,
) -> Result<(FluxShardSet, Vec<String>), FetchError> {
    let sets = &Resource::FLUX_SHARD_SETS;
    let set_json: Json<'static> = get_json(
        transport,
        &sets.object_path(namespace, name),
        &sets.permission("get", Some(namespace)),
    )
    .await
    .map_err(|e| match e {
        FetchError::Http {
            status: 404, url, ..
        } => FetchError::NotFound {
            what: format!("FluxShardSet {namespace}/{name}"),
            url,
        },
        e => e,
    })?;
    let (set, issues) = read_checked::<FluxShardSet>(&set_json);
    let warnings = issues
        .iter()
        .map(|issue| format!("FluxShardSet {namespace}/{name}: {issue}; read as its default"))
        .collect();
    Ok((set, warnings))
}

/// The reference to a FluxShardSet every read of its group carries.
pub(crate) fn shard_set_ref(set: &FluxShardSet) -> ShardSetRef {
    let (ready, message) = set.ready();
    ShardSetRef {
        name: set.metadata.name.clone(),
        namespace: set.metadata.namespace.clone(),
        source_deployment: set.spec.source_deployment_ref.name.clone(),
        shards: set.spec.shards.iter().map(|s| s.name.clone()).collect(),
        ready,
        message,
        ready_condition: set.ready_condition().map(ReadyCondition::from),
        suspended: set.spec.suspend,
        generation: set.metadata.generation,
        observed_generation: set.status.observed_generation,
    }
}

/// Finds the group of `target` in `namespace`.
pub(crate) async fn find_group<L: Lister, T: Transport>(
    lister: &L,
    transport: &T,
    namespace: &str,
    target: &Target,
) -> Result<Found, FetchError> {
    let ns = Some(namespace);
    match target {
        Target::ShardSet(name) => {
            let (set, warnings) = read_shard_set(transport, namespace, name).await?;
            let deployments = lister.deployments(transport, namespace).await?;
            Ok(Found {
                group: shard_set_group(&set),
                shard_set: Some(shard_set_ref(&set)),
                neighbours: Vec::new(),
                deployments,
                warnings,
            })
        }
        Target::Controller(name) => {
            let instance_path = Resource::FLUX_INSTANCES.object_path(namespace, FLUX_INSTANCE_NAME);
            let instance_permission = Resource::FLUX_INSTANCES.permission("get", ns);
            let (deployments, sets, instance) = futures::join!(
                lister.deployments(transport, namespace),
                shard_sets_of(transport, ns),
                get_json::<_, FluxInstance>(transport, &instance_path, &instance_permission),
            );
            let deployments = deployments?;
            let mut warnings = Vec::new();
            let sets = match sets {
                Ok(sets) => sets,
                Err(e) if absent_or_forbidden(&e) => {
                    if matches!(e, FetchError::Http { status: 403, .. }) {
                        warnings.push(format!(
                            "FluxShardSets could not be read, so none is taken into account: {e}"
                        ));
                    }
                    Vec::new()
                }
                Err(e) => return Err(e),
            };
            let instance = match instance {
                Ok(i) => Some(i),
                Err(e) if absent_or_forbidden(&e) => {
                    if matches!(e, FetchError::Http { status: 403, .. }) {
                        warnings.push(format!("the FluxInstance could not be read, so the Flux Operator's sharding is not taken into account: {e}"));
                    }
                    None
                }
                Err(e) => return Err(e),
            };
            let neighbours = find_groups(namespace, &deployments.0, &sets, instance.as_ref());
            let Some(group) = group_of(&neighbours, name).cloned() else {
                let exists = deployments.0.iter().any(|d| d.metadata.name == *name);
                let path = Resource::DEPLOYMENTS.object_path(namespace, name);
                return Err(FetchError::NotFound {
                    what: if exists {
                        format!("a shard group of Deployment {namespace}/{name} (no Deployment shards it, or is its shard)")
                    } else {
                        format!("Deployment {namespace}/{name}")
                    },
                    url: transport.url(&path),
                });
            };
            let shard_set = sets
                .iter()
                .find(|s| {
                    s.metadata.name == group.group.name
                        && group.group.kind == crate::report::GroupKind::FluxShardSet
                })
                .map(shard_set_ref);
            Ok(Found {
                group,
                shard_set,
                neighbours,
                deployments,
                warnings,
            })
        }
    }
}
