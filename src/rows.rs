//! From scraped pods to a finished row: counts merged over the pods, every
//! problem collected, the rate since the previous read. (The verdict comes
//! after, once the objects are assigned: [`crate::verdict`].)

use crate::problem::Problem;
use crate::rates::rate;
use crate::report::{DeploymentMetrics, PodMetrics, PreviousRead};
use crate::scrape::{Counts, Scrape};

/// Fills `pod` from its scrape (or records why there is none).
pub fn record_scrape(pod: &mut PodMetrics, scrape: Result<Scrape, Problem>) {
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
        Err(problem) => pod.set_problem(problem),
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
        .filter(|p| !p.keeps_numbers())
        .map(Problem::described)
        .collect();
    row.error = (!text.is_empty()).then(|| text.join("; "));
    row.rate = previous.and_then(|before| {
        let seconds = (read_at - before.read_at) / 1000.0;
        before.row(&row.name).and_then(|r| rate(row, r, seconds))
    });
}
