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
mod namespace;
mod objects;

use futures::future::join;
use serde_json::Value;

use counts::{read_counts, CountsSource};
use namespace::{read_namespace, Namespace};

use crate::assignment::{assign, balance};
use crate::check::check_failures;
use crate::json::read_checked;
use crate::kube::{
    flux_controllers_of, validate_name, validate_namespace, ApisDocument, FluxShardSet, List,
    Permission, Resource,
};
use crate::options::{PrometheusOptions, DEFAULT_CONCURRENCY};
use crate::plan::{plan, row_names, Plan};
use crate::problem::{Problem, ProblemKind};
use crate::report::{DeploymentMetrics, Orphaned, PreviousRead, ShardMetrics, ShardSetSummary};
use crate::rows::finish_row;
use crate::transport::{get_json, get_json_as, Accept, CountingTransport, FetchError, Transport};
use crate::verdict::judge;

/// What [`get_shard_metrics`] reads, and what it compares with.
#[derive(Debug, Clone, Copy)]
pub struct Query<'q> {
    /// Namespace of the FluxShardSet.
    pub namespace: &'q str,
    /// Name of the FluxShardSet.
    pub name: &'q str,
    /// Metrics requests at once.
    pub concurrency: usize,
    /// The time of this read, in milliseconds since the epoch (`Date.now()`).
    pub read_at: f64,
    /// An earlier read of the same shard set, for rates.
    pub previous: Option<&'q PreviousRead>,
    /// Counts over a window from Prometheus instead of pod scrapes.
    pub prometheus: Option<&'q PrometheusOptions>,
}

impl<'q> Query<'q> {
    /// A first read of `namespace/name` at `read_at`, with the default concurrency.
    pub fn new(namespace: &'q str, name: &'q str, read_at: f64) -> Query<'q> {
        Query {
            namespace,
            name,
            concurrency: DEFAULT_CONCURRENCY,
            read_at,
            previous: None,
            prometheus: None,
        }
    }
}

/// Reads a FluxShardSet, finds its Deployments and their pods, reads the
/// counts of every running pod, counts the objects assigned to each row, sums
/// the counts and decides each row's status.
///
/// Fails as a whole only when the shard set itself (or the lists of the
/// namespace) cannot be read; a pod that cannot be scraped gets a problem in
/// its row, objects that cannot be listed are a problem of the shard set,
/// and everything else is complete.
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
    let (namespace, name) = (query.namespace, query.name);
    validate_namespace(namespace)?;
    validate_name("FluxShardSet name", name)?;
    let transport = &CountingTransport::new(transport);
    let (set, set_warnings) = read_shard_set(transport, namespace, name).await?;
    // The Deployments of the shard set, then their ReplicaSets and Pods (owner references, not labels,
    // decide which Deployment a pod is of). API discovery goes along: the objects' kinds are resolved
    // once the pods say which controllers run.
    let (rows, _) = row_names(&set);
    let row_names: Vec<&str> = rows.iter().map(|r| r.deployment.as_str()).collect();
    let (namespace_read, apis) = join(
        read_namespace(transport, namespace, &row_names),
        get_json_as::<_, ApisDocument>(
            transport,
            "/apis",
            Accept::Discovery,
            &Permission::non_resource("/apis"),
        ),
    )
    .await;
    let found = namespace_read?;
    let mut plan = plan(&set, &found.deployments, &found.replica_sets, &found.pods);
    plan.warnings.splice(0..0, set_warnings);
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
    let (problems, orphaned) = count_objects(transport, &mut plan, apis, query.concurrency).await;
    let source = counts.source;
    judge(
        &mut plan.rows,
        &plan.shard_set,
        query.read_at,
        counts.previous,
        source.window_seconds,
    );
    Ok(ShardMetrics {
        shard_set_behind: plan.shard_set.is_behind(),
        check_failures: check_failures(&plan.rows, &orphaned),
        shard_set: plan.shard_set,
        balance: balance(&plan.rows),
        deployments: plan.rows,
        warnings: plan.warnings,
        problems,
        orphaned,
        source,
        api_calls: transport.count(),
        read_at: query.read_at,
    })
}

/// Lists the objects of every kind the plan's controllers reconcile and assigns them to the
/// rows; returns the problems of the lists and the orphaned objects.
async fn count_objects<T: Transport>(
    transport: &T,
    plan: &mut Plan,
    apis: Result<ApisDocument, FetchError>,
    concurrency: usize,
) -> (Vec<Problem>, Vec<Orphaned>) {
    let controllers = controllers_of(&plan.rows, &plan.shard_set.source_deployment);
    if controllers.is_empty() {
        plan.warnings.push(
            "the objects per shard are not counted: no pod reported which controllers it runs (controller_runtime_reconcile_total)".into(),
        );
        return (Vec::new(), Vec::new());
    }
    let read = objects::read_objects(transport, &controllers, apis, concurrency).await;
    let orphaned = assign(&mut plan.rows, &read.lists, &read.unread);
    plan.warnings.extend(read.warnings);
    (read.problems, orphaned)
}

/// GETs the FluxShardSet, and what its fields of another JSON type were read as.
async fn read_shard_set<T: Transport>(
    transport: &T,
    namespace: &str,
    name: &str,
) -> Result<(FluxShardSet, Vec<String>), FetchError> {
    let sets = &Resource::FLUX_SHARD_SETS;
    let set_json: Value = get_json(
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
    let sets = &Resource::FLUX_SHARD_SETS;
    let list: List<FluxShardSet> = get_json(
        transport,
        &sets.list_path(namespace),
        &sets.permission("list", namespace),
    )
    .await?;
    let mut out: Vec<ShardSetSummary> = list
        .items
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
