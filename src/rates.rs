//! Rates between two reads of the same shard set: reconciliations and errors
//! per minute, per pod so that a restart (a counter that went down) or a new
//! pod counts from zero, as Prometheus' `rate()` reads counter resets.

use serde_json::Value;

use crate::kube::FromJson;
use crate::metrics::{DeploymentMetrics, Rate, ShardMetrics};

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
    fn from_json(v: &Value) -> PreviousRead {
        let number = |v: &Value, key: &str| v.get(key).and_then(Value::as_f64).unwrap_or(0.0);
        let list = |v: &Value, key: &str| -> Vec<Value> {
            v.get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        PreviousRead {
            read_at: number(v, "readAt"),
            rows: list(v, "deployments")
                .iter()
                .map(|d| PreviousRow {
                    name: crate::kube::str_of(d, "name"),
                    pods: list(d, "pods")
                        .iter()
                        .filter(|p| p.get("scraped").and_then(Value::as_bool) == Some(true))
                        .map(|p| {
                            (
                                crate::kube::str_of(p, "name"),
                                number(p, "reconciliations"),
                                number(p, "errors"),
                            )
                        })
                        .collect(),
                    workqueue_depth: d.get("workqueueDepth").and_then(Value::as_f64),
                })
                .collect(),
        }
    }
}

/// The rate of `row` since `previous`, read `seconds` earlier (`None` when `seconds` ≤ 0).
///
/// ```
/// use flux_shard_metrics::metrics::{DeploymentMetrics, PodMetrics, Role};
/// use flux_shard_metrics::rates::{rate, PreviousRow};
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
