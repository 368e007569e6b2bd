//! The rules, one function per status, most severe first; each says why it
//! applies, for a person, or `None`.

use super::{Context, ERROR_SHARE, STARTUP_GRACE_SECONDS};
use crate::kube::{Selector, RUNNING};
use crate::problem::{Problem, ProblemKind};
use crate::report::{
    DeploymentMetrics, GroupKind, GroupRef, ObjectCounts, PodMetrics, Role, Status,
};
use crate::text::{count, duration, percent};

/// A row and what it is judged against.
pub(super) struct Facts<'r> {
    pub(super) row: &'r DeploymentMetrics,
    pub(super) ctx: Context<'r>,
}

type Rule = fn(&Facts<'_>) -> Option<String>;

/// The rules in order of severity.
pub(super) const RULES: [(Status, Rule); 7] = [
    (Status::Missing, missing),
    (Status::Pending, pending),
    (Status::Misconfigured, misconfigured),
    (Status::Unreachable, unreachable),
    (Status::Stuck, stuck),
    (Status::Erroring, erroring),
    (Status::Idle, idle),
];

fn is_absence(kind: ProblemKind) -> bool {
    matches!(
        kind,
        ProblemKind::NotInInventory | ProblemKind::DeploymentMissing | ProblemKind::NoSourceRef
    )
}

fn absent(row: &DeploymentMetrics) -> bool {
    !row.in_inventory || !row.found
}

/// "`n` objects carry sharding.fluxcd.io/key=shard1" (a shard), "`n` objects have no sharding.fluxcd.io/key" (the source).
fn objects_of(row: &DeploymentMetrics, n: &str, key: &str) -> String {
    match &row.shard {
        Some(shard) if row.role == Role::Shard && n == "1" => {
            format!("1 object carries {key}={shard}")
        }
        Some(shard) if row.role == Role::Shard => format!("{n} objects carry {key}={shard}"),
        _ if n == "1" => format!("1 object has no {key}"),
        _ => format!("{n} objects have no {key}"),
    }
}

/// "the FluxShardSet", "the FluxInstance": the maker, for messages.
fn maker(group: &GroupRef) -> String {
    format!("the {}", group.kind.name())
}

fn missing(f: &Facts<'_>) -> Option<String> {
    let set = f.ctx.group;
    if !absent(f.row) || awaits_controller(f.row, set) {
        return None;
    }
    let mut reasons: Vec<String> = f
        .row
        .problems
        .iter()
        .filter(|p| is_absence(p.kind))
        .map(|p| p.message.clone())
        .collect();
    if reasons.is_empty() {
        reasons.push(format!("Deployment {} was not found", f.row.name));
    }
    if let Some(c) = set.ready_condition.as_ref().filter(|c| c.status == "False") {
        reasons.push(format!("{} is not Ready: {}", maker(set), c.message));
    }
    if set.suspended {
        reasons.push(match set.kind {
            GroupKind::FluxInstance => "the FluxInstance is suspended (fluxcd.controlplane.io/reconcile: disabled), so the Flux Operator does nothing".into(),
            _ => "the FluxShardSet is suspended (spec.suspend), so its controller does nothing".into(),
        });
    }
    Some(reasons.join("; "))
}

/// The pods that are meant to run: neither finished nor terminating.
fn live_pods(row: &DeploymentMetrics) -> impl Iterator<Item = &PodMetrics> {
    row.pods.iter().filter(|p| p.is_live())
}

/// Whether the row's absence waits for the shard set controller: it has not acted on the latest
/// spec yet and is not suspended (then it does nothing), and the row is one it makes — the source
/// Deployment is the user's, so a missing source is missing whatever the controller did.
fn awaits_controller(row: &DeploymentMetrics, set: &GroupRef) -> bool {
    row.role == Role::Shard && set.behind && !set.suspended
}

/// Seconds since the newest of its running pods started, if every one of them
/// says when; `None` without a running pod (a pod that is not running has not
/// started its controller).
fn youngest_pod_age(f: &Facts<'_>) -> Option<f64> {
    let now = f.ctx.read_at / 1000.0;
    let mut youngest: Option<f64> = None;
    for pod in live_pods(f.row).filter(|p| p.phase == RUNNING) {
        let started = pod.start_time?;
        youngest = Some(youngest.map_or(started, |y: f64| y.max(started)));
    }
    youngest.map(|started| now - started)
}

/// Whether the counts speak for every pod that runs: each running pod was
/// scraped. Without that, zero reconciliations may only mean "not read".
fn counts_complete(row: &DeploymentMetrics) -> bool {
    live_pods(row)
        .filter(|p| p.phase == RUNNING)
        .all(|p| p.scraped)
}

pub(super) fn assigned(row: &DeploymentMetrics) -> u32 {
    row.objects.as_ref().map_or(0, |o| o.assigned)
}

fn pending(f: &Facts<'_>) -> Option<String> {
    let row = f.row;
    let set = f.ctx.group;
    if absent(row) {
        if !awaits_controller(row, set) {
            return None;
        }
        let generations = format!(
            "generation {}, observed {}",
            set.generation.map_or("?".into(), |g| g.to_string()),
            set.observed_generation
                .map_or("none".into(), |g| g.to_string())
        );
        return Some(match set.kind {
            GroupKind::FluxInstance => format!(
                "the Flux Operator has not acted on the latest spec of {} yet ({generations})",
                set.described()
            ),
            _ => format!(
                "the shard set controller has not acted on the latest spec yet ({generations})"
            ),
        });
    }
    if row.replicas > 0 && !live_pods(row).any(|p| p.ready) {
        let waiting: Vec<String> = live_pods(row)
            .map(|p| format!("pod {} is {}", p.name, p.phase))
            .collect();
        let detail = if waiting.is_empty() {
            "no pods yet".to_string()
        } else {
            waiting.join(", ")
        };
        return Some(format!(
            "no ready replica yet (0/{}): {detail}",
            row.replicas
        ));
    }
    let starting: Vec<String> = row
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Starting)
        .map(Problem::described)
        .collect();
    if !starting.is_empty() {
        return Some(starting.join("; "));
    }
    let n = assigned(row);
    if n > 0 && row.counts.reconciliations == 0.0 && counts_complete(row) {
        if let Some(age) = youngest_pod_age(f).filter(|&a| a < STARTUP_GRACE_SECONDS) {
            return Some(format!(
                "started {} ago; {}, none reconciled yet",
                duration(age),
                objects_of(row, &n.to_string(), &f.ctx.group.key)
            ));
        }
    }
    None
}

fn misconfigured(f: &Facts<'_>) -> Option<String> {
    let mut reasons: Vec<String> = selector_problem(f).into_iter().collect();
    reasons.extend(f.row.findings.iter().map(|(_, why)| why.clone()));
    (!reasons.is_empty()).then(|| reasons.join("; "))
}

/// What is wrong with a row's own `--watch-label-selector`, judged against its place.
fn selector_problem(f: &Facts<'_>) -> Option<String> {
    let row = f.row;
    // Without a `manager` container there is nothing to judge.
    if !row.found || !row.has_manager {
        return None;
    }
    let key = f.ctx.group.key.as_str();
    let selector = row.watch_selector.as_deref();
    let parsed = match selector.map(Selector::parse) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            return Some(format!(
                "its manager's --watch-label-selector {:?} cannot be read: {e}",
                selector.unwrap_or_default()
            ))
        }
        None => None,
    };
    let shown = selector.map_or_else(
        || "no --watch-label-selector".to_string(),
        |s| format!("--watch-label-selector={s}"),
    );
    let main = f.ctx.group.kind.main_word();
    match row.role {
        Role::Shard => {
            let shard = row.shard.as_deref()?;
            let Some(s) = parsed else {
                return Some(format!(
                    "its manager has no --watch-label-selector, so it reconciles every object, not only those with {key}={shard}"
                ));
            };
            if !s.matches_key(key, Some(shard)) {
                return Some(format!(
                    "its manager watches {shown}, which does not select its own objects ({key}={shard}): nothing reconciles them"
                ));
            }
            if s.matches_key(key, None) {
                return Some(format!(
                    "its manager watches {shown}, which also selects objects without {key} (the {main}'s): both reconcile them"
                ));
            }
            None
        }
        Role::Source => {
            let selects = |shard: &str| {
                parsed
                    .as_ref()
                    .map_or(true, |s| s.matches_key(key, Some(shard)))
            };
            let also: Vec<&str> = f
                .ctx
                .shard_keys
                .iter()
                .map(String::as_str)
                .filter(|k| selects(k))
                .collect();
            if also.is_empty() {
                return None;
            }
            Some(format!(
                "the {main}'s manager watches {shown}, which does not exclude keyed objects (!{key}): it also reconciles the objects of {}",
                also.join(", ")
            ))
        }
    }
}

fn unreachable(f: &Facts<'_>) -> Option<String> {
    let failures: Vec<String> = f
        .row
        .problems
        .iter()
        .filter(|p| p.is_read_failure())
        .map(Problem::described)
        .collect();
    (!failures.is_empty()).then(|| failures.join("; "))
}

fn stuck(f: &Facts<'_>) -> Option<String> {
    let row = f.row;
    if !row.found {
        return None;
    }
    let n = assigned(row);
    if n > 0 && row.counts.reconciliations == 0.0 && counts_complete(row) {
        if row.replicas == 0 {
            return Some(format!(
                "scaled to zero replicas, but {}: nothing reconciles them",
                objects_of(row, &n.to_string(), &f.ctx.group.key)
            ));
        }
        // Over a window, silence means something only if the window covers a start
        // (controller-runtime reconciles every watched object when it starts).
        let covered = |age: f64| f.ctx.window_seconds.map_or(true, |w| age <= w);
        if let Some(age) = youngest_pod_age(f).filter(|&a| a >= STARTUP_GRACE_SECONDS && covered(a))
        {
            let leaderless =
                row.leader.is_none() && row.pods.iter().any(|p| p.leader == Some(false));
            let why = if leaderless {
                "no pod holds the leader lease; "
            } else {
                ""
            };
            let since = match f.ctx.window_seconds {
                None => format!("in the {} since its pods started", duration(age)),
                Some(w) => format!(
                    "in the last {}, although its pods started {} ago",
                    duration(w),
                    duration(age)
                ),
            };
            return Some(format!(
                "{why}{}, but none was reconciled {since}",
                objects_of(row, &n.to_string(), &f.ctx.group.key)
            ));
        }
    }
    let c = &row.counts;
    if let (Some(before), Some(depth), Some(active), Some(max)) = (
        f.ctx.previous.and_then(|p| p.workqueue_depth),
        c.workqueue_depth,
        c.active_workers,
        c.max_workers,
    ) {
        if depth > before && max > 0.0 && active >= max {
            return Some(format!(
                "its work queue grew from {} to {} while all {} workers were busy",
                count(before),
                count(depth),
                count(max)
            ));
        }
    }
    None
}

fn erroring(f: &Facts<'_>) -> Option<String> {
    if let Some(rate) = &f.row.rate {
        if rate.errors_per_minute > 0.0 {
            let when = match &rate.window {
                None => "errors rose since the previous read".to_string(),
                Some(w) => format!("errors in the last {w}"),
            };
            return Some(format!(
                "{when}: {}/min",
                count((rate.errors_per_minute * 10.0).round() / 10.0)
            ));
        }
    }
    let c = &f.row.counts;
    if c.errors > 0.0 && c.errors >= ERROR_SHARE * c.reconciliations {
        return Some(format!(
            "errors are {} of reconciliations ({} of {}), at least {}",
            percent(c.errors / c.reconciliations),
            count(c.errors),
            count(c.reconciliations),
            percent(ERROR_SHARE)
        ));
    }
    None
}

fn idle(f: &Facts<'_>) -> Option<String> {
    let row = f.row;
    let quiet = !matches!(&row.rate, Some(r) if r.reconciliations_per_minute != 0.0);
    if !row.found || row.counts.reconciliations != 0.0 || !quiet || assigned(row) > 0 {
        return None;
    }
    let scaled_down = row.replicas == 0;
    let read = row.pods.iter().any(|p| p.scraped) && counts_complete(row);
    if !(scaled_down || read) {
        return None;
    }
    let prefix = if scaled_down {
        "scaled to zero replicas; "
    } else {
        ""
    };
    Some(match &row.objects {
        Some(ObjectCounts { unread, .. }) if unread.is_empty() => {
            format!("{prefix}{}", objects_of(row, "no", &f.ctx.group.key))
        }
        Some(ObjectCounts { unread, .. }) => format!(
            "{prefix}no reconciliations; objects of kind {} could not be read",
            unread.join(", ")
        ),
        None => {
            format!("{prefix}no reconciliations (the objects assigned to it could not be read)")
        }
    })
}
