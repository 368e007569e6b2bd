//! Prometheus' answers put into the plan's rows: each running pod gets its
//! window, pods that no longer exist join their Deployment's row as `Deleted`,
//! and each row gets the rate over the last minutes.

use super::{PodMapper, WindowRead};
use crate::exposition::Format;
use crate::options::PrometheusOptions;
use crate::plan::Plan;
use crate::problem::{Problem, ProblemKind};
use crate::promql::Window;
use crate::report::{DeploymentMetrics, PodMetrics, Rate, Source, SourceKind, DELETED};
use crate::rows::record_scrape;
use crate::scrape::read_scrape;
use crate::verdict::STARTUP_GRACE_SECONDS;

/// Reconciliations and errors per second of each row over the rate window; `None` without a series.
pub type RowRates = Vec<Option<(f64, f64)>>;

/// Puts `read` into `plan`'s rows; returns where the numbers came from and each row's rate.
pub fn place(
    plan: &mut Plan,
    read: WindowRead,
    mapper: &PodMapper,
    options: &PrometheusOptions,
    read_at: f64,
) -> (Source, RowRates) {
    let WindowRead {
        mut pods,
        problem,
        warnings,
        queries,
        url,
    } = read;
    plan.warnings.extend(warnings);
    let mut rates: RowRates = vec![None; plan.rows.len()];
    let mut add_rate = |row: usize, r: f64, e: f64| {
        let slot = rates[row].get_or_insert((0.0, 0.0));
        slot.0 += r;
        slot.1 += e;
    };
    for target in std::mem::take(&mut plan.targets) {
        let mut pod = target.pod;
        match pods.remove(&pod.name) {
            Some(window) => {
                add_rate(target.row, window.reconciliations_per_second, window.errors_per_second);
                record_scrape(
                    &mut pod,
                    read_scrape(&window.text, Format::Prometheus),
                    read_at,
                );
            }
            None => match &problem {
                Some(p) => pod.set_problem(p.clone()),
                // Prometheus may not have scraped a pod that just started, nor may scrape one that is going.
                None if pod.terminating => {}
                None if pod.start_time.is_some_and(|s| read_at / 1000.0 - s < STARTUP_GRACE_SECONDS) => {}
                None => pod.set_problem(Problem::new(
                    ProblemKind::NoSeries,
                    format!(
                        "no series in Prometheus for this pod in the last {} ({}=\"{}\"): is it scraped?",
                        options.window.text, options.labels.pod, pod.name
                    ),
                )),
            },
        }
        plan.rows[target.row].pods.push(pod);
    }
    // Pods listed but not running (finished, pending) keep what they did in the window.
    for (i, row) in plan.rows.iter_mut().enumerate() {
        for pod in &mut row.pods {
            if let Some(window) = pods.remove(&pod.name) {
                if let Ok(s) = read_scrape(&window.text, Format::Prometheus) {
                    pod.counts = s.counts;
                }
                add_rate(
                    i,
                    window.reconciliations_per_second,
                    window.errors_per_second,
                );
            }
        }
    }
    // Pods that no longer exist: restarted, rolled, evicted within the window.
    // By name: the windows are sorted.
    let gone: Vec<(String, usize)> = pods
        .names()
        .filter_map(|name| mapper.row_of(name).map(|(row, _)| (name.to_string(), row)))
        .collect();
    for (name, row) in &gone {
        let window = &pods[name.as_str()];
        let mut pod = PodMetrics::new(name.clone(), DELETED.into(), false, 0);
        pod.finished = true;
        pod.reason = Some(format!(
            "no longer in the cluster; its series in the last {} are counted",
            options.window.text
        ));
        if let Ok(s) = read_scrape(&window.text, Format::Prometheus) {
            pod.scraped = true;
            pod.counts = s.counts;
            pod.start_time = s.start_time;
        }
        add_rate(
            *row,
            window.reconciliations_per_second,
            window.errors_per_second,
        );
        plan.rows[*row].pods.push(pod);
    }
    explain_unscraped_shards(plan);
    let source = Source {
        kind: SourceKind::Prometheus,
        window: Some(options.window.text.clone()),
        window_seconds: Some(options.window.seconds),
        url: Some(url),
        queries,
        gone_pods: gone.len() as u32,
    };
    (source, rates)
}

/// Sets each row's rate from Prometheus' `rate()` over `window`.
pub fn apply_rates(rows: &mut [DeploymentMetrics], rates: &RowRates, window: &Window) {
    for (row, rate) in rows.iter_mut().zip(rates) {
        row.rate = rate.map(|(r, e)| Rate {
            seconds: window.seconds,
            reconciliations_per_minute: r * 60.0,
            errors_per_minute: e * 60.0,
            restarted: false,
            window: Some(window.text.clone()),
        });
    }
}

/// When the main controller has series and a running shard pod has none, and the group's shard pods
/// carry their own `app` label (the Flux Operator's and Flux's sharding guide's, unlike
/// flux-shard-controller's copies), says why they may be left out: a PodMonitor that selects
/// `app in (source-controller, …)`, as the flux2-monitoring-example does, never scrapes them.
fn explain_unscraped_shards(plan: &mut Plan) {
    if plan.group.kind == crate::report::GroupKind::FluxShardSet {
        return;
    }
    let main_has_series = plan
        .rows
        .iter()
        .any(|r| r.role == crate::report::Role::Source && r.pods.iter().any(|p| p.scraped));
    if !main_has_series {
        return;
    }
    let controller = plan.group.controller.clone();
    for row in plan
        .rows
        .iter_mut()
        .filter(|r| r.role == crate::report::Role::Shard)
    {
        let name = row.name.clone();
        for pod in row.pods.iter_mut() {
            if let Some(p) = pod
                .problem
                .as_mut()
                .filter(|p| p.kind == ProblemKind::NoSeries)
            {
                p.message = format!(
                    "{} The main controller's pods have series, but shard pods are labelled app: {name}, and a PodMonitor that selects app in ({controller}, …) — as the flux2-monitoring-example does — leaves them out: select them too (e.g. app.kubernetes.io/component: {controller}).",
                    p.message
                );
                pod.error = Some(p.message.clone());
            }
        }
    }
}
