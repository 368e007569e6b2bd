//! What the next read needs of an earlier one, for rates and rising errors:
//! when it was taken and each scraped pod's counters — from a
//! [`ShardMetrics`] in Rust, or from its JSON (the `previous` option).

use super::ShardMetrics;
use crate::json::{FromJson, Node};

/// What a rate needs of an earlier read: when it was taken and each scraped pod's counters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviousRead {
    /// `readAt` of that read, in milliseconds since the epoch.
    pub read_at: f64,
    /// Its rows.
    pub rows: Vec<PreviousRow>,
}

/// One row of an earlier read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviousRow {
    /// Deployment name.
    pub name: String,
    /// Its pods that were scraped: `(name, reconciliations, errors)`.
    pub pods: Vec<(String, f64, f64)>,
    /// Its work queue depth then.
    pub workqueue_depth: Option<f64>,
}

impl PreviousRead {
    /// The row of Deployment `name`, if that read had it.
    pub fn row(&self, name: &str) -> Option<&PreviousRow> {
        self.rows.iter().find(|r| r.name == name)
    }
}

impl From<&ShardMetrics> for PreviousRead {
    fn from(m: &ShardMetrics) -> PreviousRead {
        PreviousRead {
            read_at: m.read_at,
            rows: m
                .deployments
                .iter()
                .map(|d| PreviousRow {
                    name: d.name.clone(),
                    pods: d
                        .pods
                        .iter()
                        .filter(|p| p.scraped)
                        .map(|p| (p.name.clone(), p.counts.reconciliations, p.counts.errors))
                        .collect(),
                    workqueue_depth: d.counts.workqueue_depth,
                })
                .collect(),
        }
    }
}

/// Reads the `ShardMetrics` JSON an earlier call returned (only what rates need).
impl FromJson for PreviousRead {
    fn from_json(v: Node<'_>) -> PreviousRead {
        PreviousRead {
            read_at: v.number("readAt").unwrap_or(0.0),
            rows: v.list("deployments"),
        }
    }
}

impl FromJson for PreviousRow {
    fn from_json(d: Node<'_>) -> PreviousRow {
        let mut pods = Vec::new();
        d.each("pods", |p| {
            if p.flag("scraped") {
                pods.push((
                    p.string("name"),
                    p.number("reconciliations").unwrap_or(0.0),
                    p.number("errors").unwrap_or(0.0),
                ));
            }
        });
        PreviousRow {
            name: d.string("name"),
            pods,
            workqueue_depth: d.number("workqueueDepth"),
        }
    }
}
