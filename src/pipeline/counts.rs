//! The counts source, one step of the read: each running pod's `/metrics`
//! through the API server, or Prometheus over a window. Either way the plan's
//! pods end up in their rows with their counts, and the step says where the
//! numbers came from.

use futures::future::join;

use super::namespace::Namespace;
use crate::exposition::Format;
use crate::kube::Resource;
use crate::options::PrometheusOptions;
use crate::plan::{Plan, ScrapeTarget};
use crate::pool::run_bounded;
use crate::prometheus::{
    apply_rates, place, place_trends, read_trends, read_window, PodMapper, RowRates,
};
use crate::report::{DeploymentMetrics, PreviousRead, Source};
use crate::rows::{record_deleted, record_scrape};
use crate::scrape::read_scrape;
use crate::transport::{get, Accept, Transport};

/// Where the counts come from.
pub(crate) enum CountsSource<'s, P> {
    /// Each running pod's `/metrics`.
    Scrape,
    /// Prometheus; `transport` reaches a Prometheus URL (a Service is reached through the API's).
    Prometheus {
        options: &'s PrometheusOptions,
        transport: Option<&'s P>,
    },
}

/// What the counts step leaves for the steps after it.
pub(crate) struct CountsRead<'r> {
    /// Where the numbers came from.
    pub source: Source,
    /// The earlier read the rates compare with: none over a sliding window.
    pub previous: Option<&'r PreviousRead>,
    /// With Prometheus: each row's rate over the rate window, set once the rows are finished.
    rates: Option<(RowRates, &'r PrometheusOptions)>,
}

impl CountsRead<'_> {
    /// Sets each row's rate from Prometheus' `rate()`, when the counts came from it.
    pub fn apply_rates(&self, rows: &mut [DeploymentMetrics]) {
        if let Some((rates, options)) = &self.rates {
            apply_rates(rows, rates, &options.window.for_rate());
        }
    }
}

/// Reads the counts of every pod of `plan` from `source`.
pub(crate) async fn read_counts<'r, T: Transport, P: Transport>(
    transport: &T,
    source: CountsSource<'r, P>,
    plan: &mut Plan,
    found: &Namespace,
    read_at: f64,
    concurrency: usize,
    previous: Option<&'r PreviousRead>,
) -> CountsRead<'r> {
    let namespace = plan.group.namespace.clone();
    match source {
        CountsSource::Scrape => {
            scrape_pods(transport, plan, &namespace, concurrency, read_at).await;
            CountsRead {
                source: Source::scrape(),
                previous,
                rates: None,
            }
        }
        CountsSource::Prometheus {
            options,
            transport: direct,
        } => {
            let seconds = read_at / 1000.0;
            let (window, trends) = match (&options.location, direct) {
                (crate::promql::Location::Url(_), Some(p)) => {
                    join(
                        read_window(p, options, &namespace, seconds),
                        read_trends(p, options, &namespace, seconds),
                    )
                    .await
                }
                _ => {
                    join(
                        read_window(transport, options, &namespace, seconds),
                        read_trends(transport, options, &namespace, seconds),
                    )
                    .await
                }
            };
            let mapper = pod_mapper(&plan.rows, &plan.targets, found);
            let counted = window.problem.is_none();
            let (source, rates) = place(plan, window, &mapper, options, read_at);
            match trends {
                Ok(trends) => place_trends(&mut plan.rows, &trends, &mapper, &options.labels),
                // Without the counts, their problem says it all.
                Err(p) if counted => plan
                    .warnings
                    .push(format!("Prometheus: the trends are missing: {}", p.message)),
                Err(_) => {}
            }
            // Counts over a sliding window are not compared with an earlier read.
            CountsRead {
                source,
                previous: None,
                rates: Some((rates, options)),
            }
        }
    }
}

/// Scrapes every running pod of the plan, `concurrency` at a time, and puts it in its row. Each
/// body is read as soon as it came and dropped, so that no more than `concurrency` bodies are
/// held at once (the body-size cap times the requests at once, as the README says).
async fn scrape_pods<T: Transport>(
    transport: &T,
    plan: &mut Plan,
    namespace: &str,
    concurrency: usize,
    read_at: f64,
) {
    let scrape_permission = Resource::pod_proxy_permission(namespace);
    let targets = std::mem::take(&mut plan.targets);
    let scrapes = run_bounded(targets, concurrency, |target| {
        let path = Resource::pod_proxy_path(namespace, &target.pod.name, target.port, "metrics");
        let scrape_permission = &scrape_permission;
        async move {
            let result = get(transport, &path, Accept::Metrics, scrape_permission).await;
            // Deleted since the pods were listed: the API server's own 404 for the pod.
            let deleted = matches!(&result, Err(e) if e.is_missing("pods", &target.pod.name));
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
            (target, scrape, deleted)
        }
    })
    .await;
    for (target, scrape, deleted) in scrapes {
        let mut pod = target.pod;
        match scrape {
            Err(problem) if deleted => record_deleted(&mut pod, problem),
            scrape => record_scrape(&mut pod, scrape, read_at),
        }
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
