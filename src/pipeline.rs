//! The read pipeline: the whole `getShardMetrics` and `listShardSets`, over a
//! [`Transport`], independent of how requests are sent. Each step is one call:
//!
//! 1. the FluxShardSet ([`read_shard_set`]), its fields checked for their JSON types;
//! 2. the namespace's Deployments, then their ReplicaSets and Pods (`namespace.rs`),
//!    with API discovery alongside;
//! 3. the plan: rows and pods to read ([`crate::plan`]);
//! 4. the counts source: pod scrapes or Prometheus (`counts.rs`);
//! 5. each row finished ([`crate::rows`]): counts merged, problems, rates;
//! 6. the objects of every kind the controllers reconcile (`objects.rs`), assigned to rows;
//! 7. every row's verdict ([`crate::verdict`]), then the check ([`crate::check`]).
//!
//! The API calls per shard set do not grow with the number of shards: the
//! shard set, then the namespace's Deployments, ReplicaSets and Pods
//! (together), then one metrics request per running pod, at most
//! `concurrency` at a time (or four Prometheus queries).

mod counts;
mod group;
mod lister;
mod namespace;
mod objects;
mod session;

pub use session::{unwatchable_warning, Session};

use futures::future::join;

use counts::{read_counts, CountsSource};
use group::{find_group, instances_of, shard_sets_of, Found};
use lister::Lister;
use namespace::{read_pods_of, Namespace};

use crate::artifacts::{check_artifact_servers, ARTIFACT_SERVERS};
use crate::assignment::{assign, balance, Assigned, KindObjects};
use crate::check::check_failures;
use crate::dependencies::{split_dependencies, Reconcilers};
use crate::groups::{find_groups, row_names, ShardGroup};
use crate::kube::{
    flux_controllers_of, validate_name, validate_namespace, ApisDocument, Deployment, FluxInstance,
    Resource,
};
use crate::options::{PrometheusOptions, Target, DEFAULT_CONCURRENCY};
use crate::plan::{plan, Plan};
use crate::problem::{Problem, ProblemKind};
use crate::report::{
    DeploymentMetrics, PreviousRead, ShardGroupSummary, ShardMetrics, ShardSetSummary,
    SplitDependency,
};
use crate::rows::finish_row;
use crate::transport::{CountingTransport, FetchError, Transport};
use crate::verdict::judge;

/// What [`get_shard_metrics`] reads, and what it compares with.
#[derive(Debug, Clone)]
pub struct Query<'q> {
    /// Namespace of the group.
    pub namespace: &'q str,
    /// Which group: a FluxShardSet, or the group of a Deployment.
    pub target: Target,
    /// Metrics requests at once.
    pub concurrency: usize,
    /// The time of this read, in milliseconds since the epoch (`Date.now()`).
    pub read_at: f64,
    /// An earlier read of the same group, for rates.
    pub previous: Option<&'q PreviousRead>,
    /// Counts over a window from Prometheus instead of pod scrapes.
    pub prometheus: Option<&'q PrometheusOptions>,
}

impl<'q> Query<'q> {
    /// A first read of the FluxShardSet `namespace/name` at `read_at`, with the default concurrency.
    pub fn new(namespace: &'q str, name: &str, read_at: f64) -> Query<'q> {
        Query::of(namespace, Target::ShardSet(name.to_string()), read_at)
    }

    /// A first read of the shard group of Deployment `namespace/deployment` at `read_at`.
    pub fn controller(namespace: &'q str, deployment: &str, read_at: f64) -> Query<'q> {
        Query::of(
            namespace,
            Target::Controller(deployment.to_string()),
            read_at,
        )
    }

    /// A first read of `target` in `namespace` at `read_at`, with the default concurrency.
    pub fn of(namespace: &'q str, target: Target, read_at: f64) -> Query<'q> {
        Query {
            namespace,
            target,
            concurrency: DEFAULT_CONCURRENCY,
            read_at,
            previous: None,
            prometheus: None,
        }
    }
}

/// Reads a shard group — a FluxShardSet, or the group of a Deployment — finds its Deployments
/// and their pods, reads the counts of every running pod, counts the objects each row's
/// selector selects, sums the counts and decides each row's status.
///
/// Fails as a whole only when the group itself (or the lists of the namespace) cannot be
/// read; a pod that cannot be scraped gets a problem in its row, objects that cannot be listed
/// are a problem of the group, and everything else is complete.
pub async fn get_shard_metrics<T: Transport>(
    transport: &T,
    query: &Query<'_>,
) -> Result<ShardMetrics, FetchError> {
    get_shard_metrics_with(transport, None::<&T>, query).await
}

/// [`get_shard_metrics`], with `prometheus` the transport to a Prometheus URL
/// when `query.prometheus` names one (a Service is reached through `transport`).
pub async fn get_shard_metrics_with<T: Transport, P: Transport>(
    transport: &T,
    prometheus: Option<&P>,
    query: &Query<'_>,
) -> Result<ShardMetrics, FetchError> {
    // A one-shot read is a session's first: the same lists, once (and the pipeline's code once
    // in the wasm, not once per way of listing).
    let session = Session::new(
        query.namespace.to_string(),
        query.target.clone(),
        query.concurrency,
        query.prometheus.cloned(),
    );
    session
        .read_once(transport, prometheus, query.read_at, query.previous)
        .await
}

/// The read, with its lists from `lister`.
async fn read_with<L: Lister, T: Transport, P: Transport>(
    lister: &L,
    transport: &T,
    prometheus: Option<&P>,
    query: &Query<'_>,
) -> Result<ShardMetrics, FetchError> {
    let namespace = query.namespace;
    validate_namespace(namespace)?;
    match &query.target {
        Target::ShardSet(name) => validate_name("FluxShardSet name", name)?,
        Target::Controller(name) => validate_name("Deployment name", name)?,
    }
    let transport = &CountingTransport::new(transport);
    let Found {
        group,
        shard_set,
        mut neighbours,
        deployments,
        warnings,
    } = find_group(lister, transport, namespace, &query.target).await?;
    // The ReplicaSets and Pods of the group's Deployments (owner references, not labels, decide
    // which Deployment a pod is of), and the Services when its controller serves artifacts; API
    // discovery goes along: the objects' kinds are resolved once the pods say which controllers run.
    let row_names: Vec<&str> = group.rows.iter().map(|r| r.deployment.as_str()).collect();
    let serves_artifacts = ARTIFACT_SERVERS.contains(&group.group.controller.as_str());
    let ((namespace_read, apis), services) = join(
        join(
            read_pods_of(lister, transport, namespace, deployments, &row_names),
            lister.apis(transport),
        ),
        async {
            if serves_artifacts {
                Some(lister.services(transport, namespace).await)
            } else {
                None
            }
        },
    )
    .await;
    let found = namespace_read?;
    let mut plan = plan(&group, &found.deployments, &found.replica_sets, &found.pods);
    plan.warnings.splice(0..0, warnings);
    // Counted apart (apiCalls counts the API's requests): and so of the same type as `transport`
    // when both are the same transport, which the wasm then holds one copy of the reader for.
    let prometheus = prometheus.map(CountingTransport::new);
    let source = match query.prometheus {
        None => CountsSource::Scrape,
        Some(options) => CountsSource::Prometheus {
            options,
            transport: prometheus.as_ref(),
        },
    };
    let counts = read_counts(
        transport,
        source,
        &mut plan,
        &found,
        query.read_at,
        query.concurrency,
        query.previous,
    )
    .await;
    note_shape_issues(&mut plan.rows, &found);
    for row in &mut plan.rows {
        finish_row(row, counts.previous, query.read_at);
    }
    counts.apply_rates(&mut plan.rows);
    let services = match services {
        Some(Ok(names)) => Some(names),
        Some(Err(e)) => {
            plan.warnings.push(format!(
                "the artifact servers of the shards are checked by their flags only: the Services could not be listed: {e}"
            ));
            None
        }
        None => None,
    };
    check_artifact_servers(&plan.group.controller, &mut plan.rows, services.as_deref());
    if neighbours.is_empty() && plan.group.controller == "helm-controller" {
        neighbours = namespace_groups(transport, namespace, &found.deployments).await;
    }
    let objects = count_objects(
        lister,
        transport,
        &mut plan,
        &neighbours,
        &found.deployments,
        apis,
        query.concurrency,
    )
    .await;
    let source = counts.source;
    judge(
        &mut plan.rows,
        &plan.group,
        query.read_at,
        counts.previous,
        source.window_seconds,
    );
    Ok(ShardMetrics {
        shard_set_behind: plan.group.behind,
        check_failures: check_failures(
            &plan.rows,
            &objects.assigned.orphaned,
            &objects.assigned.overlaps,
            &objects.split,
            &plan.group.key,
        ),
        group: plan.group,
        shard_set,
        balance: balance(&plan.rows),
        deployments: plan.rows,
        warnings: plan.warnings,
        problems: objects.problems,
        orphaned: objects.assigned.orphaned,
        overlaps: objects.assigned.overlaps,
        split_dependencies: objects.split,
        source,
        api_calls: transport.count(),
        read_at: query.read_at,
    })
}

/// Every group of the namespace (for the dependency rules), from its Deployments, FluxShardSets
/// and FluxInstance; none of what cannot be read.
async fn namespace_groups<T: Transport>(
    transport: &T,
    namespace: &str,
    deployments: &[Deployment],
) -> Vec<ShardGroup> {
    let ns = Some(namespace);
    let (sets, instances) = join(shard_sets_of(transport, ns), instances_of(transport, ns)).await;
    let sets = sets.unwrap_or_default();
    let instances = instances.unwrap_or_default();
    let instance = instances
        .iter()
        .find(|i| i.metadata.name == crate::kube::FLUX_INSTANCE_NAME);
    find_groups(namespace, deployments, &sets, instance)
}

/// What the objects gave: their assignment, the dependencies split across shards, the problems.
struct ObjectsCounted {
    assigned: Assigned,
    split: Vec<SplitDependency>,
    problems: Vec<Problem>,
}

/// Lists the objects of every kind the plan's controllers reconcile, assigns them to the rows
/// by their selectors, and finds the dependencies split across shards (for a helm-controller
/// group, with the HelmCharts its HelmReleases make and the namespace's source-controller group).
async fn count_objects<L: Lister, T: Transport>(
    lister: &L,
    transport: &T,
    plan: &mut Plan,
    neighbours: &[ShardGroup],
    deployments: &[Deployment],
    apis: Result<ApisDocument, FetchError>,
    concurrency: usize,
) -> ObjectsCounted {
    let mut out = ObjectsCounted {
        assigned: Assigned::default(),
        split: Vec::new(),
        problems: Vec::new(),
    };
    let controllers = controllers_of(&plan.rows, &plan.group.controller);
    if controllers.is_empty() {
        plan.warnings.push(
            "the objects per shard are not counted: no pod reported which controllers it runs (controller_runtime_reconcile_total)".into(),
        );
        return out;
    }
    // The source-controller group a HelmRelease's HelmChart belongs to, by what its rows select.
    let source_group = neighbours
        .iter()
        .find(|g| g.group.controller == "source-controller")
        .filter(|_| controllers.iter().any(|c| c == "helmrelease"));
    let mut wanted = controllers.clone();
    if source_group.is_some() {
        wanted.push("helmchart".to_string());
    }
    let read = objects::read_objects(lister, transport, &wanted, apis, concurrency).await;
    let (charts, own): (Vec<KindObjects>, Vec<KindObjects>) = read
        .lists
        .into_iter()
        .partition(|l| l.kind == "HelmChart" && !controllers.iter().any(|c| c == "helmchart"));
    out.assigned = assign(
        &mut plan.rows,
        &plan.selections,
        &plan.group.key,
        &own,
        &read.unread,
    );
    let names: Vec<String> = plan.rows.iter().map(|r| r.name.clone()).collect();
    let own_reconcilers = Reconcilers {
        names: &names,
        selections: &plan.selections,
        key: &plan.group.key,
    };
    let source_plan = source_group.map(|g| source_selections(g, deployments));
    let helm = source_plan.as_ref().map(|(names, selections, key)| {
        (
            Reconcilers {
                names,
                selections,
                key,
            },
            charts.as_slice(),
        )
    });
    out.split = split_dependencies(&own, own_reconcilers, helm);
    plan.warnings.extend(read.warnings);
    out.problems = read.problems;
    out
}

/// The rows and selections of another group (the namespace's source-controller group).
fn source_selections(
    group: &ShardGroup,
    deployments: &[Deployment],
) -> (Vec<String>, Vec<crate::kube::Selection>, String) {
    let p = plan(group, deployments, &[], &[]);
    let names = p.rows.iter().map(|r| r.name.clone()).collect();
    (names, p.selections, p.group.key)
}

/// Fields of the wrong JSON type in a row's Deployment or pods, as problems of that row.
fn note_shape_issues(rows: &mut [DeploymentMetrics], found: &Namespace) {
    for row in rows.iter_mut() {
        for d in found
            .deployment_issues
            .iter()
            .filter(|d| d.name == row.name)
        {
            for issue in &d.issues {
                row.problems.push(Problem::new(
                    ProblemKind::BadField,
                    format!(
                        "Deployment {}/{}: {issue}; read as its default",
                        row.namespace, row.name
                    ),
                ));
            }
        }
        let pods: Vec<&str> = row.pods.iter().map(|p| p.name.as_str()).collect();
        for p in found
            .pod_issues
            .iter()
            .filter(|p| pods.contains(&p.name.as_str()))
        {
            for issue in &p.issues {
                row.problems.push(Problem::new(
                    ProblemKind::BadField,
                    format!("pod {}: {issue}; read as its default", p.name),
                ));
            }
        }
    }
}

/// The controllers the shard set runs: every `controller` label its pods
/// report, else Flux's own for a Flux controller Deployment; sorted.
fn controllers_of(rows: &[DeploymentMetrics], source: &str) -> Vec<String> {
    let mut names: Vec<String> = rows
        .iter()
        .flat_map(|r| &r.pods)
        .flat_map(|p| &p.counts.by_controller)
        .map(|c| c.controller.clone())
        .filter(|c| !c.is_empty())
        .collect();
    if names.is_empty() {
        names = flux_controllers_of(source);
    }
    crate::sort::sort_by(&mut names, |a, b| a.cmp(b));
    names.dedup();
    names
}

/// Lists the FluxShardSets of `namespace`, or of all namespaces for `None`.
pub async fn list_shard_sets<T: Transport>(
    transport: &T,
    namespace: Option<&str>,
) -> Result<Vec<ShardSetSummary>, FetchError> {
    if let Some(ns) = namespace {
        validate_namespace(ns)?;
    }
    let mut out: Vec<ShardSetSummary> = shard_sets_of(transport, namespace)
        .await?
        .iter()
        .map(|set| {
            let (ready, message) = set.ready();
            ShardSetSummary {
                name: set.metadata.name.clone(),
                namespace: set.metadata.namespace.clone(),
                source_deployment: set.spec.source_deployment_ref.name.clone(),
                shards: set.spec.shards.iter().map(|s| s.name.clone()).collect(),
                inventory: set
                    .inventory()
                    .0
                    .iter()
                    .filter(|id| id.is_deployment())
                    .count() as u32,
                deployments: row_names(set).0.into_iter().map(|r| r.deployment).collect(),
                ready,
                message,
            }
        })
        .collect();
    crate::sort::sort_by(&mut out, |a, b| {
        (a.namespace.as_str(), a.name.as_str()).cmp(&(b.namespace.as_str(), b.name.as_str()))
    });
    Ok(out)
}

/// Lists the shard groups of `namespace`, or of all namespaces for `None`: those of its
/// FluxShardSets and FluxInstance, and those its Deployments make by hand.
pub async fn list_shard_groups<T: Transport>(
    transport: &T,
    namespace: Option<&str>,
) -> Result<Vec<ShardGroupSummary>, FetchError> {
    if let Some(ns) = namespace {
        validate_namespace(ns)?;
    }
    let d = &Resource::DEPLOYMENTS;
    let (path, permission) = (d.list_path(namespace), d.permission("list", namespace));
    let (deployments, sets, instances) = futures::join!(
        crate::transport::list_all::<_, Deployment>(transport, &path, &permission),
        shard_sets_of(transport, namespace),
        instances_of(transport, namespace),
    );
    let deployments = deployments?;
    // A cluster without the FluxShardSet or FluxInstance CRD has none of them.
    let not_served = |e: &FetchError| matches!(e, FetchError::Http { status: 404, .. });
    let sets = match sets {
        Err(e) if not_served(&e) => Vec::new(),
        other => other?,
    };
    let instances: Vec<FluxInstance> = match instances {
        Err(e) if not_served(&e) => Vec::new(),
        other => other?,
    };
    let mut namespaces: Vec<&str> = deployments
        .iter()
        .map(|d| d.metadata.namespace.as_str())
        .chain(sets.iter().map(|s| s.metadata.namespace.as_str()))
        .collect();
    crate::sort::sort_by(&mut namespaces, |a, b| a.cmp(b));
    namespaces.dedup();
    let mut out = Vec::new();
    for ns in namespaces {
        let instance = instances.iter().find(|i| {
            i.metadata.namespace == ns && i.metadata.name == crate::kube::FLUX_INSTANCE_NAME
        });
        for g in find_groups(ns, &deployments, &sets, instance) {
            let inventory = match sets.iter().find(|s| {
                g.group.kind == crate::report::GroupKind::FluxShardSet
                    && s.metadata.namespace == ns
                    && s.metadata.name == g.group.name
            }) {
                Some(set) => set.inventory_deployments().0.len() as u32,
                None => g
                    .rows
                    .iter()
                    .filter(|r| {
                        r.role == crate::report::Role::Shard
                            && deployments.iter().any(|d| {
                                d.metadata.namespace == ns && d.metadata.name == r.deployment
                            })
                    })
                    .count() as u32,
            };
            out.push(ShardGroupSummary {
                namespace: ns.to_string(),
                name: g.group.name.clone(),
                kind: g.group.kind,
                source_deployment: g.group.controller.clone(),
                controller: g.group.controller,
                shards: g.group.shards,
                key: g.group.key,
                ready: g.group.ready,
                message: g.group.message,
                deployments: g.rows.into_iter().map(|r| r.deployment).collect(),
                inventory,
            });
        }
    }
    crate::sort::sort_by(&mut out, |a, b| {
        (a.namespace.as_str(), a.name.as_str(), a.controller.as_str()).cmp(&(
            b.namespace.as_str(),
            b.name.as_str(),
            b.controller.as_str(),
        ))
    });
    Ok(out)
}
