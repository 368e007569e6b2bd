//! One pod's `/metrics` body: its [`Counts`] (what its controllers did, the
//! unit of aggregation) and the facts about the pod itself (leader or
//! standby, start time).

mod controllers;
mod counts;
mod histogram;

pub use controllers::ControllerCounts;
pub use counts::{
    Counts, ACTIVE_WORKERS, MAX_WORKERS, RECONCILE_TIME_BUCKET, RECONCILE_TOTAL, WORKQUEUE_DEPTH,
};
pub use histogram::Histogram;

use crate::exposition::{parse, Exposition, Format};
use crate::problem::{Problem, ProblemKind};

/// `leader_election_master_status`: 1 on the pod that holds the lease.
pub const LEADER: &str = "leader_election_master_status";
/// `process_start_time_seconds`.
pub const PROCESS_START_TIME: &str = "process_start_time_seconds";

/// What a pod's scrape says.
#[derive(Debug, Clone, PartialEq)]
pub struct Scrape {
    /// The work done.
    pub counts: Counts,
    /// `leader_election_master_status` (1 on any lease = leader); `None` when not reported.
    pub leader: Option<bool>,
    /// `process_start_time_seconds`.
    pub start_time: Option<f64>,
    /// Whether `controller_runtime_reconcile_total` is present at all. It is
    /// registered when the controllers start, after the leader lease is won,
    /// so a standby replica has none.
    pub reports_reconciles: bool,
    /// Lines that did not parse (left out of the counts), as one problem.
    pub bad_lines: Option<Problem>,
}

/// Reads a pod's scrape.
///
/// Fails when the body is not metrics text at all (no line parsed and the
/// first one is an error: an HTML login page, a JSON error); bad lines in an
/// otherwise good scrape are reported in [`Scrape::bad_lines`], not fatal.
///
/// # Examples
///
/// ```
/// use flux_shard_metrics::scrape::read_scrape;
/// use flux_shard_metrics::exposition::Format;
/// let scrape = read_scrape(
///     "controller_runtime_reconcile_total{controller=\"gitrepository\",result=\"success\"} 498\n\
///      controller_runtime_reconcile_total{controller=\"gitrepository\",result=\"error\"} 2\n\
///      leader_election_master_status{name=\"source-controller-leader-election\"} 1\n",
///     Format::Prometheus,
/// ).unwrap();
/// assert_eq!((scrape.counts.reconciliations, scrape.counts.errors, scrape.leader), (500.0, 2.0, Some(true)));
/// ```
pub fn read_scrape(body: &str, format: Format) -> Result<Scrape, Problem> {
    let parsed = parse(body, format);
    if parsed.families.is_empty() {
        if let Some(first) = parsed.errors.first() {
            let start: String = body.trim_start().chars().take(40).collect();
            return Err(Problem::new(
                ProblemKind::NotMetrics,
                format!(
                    "the response is not Prometheus metrics text ({first}; it starts with {start:?})"
                ),
            ));
        }
    }
    let bad_lines = parsed.errors.first().map(|first| {
        Problem::new(
            ProblemKind::BadLines,
            format!(
                "{} line(s) of its metrics did not parse and were left out; the first: {first}",
                parsed.errors.len()
            ),
        )
    });
    Ok(Scrape {
        counts: Counts::from_exposition(&parsed),
        leader: leader(&parsed),
        start_time: start_time(&parsed),
        reports_reconciles: parsed
            .families
            .iter()
            .any(|f| f.samples.iter().any(|s| s.name == RECONCILE_TOTAL)),
        bad_lines,
    })
}

fn samples_named<'p>(parsed: &'p Exposition<'_>, name: &'p str) -> impl Iterator<Item = f64> + 'p {
    parsed
        .families
        .iter()
        .flat_map(|f| &f.samples)
        .filter(move |s| s.name == name)
        .map(|s| s.value)
}

fn leader(parsed: &Exposition<'_>) -> Option<bool> {
    let mut seen = false;
    for v in samples_named(parsed, LEADER) {
        if v == 1.0 {
            return Some(true);
        }
        seen = true;
    }
    seen.then_some(false)
}

fn start_time(parsed: &Exposition<'_>) -> Option<f64> {
    samples_named(parsed, PROCESS_START_TIME)
        .next()
        .filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Result<Scrape, Problem> {
        read_scrape(body, Format::Prometheus)
    }

    #[test]
    fn the_fixture() {
        let s = read(include_str!("../tests/fixtures/source-controller.prom")).unwrap();
        assert_eq!(s.counts.reconciliations, 7472.0);
        assert_eq!(s.leader, Some(true));
        assert_eq!(s.start_time, Some(1732780000.47));
        assert!(s.reports_reconciles);
        assert_eq!(s.bad_lines, None);
    }

    #[test]
    fn html_is_not_metrics() {
        let err = read("<!DOCTYPE html>\n<html><body>Sign in</body></html>\n").unwrap_err();
        assert_eq!(err.kind, ProblemKind::NotMetrics);
        assert_eq!(
            err.message,
            "the response is not Prometheus metrics text (unexpected character `<` at 1:1; it starts with \"<!DOCTYPE html>\\n<html><body>Sign in</bod\")"
        );
    }

    #[test]
    fn a_bad_line_is_reported_not_fatal() {
        let s = read(
            "controller_runtime_reconcile_total{controller=\"a\",result=\"success\"} 3\nbroken{\n",
        )
        .unwrap();
        assert_eq!(s.counts.reconciliations, 3.0);
        let bad = s.bad_lines.unwrap();
        assert_eq!(bad.kind, ProblemKind::BadLines);
        assert!(bad
            .message
            .starts_with("1 line(s) of its metrics did not parse"));
    }

    #[test]
    fn a_standby_replica_reports_no_reconciles() {
        let s = read("leader_election_master_status{name=\"lease\"} 0\ngo_goroutines 5\n").unwrap();
        assert_eq!(
            (
                s.counts.reconciliations,
                s.leader,
                s.reports_reconciles,
                s.start_time
            ),
            (0.0, Some(false), false, None)
        );
    }
}
