//! Rates between two reads of the same shard set: reconciliations and errors
//! per minute, per pod so that a restart (a counter that went down) or a new
//! pod counts from zero, as Prometheus' `rate()` reads counter resets.

use crate::report::{DeploymentMetrics, PreviousRow, Rate};

/// The rate of `row` since `previous`, read `seconds` earlier (`None` when `seconds` ≤ 0).
///
/// ```
/// use flux_shard_metrics::report::{DeploymentMetrics, PodMetrics, PreviousRow, Role};
/// use flux_shard_metrics::rates::rate;
/// let mut row = DeploymentMetrics::new("shard1", "flux-system", Role::Shard, Some("shard1".into()), true);
/// let mut pod = PodMetrics::new("shard1-abc".into(), "Running".into(), true, 0);
/// pod.scraped = true;
/// pod.counts.reconciliations = 130.0;
/// row.pods.push(pod);
/// let before = PreviousRow { name: "shard1".into(), pods: vec![("shard1-abc".into(), 100.0, 0.0)], workqueue_depth: None };
/// let r = rate(&row, &before, 30.0).unwrap();
/// assert_eq!((r.reconciliations_per_minute, r.restarted), (60.0, false));
/// ```
pub fn rate(row: &DeploymentMetrics, previous: &PreviousRow, seconds: f64) -> Option<Rate> {
    if seconds.is_nan() || seconds <= 0.0 {
        return None;
    }
    let mut reconciliations = 0.0;
    let mut errors = 0.0;
    let mut restarted = false;
    for pod in row.pods.iter().filter(|p| p.scraped) {
        let now = (pod.counts.reconciliations, pod.counts.errors);
        match previous.pods.iter().find(|(name, ..)| *name == pod.name) {
            Some(&(_, then_r, then_e)) if now.0 >= then_r && now.1 >= then_e => {
                reconciliations += now.0 - then_r;
                errors += now.1 - then_e;
            }
            // A counter that went down was reset (a restart); a pod not seen
            // before started since the previous read: both count from zero.
            _ => {
                reconciliations += now.0;
                errors += now.1;
                restarted = true;
            }
        }
    }
    Some(Rate {
        seconds,
        reconciliations_per_minute: reconciliations * 60.0 / seconds,
        errors_per_minute: errors * 60.0 / seconds,
        restarted,
        window: None,
    })
}
