//! From scraped pods to a finished row: counts merged over the pods, every
//! problem collected, the rate since the previous read. (The verdict comes
//! after, once the objects are assigned: [`crate::verdict`].)

use crate::problem::{Problem, ProblemKind};
use crate::rates::rate;
use crate::report::{DeploymentMetrics, PodMetrics, PreviousRead, STARTUP_GRACE_SECONDS};
use crate::scrape::{Counts, Scrape};
use crate::text::duration;

/// Fills `pod` from its scrape, read at `read_at` (ms since the epoch), or records why there is
/// none. A pod that does not answer because it is going (Terminating) or has only just started
/// (not Ready, its containers started less than [`STARTUP_GRACE_SECONDS`] ago) is not a failure:
/// the API server's pod proxy says `connection refused` for both, as for a pod that is broken.
///
/// ```
/// use flux_shard_metrics::problem::{Problem, ProblemKind};
/// use flux_shard_metrics::report::PodMetrics;
/// use flux_shard_metrics::rows::record_scrape;
/// let mut pod = PodMetrics::new("p".into(), "Running".into(), false, 0);
/// pod.start_time = Some(100.0);
/// record_scrape(&mut pod, Err(Problem::new(ProblemKind::ProxyFailed, "connection refused")), 103_000.0);
/// let p = pod.problem.unwrap();
/// assert_eq!((p.kind, p.message.as_str()), (ProblemKind::Starting, "started 3 s ago and not Ready yet: its metrics do not answer yet (connection refused)"));
/// ```
pub fn record_scrape(pod: &mut PodMetrics, scrape: Result<Scrape, Problem>, read_at: f64) {
    match scrape {
        Ok(s) => {
            pod.scraped = true;
            pod.counts = s.counts;
            pod.leader = s.leader;
            pod.start_time = s.start_time.or(pod.start_time);
            if let Some(bad) = s.bad_lines {
                pod.set_problem(bad);
            }
        }
        Err(mut problem) => {
            let no_answer = matches!(
                problem.kind,
                ProblemKind::ProxyFailed | ProblemKind::Unreachable | ProblemKind::Timeout
            );
            let age = pod.start_time.map(|s| read_at / 1000.0 - s);
            if pod.terminating {
                problem.kind = ProblemKind::Terminating;
                problem.message = format!(
                    "terminating (being deleted): its metrics could not be read ({})",
                    problem.message
                );
            } else if let Some(age) =
                age.filter(|&a| no_answer && !pod.ready && a < STARTUP_GRACE_SECONDS)
            {
                problem.kind = ProblemKind::Starting;
                problem.message = format!(
                    "started {} ago and not Ready yet: its metrics do not answer yet ({})",
                    duration(age),
                    problem.message
                );
            }
            pod.set_problem(problem);
        }
    }
}

/// Finishes a row whose pods are all in: pods sorted by name (so the result
/// does not depend on the order they were read in), counts merged over the
/// pods, the pods' problems added to the row's, and the rate since `previous`
/// (read `previous.read_at`, this one at `read_at`).
pub fn finish_row(row: &mut DeploymentMetrics, previous: Option<&PreviousRead>, read_at: f64) {
    crate::sort::sort_by(&mut row.pods, |a, b| a.name.cmp(&b.name));
    let mut counts = Counts::default();
    for pod in &row.pods {
        counts.merge(&pod.counts);
    }
    row.counts = counts;
    row.leader = row
        .pods
        .iter()
        .find(|p| p.leader == Some(true))
        .map(|p| p.name.clone());
    let pod_problems: Vec<Problem> = row
        .pods
        .iter()
        .filter_map(|p| p.problem.clone().map(|problem| problem.for_pod(&p.name)))
        .collect();
    row.problems.extend(pod_problems);
    let text: Vec<String> = row
        .problems
        .iter()
        .filter(|p| !p.keeps_numbers() && !p.is_transient())
        .map(Problem::described)
        .collect();
    row.error = (!text.is_empty()).then(|| text.join("; "));
    row.rate = previous.and_then(|before| {
        let seconds = (read_at - before.read_at) / 1000.0;
        before.row(&row.name).and_then(|r| rate(row, r, seconds))
    });
}
