//! From a FluxShardSet and the namespace's Deployments, ReplicaSets and Pods
//! to the rows to show and the pods to scrape. Pure: no I/O.
//!
//! Pods are matched to Deployments through owner references (Pod →
//! ReplicaSet → Deployment), never by label selector alone: shard
//! Deployments copy the source's labels, so the source's selector matches
//! every shard's pods too.

use crate::kube::{
    shard_deployment, validate_name, Deployment, FluxShardSet, Pod, ReplicaSet, RUNNING,
};
use crate::problem::{Problem, ProblemKind};
use crate::report::{DeploymentMetrics, PodMetrics, ReadyCondition, Role, ShardSetRef};

/// A pod to scrape: which row, the pod as known before the scrape, its metrics port.
#[derive(Debug, Clone, PartialEq)]
pub struct ScrapeTarget {
    /// Index into [`Plan::rows`].
    pub row: usize,
    /// The pod (its name already checked as a Kubernetes name).
    pub pod: PodMetrics,
    /// The metrics port.
    pub port: u16,
}

/// The name of the container flux-shard-controller rewrites the arguments of.
pub const MANAGER: &str = "manager";
/// The flag a controller selects the objects it watches by.
pub const WATCH_FLAG: &str = "watch-label-selector";

/// What to show and what to fetch.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The shard set.
    pub shard_set: ShardSetRef,
    /// Source first, then `spec.shards` order, then inventory Deployments not in the spec.
    /// Pods that are not scraped are already in the rows, with their phase.
    pub rows: Vec<DeploymentMetrics>,
    /// Running pods to scrape.
    pub targets: Vec<ScrapeTarget>,
    /// Problems outside any row.
    pub warnings: Vec<String>,
}

/// One row of a shard set before anything is read: its Deployment and its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowName {
    /// The Deployment's name.
    pub deployment: String,
    /// Source or shard.
    pub role: Role,
    /// The shard's name; `None` for the source.
    pub shard: Option<String>,
    /// Whether the shard set's inventory lists it (always true for the source).
    pub in_inventory: bool,
    /// Whether `spec` names it (the source, or one of `spec.shards`).
    pub in_spec: bool,
}

/// The rows of a shard set, decided here and nowhere else: the source, the
/// Deployment of each of `spec.shards` ([`shard_deployment`]), then each
/// Deployment of its inventory (in its own namespace) that `spec` does not
/// name; and the malformed inventory ids, as warnings.
///
/// ```
/// use flux_shard_metrics::plan::row_names;
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
    let mut rows = vec![RowName {
        deployment: source.to_string(),
        role: Role::Source,
        shard: None,
        in_inventory: true,
        in_spec: true,
    }];
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
            let shard = name
                .strip_prefix(source)
                .and_then(|s| s.strip_prefix('-'))
                .unwrap_or(&name)
                .to_string();
            rows.push(RowName {
                deployment: name,
                role: Role::Shard,
                shard: Some(shard),
                in_inventory: true,
                in_spec: false,
            });
        }
    }
    (rows, warnings)
}

/// Plans the rows of a shard set.
///
/// # Examples
///
/// ```
/// use flux_shard_metrics::plan::plan;
/// use flux_shard_metrics::kube::FluxShardSet;
/// let set: FluxShardSet = flux_shard_metrics::json::parse_object(r#"{
///   "metadata": {"name": "src", "namespace": "flux-system"},
///   "spec": {"sourceDeploymentRef": {"name": "source-controller"}, "shards": [{"name": "shard1"}]},
///   "status": {"inventory": {"entries": []}}
/// }"#).unwrap();
/// let plan = plan(&set, &[], &[], &[]);
/// assert_eq!(plan.rows[1].name, "source-controller-shard1");
/// assert_eq!(plan.rows[1].problems[0].message, "in spec.shards but missing from the shard set's inventory");
/// ```
pub fn plan(
    set: &FluxShardSet,
    deployments: &[Deployment],
    replica_sets: &[ReplicaSet],
    pods: &[Pod],
) -> Plan {
    let namespace = set.metadata.namespace.as_str();
    let source = set.spec.source_deployment_ref.name.as_str();
    let (names, mut warnings) = row_names(set);
    let (ready, message) = set.ready();
    let shard_set = ShardSetRef {
        name: set.metadata.name.clone(),
        namespace: namespace.to_string(),
        source_deployment: source.to_string(),
        shards: set.spec.shards.iter().map(|s| s.name.clone()).collect(),
        ready,
        message,
        ready_condition: set.ready_condition().map(|c| ReadyCondition {
            status: c.status.clone(),
            reason: c.reason.clone(),
            message: c.message.clone(),
        }),
        suspended: set.spec.suspend,
        generation: set.metadata.generation,
        observed_generation: set.status.observed_generation,
    };
    let mut rows = Vec::with_capacity(names.len());
    for n in names {
        let mut r =
            DeploymentMetrics::new(&n.deployment, namespace, n.role, n.shard, n.in_inventory);
        if n.role == Role::Source && source.is_empty() {
            r.problems.push(Problem::new(
                ProblemKind::NoSourceRef,
                "the shard set has no spec.sourceDeploymentRef.name",
            ));
        } else if !n.in_inventory {
            r.problems.push(Problem::new(
                ProblemKind::NotInInventory,
                "in spec.shards but missing from the shard set's inventory",
            ));
        } else if !n.in_spec {
            warnings.push(format!(
                "Deployment {namespace}/{} is in the inventory but not in spec.shards",
                n.deployment
            ));
        }
        rows.push(r);
    }

    let mut targets = Vec::new();
    for (index, r) in rows.iter_mut().enumerate() {
        if r.name.is_empty() {
            continue;
        }
        let Some(deployment) = deployments
            .iter()
            .find(|d| d.metadata.name == r.name && d.metadata.namespace == namespace)
        else {
            if r.in_inventory {
                let what = if r.role == Role::Source {
                    "the source Deployment"
                } else {
                    "listed in the inventory, but Deployment"
                };
                r.problems.push(Problem::new(
                    ProblemKind::DeploymentMissing,
                    format!("{what} {namespace}/{} does not exist", r.name),
                ));
            }
            continue;
        };
        r.found = true;
        r.replicas = deployment.spec.replicas.unwrap_or(1);
        r.ready_replicas = deployment.status.ready_replicas;
        if let Some(manager) = deployment
            .spec
            .containers
            .iter()
            .find(|c| c.name == MANAGER)
        {
            r.has_manager = true;
            r.watch_selector = manager.flag(WATCH_FLAG).map(str::to_string);
        }
        let owned_sets: Vec<&ReplicaSet> = replica_sets
            .iter()
            .filter(|rs| rs.metadata.is_owned_by("Deployment", &deployment.metadata))
            .collect();
        let mut own_pods: Vec<&Pod> = pods
            .iter()
            .filter(|p| {
                owned_sets
                    .iter()
                    .any(|rs| p.metadata.is_owned_by("ReplicaSet", &rs.metadata))
            })
            .collect();
        crate::sort::sort_by(&mut own_pods, |a, b| a.metadata.name.cmp(&b.metadata.name));
        if !own_pods
            .iter()
            .any(|p| !p.is_finished() && !p.is_terminating())
            && r.problems.is_empty()
        {
            r.problems.push(if r.replicas == 0 {
                Problem::new(ProblemKind::ScaledToZero, "scaled to zero replicas")
            } else {
                Problem::new(
                    ProblemKind::NoPods,
                    format!("no pods (0/{} ready)", r.replicas),
                )
            });
        }
        for pod in own_pods {
            let phase = if pod.status.phase.is_empty() {
                "Unknown".to_string()
            } else {
                pod.status.phase.clone()
            };
            let mut p = PodMetrics::new(
                pod.metadata.name.clone(),
                phase,
                pod.is_ready(),
                pod.restarts(),
            );
            p.reason = Some(pod.status.reason.clone()).filter(|r| !r.is_empty());
            p.start_time = pod.started_at();
            p.terminating = pod.is_terminating();
            if pod.is_finished() {
                // A leftover of an earlier ReplicaSet or an evicted pod: listed, never scraped.
                p.finished = true;
                r.pods.push(p);
            } else if let Err(e) = validate_name("pod name", &p.name) {
                p.set_problem(e.into());
                r.pods.push(p);
            } else if p.phase == RUNNING {
                targets.push(ScrapeTarget {
                    row: index,
                    pod: p,
                    port: pod.metrics_port(),
                });
            } else if p.terminating {
                // Deleted before it ran: it goes without ever having counted anything.
                r.pods.push(p);
            } else {
                let error = format!("not running (phase {}), so not scraped", p.phase);
                p.set_problem(Problem::new(ProblemKind::NotRunning, error));
                r.pods.push(p);
            }
        }
    }
    Plan {
        shard_set,
        rows,
        targets,
        warnings,
    }
}
