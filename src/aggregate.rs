//! From one pod's /metrics text to its counts, and from pods to a Deployment row.

use std::collections::BTreeMap;

use crate::exposition::{parse, Format};
use crate::fxhash::FxMap;
use crate::metrics::{ControllerCounts, DeploymentMetrics, PodMetrics};

/// The counter every controller-runtime controller exports.
pub const RECONCILE_TOTAL: &str = "controller_runtime_reconcile_total";
const LEADER: &str = "leader_election_master_status";
const START_TIME: &str = "process_start_time_seconds";

/// What one scrape says about a pod.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodCounts {
    /// Sum of `controller_runtime_reconcile_total`.
    pub reconciliations: f64,
    /// The same over `result="error"`.
    pub errors: f64,
    /// Per `result`.
    pub by_result: BTreeMap<String, f64>,
    /// Per `controller`, sorted by name.
    pub by_controller: Vec<ControllerCounts>,
    /// `leader_election_master_status` (max over leases).
    pub leader: Option<bool>,
    /// `process_start_time_seconds`.
    pub start_time: Option<f64>,
    /// Lines of the scrape that did not parse (they are left out of the counts).
    pub parse_errors: usize,
    /// The first of them, for the message.
    pub first_parse_error: Option<String>,
}

/// Reads the counts out of a /metrics body.
///
/// Fails when the body is not metrics text at all (no line parsed and the
/// first one is an error: an HTML login page, a JSON error); bad lines in an
/// otherwise good scrape are counted, not fatal.
///
/// # Examples
///
/// ```
/// use flux_shard_metrics::aggregate::count_scrape;
/// let counts = count_scrape(
///     "controller_runtime_reconcile_total{controller=\"gitrepository\",result=\"success\"} 498\n\
///      controller_runtime_reconcile_total{controller=\"gitrepository\",result=\"error\"} 2\n\
///      leader_election_master_status{name=\"source-controller-leader-election\"} 1\n",
/// ).unwrap();
/// assert_eq!((counts.reconciliations, counts.errors, counts.leader), (500.0, 2.0, Some(true)));
/// ```
pub fn count_scrape(body: &str) -> Result<PodCounts, String> {
    let parsed = parse(body, Format::Prometheus);
    if parsed.families.is_empty() {
        if let Some(first) = parsed.errors.first() {
            let start: String = body.trim_start().chars().take(40).collect();
            return Err(format!(
                "the response is not Prometheus metrics text ({first}; it starts with {start:?})"
            ));
        }
    }
    let mut counts = PodCounts {
        parse_errors: parsed.errors.len(),
        first_parse_error: parsed.errors.first().map(|e| e.to_string()),
        ..PodCounts::default()
    };
    let mut controllers = ControllerSums::default();
    for family in &parsed.families {
        match &*family.name {
            RECONCILE_TOTAL => {
                for s in &family.samples {
                    if !s.value.is_finite() {
                        continue;
                    }
                    let result = s.label("result").unwrap_or("");
                    let controller = s.label("controller").unwrap_or("");
                    let error = if result == "error" { s.value } else { 0.0 };
                    counts.reconciliations += s.value;
                    counts.errors += error;
                    *counts.by_result.entry(result.to_string()).or_default() += s.value;
                    controllers.add(controller, s.value, error);
                }
            }
            LEADER => {
                let leader = family.samples.iter().any(|s| s.value == 1.0);
                if !family.samples.is_empty() {
                    counts.leader = Some(leader);
                }
            }
            START_TIME => {
                counts.start_time = family
                    .samples
                    .first()
                    .map(|s| s.value)
                    .filter(|v| v.is_finite())
            }
            _ => {}
        }
    }
    counts.by_controller = controllers.into_sorted();
    Ok(counts)
}

/// Per-controller sums, indexed by name so that a scrape with very many
/// distinct `controller` values stays linear; sorted by name once at the end.
#[derive(Default)]
struct ControllerSums<'s> {
    index: FxMap<&'s str, u32>,
    list: Vec<ControllerCounts>,
}

impl<'s> ControllerSums<'s> {
    fn add(&mut self, controller: &'s str, reconciliations: f64, errors: f64) {
        if let Some(&i) = self.index.get(controller) {
            let c = &mut self.list[i as usize];
            c.reconciliations += reconciliations;
            c.errors += errors;
        } else {
            self.index.insert(controller, self.list.len() as u32);
            self.list.push(ControllerCounts {
                controller: controller.to_string(),
                reconciliations,
                errors,
            });
        }
    }

    fn into_sorted(mut self) -> Vec<ControllerCounts> {
        crate::sort::sort_by_key(&mut self.list, |c| c.controller.clone());
        self.list
    }
}

impl PodMetrics {
    /// A pod whose scrape succeeded.
    pub fn scraped(
        name: String,
        phase: String,
        ready: bool,
        restarts: u32,
        counts: &PodCounts,
    ) -> PodMetrics {
        let error = counts.first_parse_error.as_ref().map(|first| {
            format!(
                "{} line(s) of its metrics did not parse and were left out; the first: {first}",
                counts.parse_errors
            )
        });
        PodMetrics {
            name,
            phase,
            ready,
            restarts,
            scraped: true,
            reconciliations: counts.reconciliations,
            errors: counts.errors,
            by_result: counts.by_result.clone(),
            by_controller: counts.by_controller.clone(),
            leader: counts.leader,
            start_time: counts.start_time,
            error,
        }
    }

    /// A pod without numbers, with the reason.
    pub fn failed(
        name: String,
        phase: String,
        ready: bool,
        restarts: u32,
        error: String,
    ) -> PodMetrics {
        PodMetrics {
            name,
            phase,
            ready,
            restarts,
            scraped: false,
            reconciliations: 0.0,
            errors: 0.0,
            by_result: BTreeMap::new(),
            by_controller: Vec::new(),
            leader: None,
            start_time: None,
            error: Some(error),
        }
    }
}

/// Sums the pods into the Deployment's totals and breakdowns (pods sorted by
/// name, so the result does not depend on the order they were read in), and
/// names the pods that have no numbers in the row's `error`.
pub fn sum_pods(row: &mut DeploymentMetrics) {
    crate::sort::sort_by_key(&mut row.pods, |p| p.name.clone());
    row.reconciliations = 0.0;
    row.errors = 0.0;
    row.by_result.clear();
    let mut controllers = ControllerSums::default();
    for pod in &row.pods {
        row.reconciliations += pod.reconciliations;
        row.errors += pod.errors;
        for (result, v) in &pod.by_result {
            *row.by_result.entry(result.clone()).or_default() += v;
        }
        for c in &pod.by_controller {
            controllers.add(&c.controller, c.reconciliations, c.errors);
        }
    }
    let by_controller = controllers.into_sorted();
    row.by_controller = by_controller;
    let pod_errors: Vec<String> = row
        .pods
        .iter()
        .filter(|p| !p.scraped)
        .filter_map(|p| p.error.as_ref().map(|e| format!("pod {}: {e}", p.name)))
        .collect();
    if !pod_errors.is_empty() {
        let joined = pod_errors.join("; ");
        row.error = Some(match row.error.take() {
            Some(existing) => format!("{existing}; {joined}"),
            None => joined,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_result_and_controller() {
        let body = include_str!("../tests/fixtures/source-controller.prom");
        let c = count_scrape(body).unwrap();
        assert_eq!(c.reconciliations, 7472.0);
        assert_eq!(c.errors, 6.0);
        assert_eq!(c.by_result["success"], 7451.0);
        assert_eq!(c.by_result["requeue_after"], 15.0);
        assert_eq!(
            c.by_controller[1],
            ControllerCounts {
                controller: "gitrepository".into(),
                reconciliations: 4226.0,
                errors: 3.0
            }
        );
        assert_eq!(c.leader, Some(true));
        assert_eq!(c.start_time, Some(1732780000.47));
        assert_eq!(c.parse_errors, 0);
    }

    #[test]
    fn html_is_not_metrics() {
        let err = count_scrape("<!DOCTYPE html>\n<html><body>Sign in</body></html>\n").unwrap_err();
        assert_eq!(
            err,
            "the response is not Prometheus metrics text (unexpected character `<` at 1:1; it starts with \"<!DOCTYPE html>\\n<html><body>Sign in</bod\")"
        );
    }

    #[test]
    fn a_bad_line_is_counted_not_fatal() {
        let c = count_scrape(
            "controller_runtime_reconcile_total{controller=\"a\",result=\"success\"} 3\nbroken{\n",
        )
        .unwrap();
        assert_eq!((c.reconciliations, c.parse_errors), (3.0, 1));
    }

    #[test]
    fn no_reconcile_counter_means_zero() {
        let c = count_scrape("go_goroutines 5\n").unwrap();
        assert_eq!(
            (c.reconciliations, c.leader, c.start_time),
            (0.0, None, None)
        );
    }
}
