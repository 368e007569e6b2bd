//! From a shard group and the namespace's Deployments, ReplicaSets and Pods
//! to the rows to show and the pods to scrape. Pure: no I/O.
//!
//! Pods are matched to Deployments through owner references (Pod →
//! ReplicaSet → Deployment), never by label selector alone: FluxShardSet
//! shard Deployments copy the source's labels, so the source's selector
//! matches every shard's pods too.

pub use crate::groups::{row_names, RowName, MANAGER, WATCH_FLAG};

/// The flag that, `false`, keeps a controller's cache to its own namespace (Flux's
/// `--watch-all-namespaces`, true by default).
pub const WATCH_ALL_NAMESPACES_FLAG: &str = "watch-all-namespaces";

/// The flag source-controller advertises its artifact server by (pflag: the last occurrence wins).
pub const STORAGE_ADV_ADDR_FLAG: &str = "storage-adv-addr";

use crate::groups::ShardGroup;
use crate::kube::{validate_name, Deployment, Pod, ReplicaSet, Selection, Selector, RUNNING};
use crate::problem::{Problem, ProblemKind};
use crate::report::{DeploymentMetrics, GroupKind, GroupRef, PodMetrics, Role};

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

/// What to show and what to fetch.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The group.
    pub group: GroupRef,
    /// The main controller first, then the shards in their maker's order.
    /// Pods that are not scraped are already in the rows, with their phase.
    pub rows: Vec<DeploymentMetrics>,
    /// What each row selects, by index: its manager's `--watch-label-selector` (an empty selector:
    /// everything), or what its place intends when it has no manager to judge or no Deployment; in its
    /// own namespace only when its manager has `--watch-all-namespaces=false`.
    pub selections: Vec<Selection>,
    /// Running pods to scrape.
    pub targets: Vec<ScrapeTarget>,
    /// Problems outside any row.
    pub warnings: Vec<String>,
}

/// What a row's place intends it to select: the main controller what carries no key, a shard its own.
pub fn intended(role: Role, shard: Option<&str>, key: &str) -> Selector {
    let text = match (role, shard) {
        (Role::Shard, Some(shard)) => format!("{key}={shard}"),
        _ => format!("!{key}"),
    };
    Selector::parse(&text).unwrap_or_default()
}

/// Plans the rows of a group.
///
/// # Examples
///
/// ```
/// use flux_shard_metrics::groups::shard_set_group;
/// use flux_shard_metrics::plan::plan;
/// use flux_shard_metrics::kube::FluxShardSet;
/// let set: FluxShardSet = flux_shard_metrics::json::parse_object(r#"{
///   "metadata": {"name": "src", "namespace": "flux-system"},
///   "spec": {"sourceDeploymentRef": {"name": "source-controller"}, "shards": [{"name": "shard1"}]},
///   "status": {"inventory": {"entries": []}}
/// }"#).unwrap();
/// let plan = plan(&shard_set_group(&set), &[], &[], &[]);
/// assert_eq!(plan.rows[1].name, "source-controller-shard1");
/// assert_eq!(plan.rows[1].problems[0].message, "in spec.shards but missing from the shard set's inventory");
/// ```
pub fn plan(
    group: &ShardGroup,
    deployments: &[Deployment],
    replica_sets: &[ReplicaSet],
    pods: &[Pod],
) -> Plan {
    let g = &group.group;
    let namespace = g.namespace.as_str();
    let mut warnings = group.warnings.clone();
    let mut rows = Vec::with_capacity(group.rows.len());
    for n in &group.rows {
        let mut r = DeploymentMetrics::new(
            &n.deployment,
            namespace,
            n.role,
            n.shard.clone(),
            n.in_inventory,
        );
        if n.role == Role::Source && n.deployment.is_empty() {
            r.problems.push(Problem::new(
                ProblemKind::NoSourceRef,
                "the shard set has no spec.sourceDeploymentRef.name",
            ));
        } else if !n.in_inventory {
            r.problems.push(Problem::new(
                ProblemKind::NotInInventory,
                "in spec.shards but missing from the shard set's inventory",
            ));
        } else if !n.in_spec && g.kind == GroupKind::FluxShardSet {
            warnings.push(format!(
                "Deployment {namespace}/{} is in the inventory but not in spec.shards",
                n.deployment
            ));
        }
        rows.push(r);
    }
    let mut selections: Vec<Selection> = rows
        .iter()
        .map(|r| Selection::everywhere(intended(r.role, r.shard.as_deref(), &g.key)))
        .collect();

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
                let what = match (r.role, g.kind) {
                    (Role::Source, GroupKind::FluxShardSet) => "the source Deployment".to_string(),
                    (Role::Source, _) => "the main controller's Deployment".to_string(),
                    (Role::Shard, GroupKind::FluxShardSet) => {
                        "listed in the inventory, but Deployment".to_string()
                    }
                    (Role::Shard, _) => format!(
                        "in spec.sharding.shards of {}, but Deployment",
                        g.described()
                    ),
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
            r.storage_adv_addr = manager.flag(STORAGE_ADV_ADDR_FLAG).map(str::to_string);
            // What its cache selects: its flag (none: everything); an unreadable one is judged
            // misconfigured, and meanwhile counted as its place intends.
            match r.watch_selector.as_deref().map(Selector::parse) {
                None => selections[index].labels = Selector::default(),
                Some(Ok(s)) => selections[index].labels = s,
                Some(Err(_)) => {}
            }
            if manager.bool_flag(WATCH_ALL_NAMESPACES_FLAG) == Some(false) {
                selections[index].namespace = Some(namespace.to_string());
            }
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
        group: g.clone(),
        rows,
        selections,
        targets,
        warnings,
    }
}
