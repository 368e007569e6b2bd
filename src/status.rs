//! The verdict on each row: one rule per status, decided here and nowhere
//! else, so the page, the CLI and every embedder show the same thing.
//!
//! The rules, most severe first (a row's `status` is the first that applies;
//! `flags` lists every one that applies):
//!
//! | status | when |
//! |---|---|
//! | `missing` | the shard is in `spec.shards` but not in the inventory, or its Deployment does not exist |
//! | `unreachable` | a pod could not be scraped, or the Deployment has no pods to scrape |
//! | `erroring` | errors are at least 5 % of reconciliations, or errors rose since the previous read |
//! | `idle` | no reconciliations (and none since the previous read) although a pod was scraped |
//! | `ok` | none of the above |

use serde::Serialize;

use crate::counts::Counts;
use crate::metrics::{DeploymentMetrics, Rate};
use crate::problem::{Problem, ProblemKind};

/// A row's verdict, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Expected but absent: not in the inventory, or the Deployment does not exist.
    Missing,
    /// A running pod could not be scraped (the problems say why).
    Unreachable,
    /// Errors are at least [`ERROR_SHARE`] of reconciliations, or rose since the previous read.
    Erroring,
    /// No reconciliations.
    Idle,
    /// Working.
    Ok,
}

impl Status {
    /// Every status, most severe first.
    pub const ALL: [Status; 5] = [
        Status::Missing,
        Status::Unreachable,
        Status::Erroring,
        Status::Idle,
        Status::Ok,
    ];

    /// The name as JSON and the page write it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Missing => "missing",
            Status::Unreachable => "unreachable",
            Status::Erroring => "erroring",
            Status::Idle => "idle",
            Status::Ok => "ok",
        }
    }
}

/// The share of errors among reconciliations from which a row is `erroring`.
pub const ERROR_SHARE: f64 = 0.05;

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

/// What a rule looks at.
struct Facts<'r> {
    row: &'r DeploymentMetrics,
    rate: Option<&'r Rate>,
}

type Rule = fn(&Facts<'_>) -> Option<String>;

/// The rules in order of severity.
const RULES: [(Status, Rule); 4] = [
    (Status::Missing, missing),
    (Status::Unreachable, unreachable),
    (Status::Erroring, erroring),
    (Status::Idle, idle),
];

/// Decides a row's verdict from its counts, pods and problems, and the rate
/// since the previous read when there is one.
pub fn decide(row: &DeploymentMetrics) -> Verdict {
    let facts = Facts {
        row,
        rate: row.rate.as_ref(),
    };
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
            reason: ok_reason(&row.counts),
            flags: Vec::new(),
        },
    }
}

/// Sets `status`, `statusReason` and `flags` of `row`.
pub fn apply(row: &mut DeploymentMetrics) {
    let verdict = decide(row);
    row.status = verdict.status;
    row.status_reason = verdict.reason;
    row.flags = verdict.flags;
}

fn is_absence(kind: ProblemKind) -> bool {
    matches!(
        kind,
        ProblemKind::NotInInventory | ProblemKind::DeploymentMissing | ProblemKind::NoSourceRef
    )
}

fn missing(f: &Facts<'_>) -> Option<String> {
    if f.row.in_inventory && f.row.found {
        return None;
    }
    let reasons: Vec<&str> = f
        .row
        .problems
        .iter()
        .filter(|p| is_absence(p.kind))
        .map(|p| p.message.as_str())
        .collect();
    Some(if reasons.is_empty() {
        format!("Deployment {} was not found", f.row.name)
    } else {
        reasons.join("; ")
    })
}

fn unreachable(f: &Facts<'_>) -> Option<String> {
    let blocking: Vec<&Problem> = f
        .row
        .problems
        .iter()
        .filter(|p| !p.keeps_numbers() && !is_absence(p.kind))
        .collect();
    if blocking.is_empty() {
        return None;
    }
    Some(
        blocking
            .iter()
            .map(|p| described(p))
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// A problem's message, prefixed with its pod when it is about one.
pub fn described(p: &Problem) -> String {
    match &p.pod {
        Some(pod) => format!("pod {pod}: {}", p.message),
        None => p.message.clone(),
    }
}

fn erroring(f: &Facts<'_>) -> Option<String> {
    if let Some(rate) = f.rate {
        if rate.errors_per_minute > 0.0 {
            return Some(format!(
                "errors rose since the previous read: {}/min",
                per_minute(rate.errors_per_minute)
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
    let quiet = !matches!(f.rate, Some(r) if r.reconciliations_per_minute != 0.0);
    if row.found && row.counts.reconciliations == 0.0 && quiet && row.pods.iter().any(|p| p.scraped)
    {
        Some("no reconciliations".into())
    } else {
        None
    }
}

fn ok_reason(c: &Counts) -> String {
    format!(
        "reconciling: {} reconciliations, {} errors",
        count(c.reconciliations),
        count(c.errors)
    )
}

/// A count as messages write it (whole numbers without a fraction).
pub(crate) fn count(n: f64) -> String {
    crate::exposition::format_value(n)
}

/// A share as a percentage with one decimal (`0.2 %`).
pub(crate) fn percent(share: f64) -> String {
    let tenths = (share * 1000.0).round() as i64;
    format!("{}.{} %", tenths / 10, tenths % 10)
}

fn per_minute(n: f64) -> String {
    count((n * 10.0).round() / 10.0)
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
        let text = format!(
            "// Generated by `cargo test` from src/status.rs. Do not edit this file manually.\n\
             import type {{ Status }} from './Status.js';\n\n\
             /** Every status, most severe first. */\n\
             export const STATUS_ORDER: readonly Status[] = [{}];\n",
            names.join(", ")
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
        assert_eq!(per_minute(2.25), "2.3");
    }
}
