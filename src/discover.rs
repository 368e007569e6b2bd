//! From a FluxShardSet and the namespace's Deployments, ReplicaSets and Pods
//! to the rows to show and the pods to scrape. Pure: no I/O.
//!
//! Pods are matched to Deployments through owner references (Pod →
//! ReplicaSet → Deployment), never by label selector alone: shard
//! Deployments copy the source's labels, so the source's selector matches
//! every shard's pods too.

use crate::kube::{validate_name, Deployment, FluxShardSet, Pod, ReplicaSet};
use crate::metrics::{DeploymentMetrics, PodMetrics, ReadyCondition, Role, ShardSetRef};
use crate::problem::{Problem, ProblemKind};

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

/// Plans the rows of a shard set.
///
/// # Examples
///
/// ```
/// use flux_shard_metrics::discover::plan;
/// use flux_shard_metrics::kube::FluxShardSet;
/// let set: FluxShardSet = flux_shard_metrics::kube::parse_object(r#"{
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
    let (inventory, mut warnings) = set.inventory();
    let inventory: Vec<String> = inventory
        .into_iter()
        .filter(|id| id.is_deployment() && id.namespace == namespace)
        .map(|id| id.name)
        .collect();
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

    let mut rows = vec![DeploymentMetrics::new(
        source,
        namespace,
        Role::Source,
        None,
        true,
    )];
    if source.is_empty() {
        rows[0].problems.push(Problem::new(
            ProblemKind::NoSourceRef,
            "the shard set has no spec.sourceDeploymentRef.name",
        ));
    }
    for shard in &set.spec.shards {
        let name = format!("{source}-{}", shard.name);
        let in_inventory = inventory.contains(&name);
        let mut r = DeploymentMetrics::new(
            &name,
            namespace,
            Role::Shard,
            Some(shard.name.clone()),
            in_inventory,
        );
        if !in_inventory {
            r.problems.push(Problem::new(
                ProblemKind::NotInInventory,
                "in spec.shards but missing from the shard set's inventory",
            ));
        }
        rows.push(r);
    }
    for name in &inventory {
        if name != source && !rows.iter().any(|r| &r.name == name) {
            let shard = name
                .strip_prefix(source)
                .and_then(|s| s.strip_prefix('-'))
                .unwrap_or(name);
            warnings.push(format!(
                "Deployment {namespace}/{name} is in the inventory but not in spec.shards"
            ));
            rows.push(DeploymentMetrics::new(
                name,
                namespace,
                Role::Shard,
                Some(shard.to_string()),
                true,
            ));
        }
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
        crate::sort::sort_by_key(&mut own_pods, |p| p.metadata.name.clone());
        if !own_pods.iter().any(|p| !p.is_finished()) && r.problems.is_empty() {
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
            p.start_time = pod.status.start_time;
            if pod.is_finished() {
                // A leftover of an earlier ReplicaSet or an evicted pod: listed, never scraped.
                p.finished = true;
                r.pods.push(p);
            } else if let Err(e) = validate_name("pod name", &p.name) {
                p.set_problem(e.into());
                r.pods.push(p);
            } else if p.phase == "Running" {
                targets.push(ScrapeTarget {
                    row: index,
                    pod: p,
                    port: pod.metrics_port(),
                });
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
