//! Discovery and scraping over a [`Transport`]: the whole `getShardMetrics`
//! and `listShardSets`, independent of how requests are sent.
//!
//! The API calls per shard set do not grow with the number of shards: the
//! shard set, then the namespace's Deployments, ReplicaSets and Pods
//! (together), then one metrics request per running pod, at most
//! `concurrency` at a time.

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

use futures::future::join3;

use crate::aggregate::{count_scrape, sum_pods};
use crate::discover::plan;
use crate::kube::{
    validate_name, validate_namespace, Deployment, FluxShardSet, List, Pod, ReplicaSet,
};
use crate::metrics::{PodMetrics, ShardMetrics, ShardSetSummary};
use crate::transport::{get, get_json, FetchError, Permission, Transport};

/// The group/version of FluxShardSets.
pub const SHARDSET_API: &str = "/apis/templates.weave.works/v1alpha1";

/// How many metrics requests run at once when not told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;

fn permission(
    verb: &'static str,
    resource: &'static str,
    group: &'static str,
    namespace: Option<&str>,
) -> Permission {
    Permission {
        verb,
        resource,
        group,
        namespace: namespace.map(str::to_string),
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
/// running pod and sums the counts.
///
/// Fails as a whole only when the shard set itself (or the lists of the
/// namespace) cannot be read; a pod that cannot be scraped gets an error in
/// its row and every other row is complete.
pub async fn get_shard_metrics<T: Transport>(
    transport: &T,
    namespace: &str,
    name: &str,
    concurrency: usize,
) -> Result<ShardMetrics, FetchError> {
    validate_namespace(namespace)?;
    validate_name("FluxShardSet name", name)?;
    let ns = Some(namespace);
    let set_path = format!("{SHARDSET_API}/namespaces/{namespace}/fluxshardsets/{name}");
    let set: FluxShardSet = get_json(
        transport,
        &set_path,
        &permission("get", "fluxshardsets", "templates.weave.works", ns),
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
    let deployments_path = format!("/apis/apps/v1/namespaces/{namespace}/deployments");
    let replica_sets_path = format!("/apis/apps/v1/namespaces/{namespace}/replicasets");
    // All the namespace's pods: owner references, not labels, decide which Deployment a pod is of.
    let pods_path = format!("/api/v1/namespaces/{namespace}/pods");
    let (deployments, replica_sets, pods) = join3(
        get_json::<_, List<Deployment>>(
            transport,
            &deployments_path,
            &permission("list", "deployments", "apps", ns),
        ),
        get_json::<_, List<ReplicaSet>>(
            transport,
            &replica_sets_path,
            &permission("list", "replicasets", "apps", ns),
        ),
        get_json::<_, List<Pod>>(transport, &pods_path, &permission("list", "pods", "", ns)),
    )
    .await;
    let (deployments, replica_sets, pods) = (deployments?.items, replica_sets?.items, pods?.items);
    let mut plan = plan(&set, &deployments, &replica_sets, &pods);
    let scrape_permission = permission("get", "pods/proxy", "", ns);
    let targets = std::mem::take(&mut plan.targets);
    let scrapes = run_bounded(targets, concurrency, |target| {
        let path = format!(
            "/api/v1/namespaces/{namespace}/pods/{}:{}/proxy/metrics",
            target.pod, target.port
        );
        let scrape_permission = &scrape_permission;
        async move {
            let result = get(transport, &path, scrape_permission).await;
            (target, result)
        }
    })
    .await;
    let api_calls = 4 + scrapes.len() as u32;
    for (target, result) in scrapes {
        let pod = match result
            .map_err(|e| e.to_string())
            .and_then(|body| count_scrape(&body))
        {
            Ok(counts) => PodMetrics::scraped(
                target.pod,
                target.phase,
                target.ready,
                target.restarts,
                &counts,
            ),
            Err(error) => PodMetrics::failed(
                target.pod,
                target.phase,
                target.ready,
                target.restarts,
                error,
            ),
        };
        plan.rows[target.row].pods.push(pod);
    }
    for row in &mut plan.rows {
        sum_pods(row);
    }
    Ok(ShardMetrics {
        shard_set: plan.shard_set,
        deployments: plan.rows,
        warnings: plan.warnings,
        api_calls,
    })
}

/// Lists the FluxShardSets of `namespace`, or of all namespaces for `None`.
pub async fn list_shard_sets<T: Transport>(
    transport: &T,
    namespace: Option<&str>,
) -> Result<Vec<ShardSetSummary>, FetchError> {
    let path = match namespace {
        Some(ns) => {
            validate_namespace(ns)?;
            format!("{SHARDSET_API}/namespaces/{ns}/fluxshardsets")
        }
        None => format!("{SHARDSET_API}/fluxshardsets"),
    };
    let list: List<FluxShardSet> = get_json(
        transport,
        &path,
        &permission("list", "fluxshardsets", "templates.weave.works", namespace),
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
    use std::cell::Cell;

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
