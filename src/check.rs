//! What `flux-shard-metrics get --check` fails on, decided here for the CLI and
//! every other caller: rows whose status means they are not doing the work
//! they were given and no waiting will fix it ([`Status::fails_check`]),
//! objects whose key names no shard, so that nobody reconciles them, objects
//! two Deployments reconcile, and dependencies split across shards.

use crate::report::{DeploymentMetrics, Orphaned, Overlap, SplitDependency, Status};

/// One sentence per failure, rows first; empty when the check passes.
///
/// ```
/// use flux_shard_metrics::check::check_failures;
/// use flux_shard_metrics::report::{DeploymentMetrics, Orphaned, Role, Status};
/// let mut row = DeploymentMetrics::new("src-a", "ns", Role::Shard, Some("a".into()), true);
/// row.status = Status::Stuck;
/// let orphaned = [Orphaned { key: "gone".into(), count: 2, by_kind: Default::default(), examples: vec![] }];
/// assert_eq!(check_failures(&[row], &orphaned, &[], &[], "sharding.fluxcd.io/key"), [
///     "src-a is stuck",
///     "2 object(s) carry a sharding.fluxcd.io/key that names no shard (gone)",
/// ]);
/// ```
pub fn check_failures(
    rows: &[DeploymentMetrics],
    orphaned: &[Orphaned],
    overlaps: &[Overlap],
    split: &[SplitDependency],
    key: &str,
) -> Vec<String> {
    let mut failures: Vec<String> = rows
        .iter()
        .filter(|d| d.status.fails_check())
        .map(|d| format!("{} is {}", d.name, d.status.name()))
        .collect();
    let (unkeyed, keyed): (Vec<&Orphaned>, Vec<&Orphaned>) =
        orphaned.iter().partition(|o| o.key.is_empty());
    let count: u32 = keyed.iter().map(|o| o.count).sum();
    if count > 0 {
        let keys: Vec<&str> = keyed.iter().map(|o| o.key.as_str()).collect();
        failures.push(format!(
            "{count} object(s) carry a {key} that names no shard ({})",
            keys.join(", ")
        ));
    }
    for o in unkeyed {
        failures.push(format!(
            "{} object(s) without {key} are selected by no Deployment of this group (e.g. {})",
            o.count,
            o.examples.join(", ")
        ));
    }
    for o in overlaps {
        failures.push(format!(
            "{} object(s) are reconciled by each of {}",
            o.count,
            o.deployments.join(", ")
        ));
    }
    for s in split {
        failures.push(s.reason.clone());
    }
    failures
}

/// The statuses on which the check fails, most severe first.
pub fn failing_statuses() -> impl Iterator<Item = Status> {
    Status::ALL.into_iter().filter(|s| s.fails_check())
}
