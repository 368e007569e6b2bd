//! One pod of a row, as read.

use serde::Serialize;

use crate::problem::Problem;
use crate::scrape::Counts;

/// The phase of a pod that no longer exists, counted from Prometheus' series in the window.
pub const DELETED: &str = "Deleted";

/// How long after its pods start a controller may take to reconcile its
/// objects before it counts as stuck (controller-runtime reconciles every
/// watched object once its caches have synced, within seconds), and to serve
/// its metrics before a failed read of them counts as unreachable.
pub const STARTUP_GRACE_SECONDS: f64 = 120.0;

/// One pod of a Deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PodMetrics {
    /// Pod name.
    pub name: String,
    /// `Running`, `Pending`, `Succeeded`, `Failed`, `Unknown`; `Deleted` for a pod
    /// that no longer exists, counted from Prometheus' series in the window.
    pub phase: String,
    /// Why it is in that phase (`Evicted`, …), `null` when not given.
    pub reason: Option<String>,
    /// Whether it has finished (`Succeeded`, or `Failed` such as an evicted
    /// pod): listed, never scraped, not counted among the replicas, never a problem.
    pub finished: bool,
    /// Whether it is being deleted (`metadata.deletionTimestamp`, Terminating): read while
    /// it still answers, not counted among the replicas, and a failed read of it is no problem.
    pub terminating: bool,
    /// The `Ready` condition.
    pub ready: bool,
    /// Container restarts.
    pub restarts: u32,
    /// Whether its metrics were read.
    pub scraped: bool,
    /// What its metrics say (zero when not scraped).
    #[serde(flatten)]
    #[cfg_attr(test, ts(flatten))]
    pub counts: Counts,
    /// `leader_election_master_status`: `true` leader, `false` standby, `null` when not reported.
    pub leader: Option<bool>,
    /// When its process started (`process_start_time_seconds`), or else when
    /// the pod started (`status.startTime`); seconds since the epoch.
    pub start_time: Option<f64>,
    /// Why this pod has no (or incomplete) numbers, for a person; `problem.message`.
    pub error: Option<String>,
    /// The same as data: kind and fields.
    pub problem: Option<Problem>,
}

impl PodMetrics {
    /// A pod with no numbers yet.
    pub fn new(name: String, phase: String, ready: bool, restarts: u32) -> PodMetrics {
        PodMetrics {
            name,
            phase,
            reason: None,
            finished: false,
            terminating: false,
            ready,
            restarts,
            scraped: false,
            counts: Counts::default(),
            leader: None,
            start_time: None,
            error: None,
            problem: None,
        }
    }

    /// Whether it is meant to run: neither finished nor terminating.
    pub fn is_live(&self) -> bool {
        !self.finished && !self.terminating
    }

    /// Records why this pod has no (or incomplete) numbers.
    pub fn set_problem(&mut self, problem: Problem) {
        self.error = Some(problem.message.clone());
        self.problem = Some(problem);
    }
}
