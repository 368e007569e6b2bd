//! The verdict on each row: one rule per status, decided here and nowhere
//! else, so the page, the CLI and every embedder show the same thing.
//!
//! The rules, most severe first (a row's `status` is the first that applies;
//! `flags` lists every one that applies):
//!
//! | status | when |
//! |---|---|
//! | `missing` | in `spec.shards` but not in the inventory, or its Deployment does not exist, and the shard set controller is up to date (the reason quotes the FluxShardSet's `Ready` message when it is `False`) |
//! | `pending` | the same while the shard set controller has not caught up (`observedGeneration` behind `generation`); or the Deployment has no ready replica yet; or objects are assigned, nothing reconciled yet, and its pods started less than [`STARTUP_GRACE_SECONDS`] ago |
//! | `misconfigured` | a shard's `manager` container does not watch its own key (`--watch-label-selector=sharding.fluxcd.io/key in (<shard>)` or an equivalent), or also watches objects without a key; or the source's does not exclude the shards' keys (`!sharding.fluxcd.io/key`) |
//! | `unreachable` | a running pod could not be scraped (the problem's kind says why); finished pods never count |
//! | `stuck` | objects are assigned but no reconciliation although its pods started more than [`STARTUP_GRACE_SECONDS`] ago (controller-runtime reconciles every watched object at start), or it is scaled to zero with objects assigned; or its work queue grew since the previous read while every worker was busy |
//! | `erroring` | errors are at least [`ERROR_SHARE`] of reconciliations, or errors rose since the previous read |
//! | `idle` | no reconciliations and nothing assigned: expected, and said so |
//! | `ok` | none of the above |
//!
//! A standby replica (`leader_election_master_status` 0, without a
//! `controller_runtime_reconcile_total` family) is a pod like any other: it
//! makes no row unreachable and no row idle.

use serde::Serialize;

use crate::kube::{Selector, SHARD_KEY};
use crate::metrics::{DeploymentMetrics, ObjectCounts, Role, ShardSetRef};
use crate::problem::{Problem, ProblemKind};
use crate::rates::PreviousRow;

/// A row's verdict, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Expected but absent, and the shard set controller is up to date.
    Missing,
    /// Not there or not ready yet: the shard set controller or the pods are catching up.
    Pending,
    /// Its label selector does not split the work as the shard set intends.
    Misconfigured,
    /// A running pod could not be scraped.
    Unreachable,
    /// Objects are assigned and nothing reconciles them.
    Stuck,
    /// Errors are at least [`ERROR_SHARE`] of reconciliations, or rose since the previous read.
    Erroring,
    /// No reconciliations, and none expected.
    Idle,
    /// Working.
    Ok,
}

impl Status {
    /// Every status, most severe first.
    pub const ALL: [Status; 8] = [
        Status::Missing,
        Status::Pending,
        Status::Misconfigured,
        Status::Unreachable,
        Status::Stuck,
        Status::Erroring,
        Status::Idle,
        Status::Ok,
    ];

    /// The name as JSON and the page write it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Missing => "missing",
            Status::Pending => "pending",
            Status::Misconfigured => "misconfigured",
            Status::Unreachable => "unreachable",
            Status::Stuck => "stuck",
            Status::Erroring => "erroring",
            Status::Idle => "idle",
            Status::Ok => "ok",
        }
    }

    /// Whether `flux-shard-metrics get --check` fails on it: the row is not
    /// doing the work it was given and no waiting will fix it.
    pub fn fails_check(self) -> bool {
        matches!(
            self,
            Status::Missing | Status::Misconfigured | Status::Unreachable | Status::Stuck
        )
    }
}

/// The share of errors among reconciliations from which a row is `erroring`.
pub const ERROR_SHARE: f64 = 0.05;

/// How long after its pods start a controller may take to reconcile its
/// objects before it counts as stuck (controller-runtime reconciles every
/// watched object once its caches have synced, within seconds).
pub const STARTUP_GRACE_SECONDS: f64 = 120.0;

/// A row's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The most severe status that applies.
    pub status: Status,
    /// Why, for a person.
    pub reason: String,
    /// Every status that applies, most severe first; empty when ok.
    pub flags: Vec<Status>,
}

/// What a row is judged against besides itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'c> {
    /// The shard set (generation lag, `Ready` condition, suspension).
    pub shard_set: &'c ShardSetRef,
    /// The shard names of every row (the keys a source must exclude).
    pub shard_keys: &'c [String],
    /// When this read was taken, in milliseconds since the epoch.
    pub read_at: f64,
    /// The same row in the previous read.
    pub previous: Option<&'c PreviousRow>,
    /// With Prometheus as the source, the window the counts cover, in seconds;
    /// `None` for scrapes (counts since each pod started).
    pub window_seconds: Option<f64>,
}

struct Facts<'r> {
    row: &'r DeploymentMetrics,
    ctx: Context<'r>,
}

type Rule = fn(&Facts<'_>) -> Option<String>;

/// The rules in order of severity.
const RULES: [(Status, Rule); 7] = [
    (Status::Missing, missing),
    (Status::Pending, pending),
    (Status::Misconfigured, misconfigured),
    (Status::Unreachable, unreachable),
    (Status::Stuck, stuck),
    (Status::Erroring, erroring),
    (Status::Idle, idle),
];

/// Decides a row's verdict.
pub fn decide(row: &DeploymentMetrics, ctx: Context<'_>) -> Verdict {
    let facts = Facts { row, ctx };
    let applying: Vec<(Status, String)> = RULES
        .iter()
        .filter_map(|(status, rule)| rule(&facts).map(|reason| (*status, reason)))
        .collect();
    match applying.first() {
        Some((status, reason)) => Verdict {
            status: *status,
            reason: reason.clone(),
            flags: applying.iter().map(|(s, _)| *s).collect(),
        },
        None => Verdict {
            status: Status::Ok,
            reason: match ctx.window_seconds {
                // Objects assigned, pods older than the window, nothing in it: their interval may be longer.
                Some(w) if row.counts.reconciliations == 0.0 && assigned(row) > 0 => format!(
                    "no reconciliation in the last {}, whose pods started before it: its objects may be on a longer interval (spec.interval)",
                    duration(w)
                ),
                Some(w) => format!(
                    "reconciling: {}, {} in the last {}",
                    counted(row.counts.reconciliations, "reconciliation"),
                    counted(row.counts.errors, "error"),
                    duration(w)
                ),
                None => format!(
                    "reconciling: {}, {}",
                    counted(row.counts.reconciliations, "reconciliation"),
                    counted(row.counts.errors, "error")
                ),
            },
            flags: Vec::new(),
        },
    }
}

/// Sets `status`, `statusReason` and `flags` of `row`.
pub fn apply(row: &mut DeploymentMetrics, ctx: Context<'_>) {
    let verdict = decide(row, ctx);
    row.status = verdict.status;
    row.status_reason = verdict.reason;
    row.flags = verdict.flags;
}

/// A problem's message, prefixed with its pod when it is about one.
pub fn described(p: &Problem) -> String {
    match &p.pod {
        Some(pod) => format!("pod {pod}: {}", p.message),
        None => p.message.clone(),
    }
}

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
fn objects_of(row: &DeploymentMetrics, n: &str) -> String {
    match &row.shard {
        Some(shard) if row.role == Role::Shard && n == "1" => {
            format!("1 object carries {SHARD_KEY}={shard}")
        }
        Some(shard) if row.role == Role::Shard => format!("{n} objects carry {SHARD_KEY}={shard}"),
        _ if n == "1" => format!("1 object has no {SHARD_KEY}"),
        _ => format!("{n} objects have no {SHARD_KEY}"),
    }
}

fn missing(f: &Facts<'_>) -> Option<String> {
    let set = f.ctx.shard_set;
    if !absent(f.row) || set.is_behind() {
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
        reasons.push(format!("the FluxShardSet is not Ready: {}", c.message));
    }
    if set.suspended {
        reasons.push(
            "the FluxShardSet is suspended (spec.suspend), so its controller does nothing".into(),
        );
    }
    Some(reasons.join("; "))
}

/// The pods that are meant to run: not finished.
fn live_pods(row: &DeploymentMetrics) -> impl Iterator<Item = &crate::metrics::PodMetrics> {
    row.pods.iter().filter(|p| !p.finished)
}

/// Seconds since the newest of its running pods started, if every one of them
/// says when; `None` without a running pod (a pod that is not running has not
/// started its controller).
fn youngest_pod_age(f: &Facts<'_>) -> Option<f64> {
    let now = f.ctx.read_at / 1000.0;
    let mut youngest: Option<f64> = None;
    for pod in live_pods(f.row).filter(|p| p.phase == "Running") {
        let started = pod.start_time?;
        youngest = Some(youngest.map_or(started, |y: f64| y.max(started)));
    }
    youngest.map(|started| now - started)
}

/// Whether the counts speak for every pod that runs: each running pod was
/// scraped. Without that, zero reconciliations may only mean "not read".
fn counts_complete(row: &DeploymentMetrics) -> bool {
    live_pods(row)
        .filter(|p| p.phase == "Running")
        .all(|p| p.scraped)
}

fn assigned(row: &DeploymentMetrics) -> u32 {
    row.objects.as_ref().map_or(0, |o| o.assigned)
}

fn pending(f: &Facts<'_>) -> Option<String> {
    let row = f.row;
    let set = f.ctx.shard_set;
    if absent(row) {
        if !set.is_behind() {
            return None;
        }
        return Some(format!(
            "the shard set controller has not acted on the latest spec yet (generation {}, observed {})",
            set.generation.map_or("?".into(), |g| g.to_string()),
            set.observed_generation.map_or("none".into(), |g| g.to_string())
        ));
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
    let n = assigned(row);
    if n > 0 && row.counts.reconciliations == 0.0 && counts_complete(row) {
        if let Some(age) = youngest_pod_age(f).filter(|&a| a < STARTUP_GRACE_SECONDS) {
            return Some(format!(
                "started {} ago; {}, none reconciled yet",
                duration(age),
                objects_of(row, &n.to_string())
            ));
        }
    }
    None
}

fn misconfigured(f: &Facts<'_>) -> Option<String> {
    let row = f.row;
    // Without a `manager` container there is nothing to judge.
    if !row.found || !row.has_manager {
        return None;
    }
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
    match row.role {
        Role::Shard => {
            let shard = row.shard.as_deref()?;
            let Some(s) = parsed else {
                return Some(format!(
                    "its manager has no --watch-label-selector, so it reconciles every object, not only those with {SHARD_KEY}={shard}"
                ));
            };
            if !s.matches_key(SHARD_KEY, Some(shard)) {
                return Some(format!(
                    "its manager watches {shown}, which does not select its own objects ({SHARD_KEY}={shard}): nothing reconciles them"
                ));
            }
            if s.matches_key(SHARD_KEY, None) {
                return Some(format!(
                    "its manager watches {shown}, which also selects objects without {SHARD_KEY} (the source's): both reconcile them"
                ));
            }
            None
        }
        Role::Source => {
            let selects = |key: &str| {
                parsed
                    .as_ref()
                    .map_or(true, |s| s.matches_key(SHARD_KEY, Some(key)))
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
                "the source's manager watches {shown}, which does not exclude keyed objects (!{SHARD_KEY}): it also reconciles the objects of {}",
                also.join(", ")
            ))
        }
    }
}

/// Whether a problem means a running pod could not be scraped.
fn is_scrape_failure(p: &Problem) -> bool {
    p.pod.is_some() && !matches!(p.kind, ProblemKind::BadLines | ProblemKind::NotRunning)
}

fn unreachable(f: &Facts<'_>) -> Option<String> {
    let failures: Vec<String> = f
        .row
        .problems
        .iter()
        .filter(|p| is_scrape_failure(p))
        .map(described)
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
                objects_of(row, &n.to_string())
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
                objects_of(row, &n.to_string())
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
            format!("{prefix}{}", objects_of(row, "no"))
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

/// A count as messages write it (whole numbers without a fraction).
/// `1 error`, `3 errors`, `0 errors`.
fn counted(n: f64, noun: &str) -> String {
    format!("{} {noun}{}", count(n), if n == 1.0 { "" } else { "s" })
}

pub(crate) fn count(n: f64) -> String {
    crate::exposition::format_value(n)
}

/// A duration for a person: `45 s`, `15 min`, `5 h`, `28 days`.
pub(crate) fn duration(seconds: f64) -> String {
    // Whole numbers, formatted as integers: `f64`'s `Display` costs 15 KB of wasm.
    let s = seconds.max(0.0).round() as u64;
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min", s / 60)
    } else if s < 172_800 {
        format!("{} h", s / 3600)
    } else {
        format!("{} days", s / 86_400)
    }
}

/// A share as a percentage with one decimal (`0.2 %`).
pub(crate) fn percent(share: f64) -> String {
    let tenths = (share * 1000.0).round() as i64;
    format!("{}.{} %", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes the order of severity for TypeScript beside the types ts-rs
    /// generates (`js/generated/statusOrder.ts`), so sorting by status on the
    /// page follows this file.
    #[test]
    fn export_status_order() {
        let names: Vec<String> = Status::ALL
            .iter()
            .map(|s| format!("'{}'", s.name()))
            .collect();
        let failing: Vec<String> = Status::ALL
            .iter()
            .filter(|s| s.fails_check())
            .map(|s| format!("'{}'", s.name()))
            .collect();
        let text = format!(
            "// Generated by `cargo test` from src/status.rs. Do not edit this file manually.\n\
             import type {{ Status }} from './Status.js';\n\n\
             /** Every status, most severe first. */\n\
             export const STATUS_ORDER: readonly Status[] = [{}];\n\n\
             /** The statuses on which `get --check` fails. */\n\
             export const FAILING_STATUSES: readonly Status[] = [{}];\n",
            names.join(", "),
            failing.join(", ")
        );
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("js/generated");
        std::fs::write(dir.join("statusOrder.ts"), text).unwrap();
        for s in Status::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
        }
    }

    #[test]
    fn percent_and_count() {
        assert_eq!(percent(0.05), "5.0 %");
        assert_eq!(percent(0.002), "0.2 %");
        assert_eq!(percent(0.8667), "86.7 %");
        assert_eq!(count(3.0), "3");
        assert_eq!(duration(44.6), "45 s");
        assert_eq!(duration(900.0), "15 min");
        assert_eq!(duration(3.0 * 86_400.0 + 5.0), "3 days");
    }
}
