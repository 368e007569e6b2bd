//! From scraped pods to a finished row: counts merged over the pods, every
//! problem collected, the rate since the previous read. (The verdict comes
//! after, once the objects are assigned: [`crate::verdict`].)

use crate::problem::{Problem, ProblemKind};
use crate::rates::rate;
use crate::report::{DeploymentMetrics, PodMetrics, PreviousRead, STARTUP_GRACE_SECONDS};
use crate::scrape::{Counts, Scrape};
use crate::text::duration;

/// Fills `pod` from its scrape, read at `read_at` (ms since the epoch), or records why there is
/// none. A pod that does not answer because it is going (Terminating; one deleted since the pods
/// were listed is [`record_deleted`]) or has only just started (not Ready, its containers started less than [`STARTUP_GRACE_SECONDS`] ago) is not a failure:
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

/// Records why a pod deleted between the list of pods and its scrape has no metrics (the API
/// server's own 404 for the pod: [`crate::transport::FetchError::is_missing`]): it is going, as a
/// Terminating pod is, and no longer a replica, not failing.
pub fn record_deleted(pod: &mut PodMetrics, mut problem: Problem) {
    pod.terminating = true;
    problem.kind = ProblemKind::Terminating;
    problem.message = format!(
        "deleted since the pods were listed: its metrics could not be read ({})",
        problem.message
    );
    pod.set_problem(problem);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::Resource;
    use crate::transport::FetchError;

    /// A 404 for the scrape of pod p-1, with `said` as the API server's `Status.message`.
    fn not_found(said: &str) -> FetchError {
        FetchError::Http {
            url: "http://127.0.0.1:8001/api/v1/namespaces/flux-system/pods/p-1:8080/proxy/metrics"
                .into(),
            status: 404,
            message: said.into(),
            permission: Box::new(Resource::pod_proxy_permission("flux-system")),
        }
    }

    #[test]
    fn a_pod_deleted_since_the_list_is_going_not_failing() {
        let e = not_found("pods \"p-1\" not found");
        assert!(e.is_missing("pods", "p-1"));
        let mut pod = PodMetrics::new("p-1".into(), "Running".into(), true, 0);
        record_deleted(&mut pod, Problem::from(&e));
        let p = pod.problem.as_ref().unwrap();
        assert_eq!(p.kind, ProblemKind::Terminating);
        assert!(p.is_transient());
        assert!(pod.terminating);
        assert!(p.message.starts_with("deleted since the pods were listed: its metrics could not be read (not found (HTTP 404)"));
    }

    #[test]
    fn a_404_of_the_pod_s_own_server_or_of_another_pod_stays_a_failure() {
        for said in [
            "404 page not found",
            "pods \"p-2\" not found",
            "pods \"p-1\" not found yet",
            "services \"p-1\" not found",
        ] {
            let e = not_found(said);
            assert!(!e.is_missing("pods", "p-1"), "{said}");
            let mut pod = PodMetrics::new("p-1".into(), "Running".into(), true, 0);
            record_scrape(&mut pod, Err(Problem::from(&e)), 1000.0);
            let p = pod.problem.as_ref().unwrap();
            assert_eq!(
                (p.kind, pod.terminating),
                (ProblemKind::NotFound, false),
                "{said}"
            );
        }
    }
}
