//! Discovery and scraping over a [`Transport`]: the whole `getShardMetrics`
//! and `listShardSets`, independent of how requests are sent.
//!
//! The API calls per shard set do not grow with the number of shards: the
//! shard set, then the namespace's Deployments, ReplicaSets and Pods
//! (together), then one metrics request per running pod, at most
//! `concurrency` at a time.

mod counting;
mod namespace;
mod objects;
mod pool;
mod window;

use futures::future::join;
use serde_json::Value;

use namespace::{read_namespace, Namespace};

pub use counting::CountingTransport;
pub use pool::run_bounded;

use crate::aggregate::{finish_row, judge, record_scrape};
use crate::assignment::{assign, balance};
use crate::discover::{plan, Plan, ScrapeTarget};
use crate::exposition::Format;
use crate::kube::{
    flux_controllers_of, shape, shape_issues, validate_name, validate_namespace, ApisDocument,
    FluxShardSet, FromJson, List, Permission, Resource,
};
use crate::metrics::{DeploymentMetrics, ShardMetrics, ShardSetSummary, Source};
use crate::options::DEFAULT_CONCURRENCY;
use crate::problem::{Problem, ProblemKind};
use crate::prometheus::{read_window, Location, PodMapper, PrometheusOptions};
use crate::rates::PreviousRead;
use crate::scrape::read_scrape;
use crate::transport::{get, get_json, get_json_as, Accept, FetchError, Transport};

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

/// Reads a FluxShardSet, finds its Deployments and their pods, scrapes every
/// running pod, counts the objects assigned to each row, sums the counts and
/// decides each row's status.
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
    let ns = Some(namespace);
    let sets = &Resource::FLUX_SHARD_SETS;
    let set_json: Value = get_json(
        transport,
        &sets.object_path(namespace, name),
        &sets.permission("get", ns),
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
    let set_issues = shape_issues(&set_json, shape::FLUX_SHARD_SET);
    let set = FluxShardSet::from_json(&set_json);
    // The Deployments of the shard set, then their ReplicaSets and Pods (owner references, not labels,
    // decide which Deployment a pod is of). API discovery goes along: the objects' kinds are resolved
    // once the pods say which controllers run.
    let rows = plan_names(&set);
    let row_names: Vec<&str> = rows.iter().map(String::as_str).collect();
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
    let (deployments, replica_sets, pods) = (&found.deployments, &found.replica_sets, &found.pods);
    let mut plan = plan(&set, deployments, replica_sets, pods);
    let set_warnings = set_issues
        .iter()
        .map(|issue| format!("FluxShardSet {namespace}/{name}: {issue}; read as its default"));
    plan.warnings.splice(0..0, set_warnings);
    let mut row_rates = Vec::new();
    let (source, previous) = match query.prometheus {
        None => {
            scrape_pods(transport, &mut plan, namespace, query.concurrency).await;
            (Source::scrape(), query.previous)
        }
        Some(options) => {
            let read_at_seconds = query.read_at / 1000.0;
            let window = match (&options.location, prometheus) {
                (Location::Url(_), Some(p)) => {
                    read_window(p, options, namespace, read_at_seconds).await
                }
                _ => read_window(transport, options, namespace, read_at_seconds).await,
            };
            let mapper = pod_mapper(&plan.rows, &plan.targets, &found);
            let (source, rates) = window::place(&mut plan, window, &mapper, options, query.read_at);
            row_rates = rates;
            // Counts over a sliding window are not compared with an earlier read.
            (source, None)
        }
    };
    note_shape_issues(&mut plan.rows, &found);
    for row in &mut plan.rows {
        finish_row(row, previous, query.read_at);
    }
    if let Some(options) = query.prometheus {
        window::apply_rates(&mut plan.rows, &row_rates, &options.window.for_rate());
    }
    let controllers = controllers_of(&plan.rows, &plan.shard_set.source_deployment);
    let mut problems = Vec::new();
    let mut orphaned = Vec::new();
    if controllers.is_empty() {
        plan.warnings.push(
            "the objects per shard are not counted: no pod reported which controllers it runs (controller_runtime_reconcile_total)".into(),
        );
    } else {
        let read = objects::read_objects(transport, &controllers, apis, query.concurrency).await;
        orphaned = assign(&mut plan.rows, &read.lists, &read.unread);
        plan.warnings.extend(read.warnings);
        problems = read.problems;
    }
    judge(
        &mut plan.rows,
        &plan.shard_set,
        query.read_at,
        previous,
        source.window_seconds,
    );
    Ok(ShardMetrics {
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

/// Scrapes every running pod of the plan, `concurrency` at a time, and puts it in its row.
async fn scrape_pods<T: Transport>(
    transport: &T,
    plan: &mut Plan,
    namespace: &str,
    concurrency: usize,
) {
    let scrape_permission = Resource::pod_proxy_permission(namespace);
    let targets = std::mem::take(&mut plan.targets);
    let scrapes = run_bounded(targets, concurrency, |target| {
        let path = Resource::pod_proxy_path(namespace, &target.pod.name, target.port, "metrics");
        let scrape_permission = &scrape_permission;
        async move {
            let result = get(transport, &path, Accept::Metrics, scrape_permission).await;
            (target, result)
        }
    })
    .await;
    for (target, result) in scrapes {
        let mut pod = target.pod;
        let scrape = result.map_err(|e| e.into()).and_then(|response| {
            let format = if response
                .content_type
                .starts_with("application/openmetrics-text")
            {
                Format::OpenMetrics
            } else {
                Format::Prometheus
            };
            read_scrape(&response.body, format)
        });
        record_scrape(&mut pod, scrape);
        plan.rows[target.row].pods.push(pod);
    }
}

/// Where each pod's series go: the pods listed now, the ReplicaSets and Deployments of the rows.
fn pod_mapper(
    rows: &[DeploymentMetrics],
    targets: &[ScrapeTarget],
    found: &Namespace,
) -> PodMapper {
    let mut mapper = PodMapper::default();
    for (i, row) in rows.iter().enumerate() {
        mapper.deployment(&row.name, i);
        for pod in &row.pods {
            mapper.pod(&pod.name, i);
        }
        if let Some(d) = found
            .deployments
            .iter()
            .find(|d| d.metadata.name == row.name)
        {
            for rs in found
                .replica_sets
                .iter()
                .filter(|rs| rs.metadata.is_owned_by("Deployment", &d.metadata))
            {
                mapper.replica_set(&rs.metadata.name, i);
            }
        }
    }
    for t in targets {
        mapper.pod(&t.pod.name, t.row);
    }
    mapper
}

/// The Deployments a shard set's rows are about: the source, the shards, the inventory's.
fn plan_names(set: &FluxShardSet) -> Vec<String> {
    let source = &set.spec.source_deployment_ref.name;
    let mut names = vec![source.clone()];
    names.extend(
        set.spec
            .shards
            .iter()
            .map(|s| format!("{source}-{}", s.name)),
    );
    let (inventory, _) = set.inventory();
    names.extend(
        inventory
            .into_iter()
            .filter(|id| id.is_deployment())
            .map(|id| id.name),
    );
    names
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
fn controllers_of(rows: &[crate::metrics::DeploymentMetrics], source: &str) -> Vec<String> {
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
    crate::sort::sort_by_key(&mut names, String::clone);
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
                ready,
                message,
            }
        })
        .collect();
    // NUL sorts before every character a namespace may hold: the order of (namespace, name).
    crate::sort::sort_by_key(&mut out, |s| format!("{}\u{0}{}", s.namespace, s.name));
    Ok(out)
}
