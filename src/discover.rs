//! From a FluxShardSet and the namespace's Deployments, ReplicaSets and Pods
//! to the rows to show and the pods to scrape. Pure: no I/O.
//!
//! Pods are matched to Deployments through owner references (Pod →
//! ReplicaSet → Deployment), never by label selector alone: shard
//! Deployments copy the source's labels, so the source's selector matches
//! every shard's pods too.

use std::collections::BTreeMap;

use crate::kube::{validate_name, Deployment, FluxShardSet, Pod, ReplicaSet};
use crate::metrics::{DeploymentMetrics, PodMetrics, Role, ShardSetRef};

/// A pod to scrape: which row, its name, phase and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScrapeTarget {
    /// Index into [`Plan::rows`].
    pub row: usize,
    /// Pod name (already checked as a Kubernetes name).
    pub pod: String,
    /// The metrics port.
    pub port: u16,
    /// `Running`.
    pub phase: String,
    /// The `Ready` condition.
    pub ready: bool,
    /// Container restarts.
    pub restarts: u32,
}

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

fn row(
    name: &str,
    namespace: &str,
    role: Role,
    shard: Option<String>,
    in_inventory: bool,
) -> DeploymentMetrics {
    DeploymentMetrics {
        name: name.to_string(),
        namespace: namespace.to_string(),
        role,
        shard,
        in_inventory,
        found: false,
        replicas: 0,
        ready_replicas: 0,
        reconciliations: 0.0,
        errors: 0.0,
        by_result: BTreeMap::new(),
        by_controller: Vec::new(),
        pods: Vec::new(),
        error: None,
    }
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
/// assert_eq!(plan.rows[1].error.as_deref(), Some("in spec.shards but missing from the shard set's inventory"));
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
    };

    let mut rows = vec![row(source, namespace, Role::Source, None, true)];
    if source.is_empty() {
        rows[0].error = Some("the shard set has no spec.sourceDeploymentRef.name".into());
    }
    for shard in &set.spec.shards {
        let name = format!("{source}-{}", shard.name);
        let in_inventory = inventory.contains(&name);
        let mut r = row(
            &name,
            namespace,
            Role::Shard,
            Some(shard.name.clone()),
            in_inventory,
        );
        if !in_inventory {
            r.error = Some("in spec.shards but missing from the shard set's inventory".into());
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
            rows.push(row(
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
                r.error
                    .get_or_insert_with(|| format!("{what} {namespace}/{} does not exist", r.name));
            }
            continue;
        };
        r.found = true;
        r.replicas = deployment.spec.replicas.unwrap_or(1);
        r.ready_replicas = deployment.status.ready_replicas;
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
        if own_pods.is_empty() {
            if r.replicas == 0 {
                r.error
                    .get_or_insert_with(|| "scaled to zero replicas".into());
            } else {
                r.error
                    .get_or_insert_with(|| format!("no pods (0/{} ready)", r.replicas));
            }
        }
        for pod in own_pods {
            let name = pod.metadata.name.clone();
            let phase = if pod.status.phase.is_empty() {
                "Unknown".to_string()
            } else {
                pod.status.phase.clone()
            };
            if let Err(e) = validate_name("pod name", &name) {
                r.pods.push(PodMetrics::failed(
                    name,
                    phase,
                    pod.is_ready(),
                    pod.restarts(),
                    e.to_string(),
                ));
            } else if phase == "Running" {
                targets.push(ScrapeTarget {
                    row: index,
                    pod: name,
                    port: pod.metrics_port(),
                    phase,
                    ready: pod.is_ready(),
                    restarts: pod.restarts(),
                });
            } else {
                let error = format!("not running (phase {phase}), so not scraped");
                r.pods.push(PodMetrics::failed(
                    name,
                    phase,
                    pod.is_ready(),
                    pod.restarts(),
                    error,
                ));
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
