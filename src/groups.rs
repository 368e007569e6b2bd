//! Shard groups, found from the Deployments themselves: one controller's main
//! Deployment and its shard Deployments, and what made them — a FluxShardSet
//! (its source, `spec.shards` and inventory), the Flux Operator's FluxInstance
//! (`spec.sharding`), or nobody (`Manual`: overlays made by hand). Pure: no I/O.
//!
//! A Deployment is a shard when its `manager` container's `--watch-label-selector`
//! selects values of a key (`key=shard1`, `key in (shard1)`) or it carries the
//! annotation `sharding.fluxcd.io/role: shard`; the main controller of shards
//! named `<main>-<shard>` is the Deployment `<main>`, which excludes the key
//! (`!key`, or the legacy `key notin (shard1, shard2)`). The sharding key is
//! whatever label the selectors use.

use crate::kube::{
    shard_deployment, Deployment, FluxInstance, FluxShardSet, Selector, FLUX_INSTANCE_NAME,
    MANAGED_BY_OPERATOR, SHARD_KEY,
};
use crate::report::{GroupKind, GroupRef, ReadyCondition, Role};

/// The name of the container whose flags a controller is judged by (flux-shard-controller
/// rewrites only its arguments).
pub const MANAGER: &str = "manager";
/// The flag a controller selects the objects it watches by.
pub const WATCH_FLAG: &str = "watch-label-selector";
/// The annotation the Flux Operator and Flux's sharding guide put on a shard's Deployment.
pub const ROLE_ANNOTATION: (&str, &str) = ("sharding.fluxcd.io/role", "shard");

/// One row of a group before anything is read: its Deployment and its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowName {
    /// The Deployment's name.
    pub deployment: String,
    /// The main controller (a shard set's source) or a shard.
    pub role: Role,
    /// The shard's name; `None` for the main controller.
    pub shard: Option<String>,
    /// Whether its maker says it made it (a FluxShardSet's inventory; always true otherwise).
    pub in_inventory: bool,
    /// Whether its maker's spec names it (`spec.shards`, `spec.sharding.shards`; the main always).
    pub in_spec: bool,
}

/// A shard group: what made it, its rows, and what did not fit.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardGroup {
    /// The group, as every read reports it.
    pub group: GroupRef,
    /// Its rows: the main controller first, then the shards in their maker's order.
    pub rows: Vec<RowName>,
    /// Problems outside any row (malformed inventory ids, a shard its maker does not name), for a person.
    pub warnings: Vec<String>,
}

impl ShardGroup {
    /// Whether Deployment `name` is one of its rows.
    pub fn has(&self, name: &str) -> bool {
        self.rows.iter().any(|r| r.deployment == name)
    }
}

/// The rows of a FluxShardSet, decided here and nowhere else: the source, the Deployment of each
/// of `spec.shards` ([`shard_deployment`]), then each Deployment of its inventory (in its own
/// namespace) that `spec` does not name; and the malformed inventory ids, as warnings.
///
/// ```
/// use flux_shard_metrics::groups::row_names;
/// let set: flux_shard_metrics::kube::FluxShardSet = flux_shard_metrics::json::parse_object(r#"{
///   "metadata": {"name": "s", "namespace": "flux-system"},
///   "spec": {"sourceDeploymentRef": {"name": "src"}, "shards": [{"name": "a"}]},
///   "status": {"inventory": {"entries": [{"id": "flux-system_src-a_apps_Deployment"},
///     {"id": "flux-system_src-old_apps_Deployment"}, {"id": "elsewhere_src-b_apps_Deployment"}]}}
/// }"#).unwrap();
/// let (rows, _) = row_names(&set);
/// let names: Vec<&str> = rows.iter().map(|r| r.deployment.as_str()).collect();
/// assert_eq!(names, ["src", "src-a", "src-old"]);
/// assert_eq!(rows[2].shard.as_deref(), Some("old"));
/// ```
pub fn row_names(set: &FluxShardSet) -> (Vec<RowName>, Vec<String>) {
    let source = set.spec.source_deployment_ref.name.as_str();
    let (inventory, warnings) = set.inventory_deployments();
    let mut rows = vec![main_row(source)];
    for shard in &set.spec.shards {
        let deployment = shard_deployment(source, &shard.name);
        rows.push(RowName {
            in_inventory: inventory.contains(&deployment),
            deployment,
            role: Role::Shard,
            shard: Some(shard.name.clone()),
            in_spec: true,
        });
    }
    for name in inventory {
        if name != source && !rows.iter().any(|r| r.deployment == name) {
            let shard = shard_of(source, &name).unwrap_or(&name).to_string();
            rows.push(shard_row(name, shard, false));
        }
    }
    (rows, warnings)
}

fn main_row(deployment: &str) -> RowName {
    RowName {
        deployment: deployment.to_string(),
        role: Role::Source,
        shard: None,
        in_inventory: true,
        in_spec: true,
    }
}

fn shard_row(deployment: String, shard: String, in_spec: bool) -> RowName {
    RowName {
        deployment,
        role: Role::Shard,
        shard: Some(shard),
        in_inventory: true,
        in_spec,
    }
}

/// `shard1` of `source-controller-shard1` under `source-controller`.
fn shard_of<'n>(main: &str, name: &'n str) -> Option<&'n str> {
    name.strip_prefix(main)
        .and_then(|s| s.strip_prefix('-'))
        .filter(|s| !s.is_empty())
}

/// The group of a FluxShardSet.
pub fn shard_set_group(set: &FluxShardSet) -> ShardGroup {
    let (ready, message) = set.ready();
    let (rows, warnings) = row_names(set);
    let behind = match (set.metadata.generation, set.status.observed_generation) {
        (Some(generation), Some(observed)) => observed < generation,
        (Some(_), None) => true,
        _ => false,
    };
    ShardGroup {
        group: GroupRef {
            kind: GroupKind::FluxShardSet,
            name: set.metadata.name.clone(),
            namespace: set.metadata.namespace.clone(),
            controller: set.spec.source_deployment_ref.name.clone(),
            key: SHARD_KEY.to_string(),
            shards: set.spec.shards.iter().map(|s| s.name.clone()).collect(),
            ready,
            message,
            ready_condition: set.ready_condition().map(ReadyCondition::from),
            suspended: set.spec.suspend,
            behind,
            generation: set.metadata.generation,
            observed_generation: set.status.observed_generation,
        },
        rows,
        warnings,
    }
}

/// What a Deployment's selector and annotations say of its place.
struct Seen<'d> {
    deployment: &'d Deployment,
    /// The sharding key and values it selects (a shard).
    selects: Option<(String, Vec<String>)>,
    /// The key it excludes (a main controller).
    excludes: Option<String>,
    /// `sharding.fluxcd.io/role: shard`.
    annotated: bool,
}

impl Seen<'_> {
    fn is_shard(&self) -> bool {
        self.annotated || (self.selects.is_some() && self.excludes.is_none())
    }
    fn name(&self) -> &str {
        &self.deployment.metadata.name
    }
}

fn seen(d: &Deployment) -> Seen<'_> {
    let selector = d
        .spec
        .containers
        .iter()
        .find(|c| c.name == MANAGER)
        .and_then(|c| c.flag(WATCH_FLAG))
        .and_then(|s| Selector::parse(s).ok());
    let selects = selector
        .as_ref()
        .and_then(|s| s.selected_values())
        .map(|(k, v)| (k.to_string(), v.to_vec()));
    let excludes = selector
        .as_ref()
        .and_then(|s| s.excluded_key())
        .map(|(k, _)| k.to_string());
    let annotated = d
        .metadata
        .annotations
        .iter()
        .any(|(k, v)| k == ROLE_ANNOTATION.0 && v == ROLE_ANNOTATION.1);
    Seen {
        deployment: d,
        selects,
        excludes,
        annotated,
    }
}

/// A main controller's name, the key its shards select by, and its shards with their names.
type Found<'s, 'd> = (String, Option<String>, Vec<(&'s Seen<'d>, String)>);

/// Every shard group of a namespace: those of its FluxShardSets, then those its Deployments make
/// (a FluxInstance's when the namespace's instance shards that controller and renders its
/// Deployments, else `Manual`), sorted by main controller.
///
/// ```
/// use flux_shard_metrics::groups::find_groups;
/// use flux_shard_metrics::kube::Deployment;
/// use flux_shard_metrics::report::GroupKind;
/// let d = |name: &str, selector: &str| -> Deployment { flux_shard_metrics::json::parse_object(&format!(
///     r#"{{"metadata": {{"name": "{name}", "namespace": "flux-system"}},
///         "spec": {{"template": {{"spec": {{"containers": [{{"name": "manager", "args": ["--watch-label-selector={selector}"]}}]}}}}}}}}"#)).unwrap() };
/// let deployments = [d("kustomize-controller", "!sharding.fluxcd.io/key"), d("kustomize-controller-shard1", "sharding.fluxcd.io/key=shard1")];
/// let groups = find_groups("flux-system", &deployments, &[], None);
/// assert_eq!((groups[0].group.kind, groups[0].group.controller.as_str()), (GroupKind::Manual, "kustomize-controller"));
/// assert_eq!(groups[0].rows[1].shard.as_deref(), Some("shard1"));
/// ```
pub fn find_groups(
    namespace: &str,
    deployments: &[Deployment],
    sets: &[FluxShardSet],
    instance: Option<&FluxInstance>,
) -> Vec<ShardGroup> {
    let mut groups: Vec<ShardGroup> = sets
        .iter()
        .filter(|s| s.metadata.namespace == namespace)
        .map(shard_set_group)
        .collect();
    let taken = |groups: &[ShardGroup], name: &str| groups.iter().any(|g| g.has(name));
    let ours: Vec<Seen<'_>> = deployments
        .iter()
        .filter(|d| d.metadata.namespace == namespace)
        .map(seen)
        .collect();
    let mut free: Vec<&Seen<'_>> = ours.iter().filter(|s| !taken(&groups, s.name())).collect();
    crate::sort::sort_by(&mut free, |a, b| {
        b.name()
            .len()
            .cmp(&a.name().len())
            .then(a.name().cmp(b.name()))
    });
    // Each shard under the longest Deployment name it starts with: `<main>-<shard>`.
    let mut found: Vec<Found<'_, '_>> = Vec::new();
    for shard in free.iter().filter(|s| s.is_shard()) {
        let main = free
            .iter()
            .filter(|m| !m.is_shard() && shard_of(m.name(), shard.name()).is_some())
            .map(|m| m.name().to_string())
            .next()
            .or_else(|| {
                // No main Deployment: the name with the shard's selected value cut off.
                let (_, values) = shard.selects.as_ref()?;
                let value = values.first()?;
                shard
                    .name()
                    .strip_suffix(&format!("-{value}"))
                    .map(str::to_string)
            });
        let Some(main) = main else { continue };
        let Some(name) = shard_of(&main, shard.name()) else {
            continue;
        };
        let key = shard.selects.as_ref().map(|(k, _)| k.clone());
        match found.iter_mut().find(|(m, ..)| *m == main) {
            Some((_, k, shards)) => {
                if k.is_none() {
                    *k = key;
                }
                shards.push((shard, name.to_string()));
            }
            None => found.push((main, key, vec![(shard, name.to_string())])),
        }
    }
    let sharding = instance.and_then(|i| i.sharding.as_ref().map(|s| (i, s)));
    // A FluxInstance's sharded components with no shard Deployment yet are groups too.
    if let Some((i, s)) = sharding {
        for component in i.sharded_components() {
            if !taken(&groups, &component) && !found.iter().any(|(m, ..)| *m == component) {
                found.push((component, Some(s.key.clone()), Vec::new()));
            }
        }
    }
    for (main, key, shards) in found {
        let main_seen = ours.iter().find(|s| s.name() == main);
        let by_operator = sharding.filter(|(i, s)| {
            i.sharded_components().contains(&main)
                && main_seen.map_or(true, |m| {
                    m.deployment.metadata.label(MANAGED_BY_OPERATOR.0)
                        == Some(MANAGED_BY_OPERATOR.1)
                })
                && key.as_deref().map_or(true, |k| k == s.key)
        });
        let key = key
            .or_else(|| main_seen.and_then(|m| m.excludes.clone()))
            .or_else(|| by_operator.map(|(_, s)| s.key.clone()))
            .unwrap_or_else(|| SHARD_KEY.to_string());
        let mut warnings = Vec::new();
        let mut rows = vec![main_row(&main)];
        let group = match by_operator {
            Some((i, s)) => {
                for shard in &s.shards {
                    rows.push(shard_row(
                        shard_deployment(&main, shard),
                        shard.clone(),
                        true,
                    ));
                }
                let mut extra: Vec<&(&Seen<'_>, String)> = shards
                    .iter()
                    .filter(|(d, _)| !rows.iter().any(|r| r.deployment == d.name()))
                    .collect();
                crate::sort::sort_by(&mut extra, |a, b| a.1.cmp(&b.1));
                for (d, shard) in extra {
                    warnings.push(format!(
                        "Deployment {namespace}/{} looks like a shard of {main} but is not in spec.sharding.shards of FluxInstance {namespace}/{}",
                        d.name(),
                        i.metadata.name
                    ));
                    rows.push(shard_row(d.name().to_string(), shard.clone(), false));
                }
                instance_ref(namespace, &main, i, &s.key, &s.shards)
            }
            None => {
                let mut named: Vec<String> = shards.iter().map(|(_, s)| s.clone()).collect();
                crate::sort::sort_by(&mut named, |a, b| a.cmp(b));
                for shard in &named {
                    rows.push(shard_row(
                        shard_deployment(&main, shard),
                        shard.clone(),
                        true,
                    ));
                }
                GroupRef::manual(namespace, &main, &key, named)
            }
        };
        groups.push(ShardGroup {
            group,
            rows,
            warnings,
        });
    }
    crate::sort::sort_by(&mut groups, |a, b| {
        (a.group.controller.as_str(), a.group.name.as_str())
            .cmp(&(b.group.controller.as_str(), b.group.name.as_str()))
    });
    groups
}

fn instance_ref(
    namespace: &str,
    main: &str,
    i: &FluxInstance,
    key: &str,
    shards: &[String],
) -> GroupRef {
    let ready = i.ready_condition();
    GroupRef {
        kind: GroupKind::FluxInstance,
        name: if i.metadata.name.is_empty() {
            FLUX_INSTANCE_NAME.to_string()
        } else {
            i.metadata.name.clone()
        },
        namespace: namespace.to_string(),
        controller: main.to_string(),
        key: key.to_string(),
        shards: shards.to_vec(),
        ready: ready.map(|c| c.status == "True"),
        message: ready.map(|c| c.message.clone()).filter(|m| !m.is_empty()),
        ready_condition: ready.map(ReadyCondition::from),
        suspended: i.is_suspended(),
        behind: i.is_behind(),
        generation: i.metadata.generation,
        observed_generation: ready.and_then(|c| c.observed_generation),
    }
}

/// The group Deployment `name` belongs to (as its main controller or one of its shards).
pub fn group_of<'g>(groups: &'g [ShardGroup], name: &str) -> Option<&'g ShardGroup> {
    groups.iter().find(|g| g.has(name))
}
