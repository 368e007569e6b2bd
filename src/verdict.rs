//! The verdict on each row: one rule per status (`verdict/rules.rs`), decided
//! here and nowhere else, so the page, the CLI and every embedder show the
//! same thing. The [`Status`] type itself is part of the report model.
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

use crate::report::{DeploymentMetrics, Flag, GroupRef, PreviousRead, PreviousRow, Role, Status};
use crate::text::{counted, duration};

mod rules;

use rules::{Facts, RULES};

/// The share of errors among reconciliations from which a row is `erroring`.
pub const ERROR_SHARE: f64 = 0.05;

/// How long after its pods start a controller may take to reconcile its objects (see [`crate::report::STARTUP_GRACE_SECONDS`]).
pub use crate::report::STARTUP_GRACE_SECONDS;

/// A row's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The most severe status that applies.
    pub status: Status,
    /// Why, for a person.
    pub reason: String,
    /// Every status that applies, most severe first, with the row's findings right after
    /// `misconfigured`; empty when ok.
    pub flags: Vec<Flag>,
}

/// What a row is judged against besides itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'c> {
    /// The group (its key, its maker's generation lag, `Ready` condition, suspension).
    pub group: &'c GroupRef,
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
            flags: applying
                .iter()
                .flat_map(|(s, _)| {
                    let findings = row.findings.iter().map(|(f, _)| *f);
                    std::iter::once(Flag::from(*s)).chain(
                        findings.filter(move |_| *s == Status::Misconfigured),
                    )
                })
                .collect(),
        },
        None => Verdict {
            status: Status::Ok,
            reason: match ctx.window_seconds {
                // Objects assigned, pods older than the window, nothing in it: their interval may be longer.
                Some(w) if row.counts.reconciliations == 0.0 && rules::assigned(row) > 0 => format!(
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

/// Decides every row's verdict, once the rows are finished and their objects assigned.
pub fn judge(
    rows: &mut [DeploymentMetrics],
    group: &GroupRef,
    read_at: f64,
    previous: Option<&PreviousRead>,
    window_seconds: Option<f64>,
) {
    let shard_keys: Vec<String> = rows
        .iter()
        .filter(|r| r.role == Role::Shard)
        .filter_map(|r| r.shard.clone())
        .collect();
    for row in rows.iter_mut() {
        let ctx = Context {
            group,
            shard_keys: &shard_keys,
            read_at,
            previous: previous.and_then(|p| p.row(&row.name)),
            window_seconds,
        };
        apply(row, ctx);
    }
}
