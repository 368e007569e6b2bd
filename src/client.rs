//! Discovery and scraping over a [`Transport`]: the whole `getShardMetrics`
//! and `listShardSets`, independent of how requests are sent.
//!
//! The API calls per shard set do not grow with the number of shards: the
//! shard set, then the namespace's Deployments, ReplicaSets and Pods
//! (together), then one metrics request per running pod, at most
//! `concurrency` at a time.

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

use futures::future::join3;

use crate::aggregate::{finish_row, record_scrape};
use crate::discover::plan;
use crate::exposition::Format;
use crate::kube::{
    validate_name, validate_namespace, Deployment, FluxShardSet, List, Pod, ReplicaSet, Resource,
};
use crate::metrics::{PodMetrics, ShardMetrics, ShardSetSummary};
use crate::options::DEFAULT_CONCURRENCY;
use crate::rates::PreviousRead;
use crate::scrape::read_scrape;
use crate::transport::{get, get_json, FetchError, Response, Transport, TransportError};

/// A [`Transport`] that counts the requests it passes on.
pub struct CountingTransport<'t, T> {
    inner: &'t T,
    count: Cell<u32>,
}

impl<'t, T: Transport> CountingTransport<'t, T> {
    /// Wraps `inner`.
    pub fn new(inner: &'t T) -> Self {
        CountingTransport {
            inner,
            count: Cell::new(0),
        }
    }

    /// Requests sent so far.
    pub fn count(&self) -> u32 {
        self.count.get()
    }
}

impl<T: Transport> Transport for CountingTransport<'_, T> {
    async fn get(&self, path: &str) -> Result<Response, TransportError> {
        self.count.set(self.count.get() + 1);
        self.inner.get(path).await
    }
    fn url(&self, path: &str) -> String {
        self.inner.url(path)
    }
}

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
        }
    }
}

/// Runs `task` over `items`, at most `limit` at a time, and returns the
/// results in the order of `items`. A handful of workers take items from a
/// shared queue and are polled together: 20 KB smaller in wasm than
/// `buffer_unordered` or `join_all`, and the same on a single-threaded runtime.
pub async fn run_bounded<I, O, F, Fut>(items: Vec<I>, limit: usize, task: F) -> Vec<O>
where
    F: Fn(I) -> Fut,
    Fut: Future<Output = O>,
{
    let count = items.len();
    let queue = RefCell::new(items.into_iter().enumerate());
    let results: RefCell<Vec<Option<O>>> = RefCell::new((0..count).map(|_| None).collect());
    {
        let worker = || async {
            loop {
                let next = queue.borrow_mut().next();
                let Some((index, item)) = next else { break };
                let out = task(item).await;
                results.borrow_mut()[index] = Some(out);
            }
        };
        type Worker<'w> = Pin<Box<dyn Future<Output = ()> + 'w>>;
        let mut workers: Vec<Worker<'_>> = (0..limit.clamp(1, count.max(1)))
            .map(|_| Box::pin(worker()) as Worker<'_>)
            .collect();
        poll_fn(|cx| {
            workers.retain_mut(|w| w.as_mut().poll(cx).is_pending());
            if workers.is_empty() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
    }
    results
        .into_inner()
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}

/// Reads a FluxShardSet, finds its Deployments and their pods, scrapes every
/// running pod, sums the counts and decides each row's status.
///
/// Fails as a whole only when the shard set itself (or the lists of the
/// namespace) cannot be read; a pod that cannot be scraped gets a problem in
/// its row and every other row is complete.
pub async fn get_shard_metrics<T: Transport>(
    transport: &T,
    query: &Query<'_>,
) -> Result<ShardMetrics, FetchError> {
    let (namespace, name) = (query.namespace, query.name);
    validate_namespace(namespace)?;
    validate_name("FluxShardSet name", name)?;
    let transport = &CountingTransport::new(transport);
    let ns = Some(namespace);
    let sets = &Resource::FLUX_SHARD_SETS;
    let set: FluxShardSet = get_json(
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
    // All the namespace's pods: owner references, not labels, decide which Deployment a pod is of.
    let list = |r: Resource| (r.list_path(ns), r.permission("list", ns));
    let (deployments, replica_sets, pods) = (
        list(Resource::DEPLOYMENTS),
        list(Resource::REPLICA_SETS),
        list(Resource::PODS),
    );
    let (deployments, replica_sets, pods) = join3(
        get_json::<_, List<Deployment>>(transport, &deployments.0, &deployments.1),
        get_json::<_, List<ReplicaSet>>(transport, &replica_sets.0, &replica_sets.1),
        get_json::<_, List<Pod>>(transport, &pods.0, &pods.1),
    )
    .await;
    let (deployments, replica_sets, pods) = (deployments?.items, replica_sets?.items, pods?.items);
    let mut plan = plan(&set, &deployments, &replica_sets, &pods);
    let scrape_permission = Resource::pod_proxy_permission(namespace);
    let targets = std::mem::take(&mut plan.targets);
    let scrapes = run_bounded(targets, query.concurrency, |target| {
        let path = Resource::pod_proxy_path(namespace, &target.pod, target.port, "metrics");
        let scrape_permission = &scrape_permission;
        async move {
            let result = get(transport, &path, scrape_permission).await;
            (target, result)
        }
    })
    .await;
    for (target, result) in scrapes {
        let mut pod = PodMetrics::new(target.pod, target.phase, target.ready, target.restarts);
        let scrape = result
            .map_err(|e| e.into())
            .and_then(|body| read_scrape(&body, Format::Prometheus));
        record_scrape(&mut pod, scrape);
        plan.rows[target.row].pods.push(pod);
    }
    for row in &mut plan.rows {
        finish_row(row, query.previous, query.read_at);
    }
    Ok(ShardMetrics {
        shard_set: plan.shard_set,
        deployments: plan.rows,
        warnings: plan.warnings,
        api_calls: transport.count(),
        read_at: query.read_at,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_keeps_order_and_limit() {
        let running = Cell::new(0);
        let peak = Cell::new(0);
        let out = futures::executor::block_on(run_bounded((0..20).collect(), 3, |i: u32| {
            let (running, peak) = (&running, &peak);
            async move {
                running.set(running.get() + 1);
                peak.set(peak.get().max(running.get()));
                // Yield once so that other workers run in between.
                let mut yielded = false;
                futures::future::poll_fn(|cx| {
                    if yielded {
                        std::task::Poll::Ready(())
                    } else {
                        yielded = true;
                        cx.waker().wake_by_ref();
                        std::task::Poll::Pending
                    }
                })
                .await;
                running.set(running.get() - 1);
                i * 2
            }
        }));
        assert_eq!(out, (0..20).map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(peak.get(), 3);
        assert_eq!(
            futures::executor::block_on(run_bounded(Vec::<u8>::new(), 4, |i| async move { i })),
            Vec::<u8>::new()
        );
    }
}
