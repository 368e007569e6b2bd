//! A row's trend: its reconciliations and errors per minute over time, and when
//! its pods' processes started (a restart or a rollout, marked on the line).

use serde::Serialize;

/// Where a trend's points come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum TrendSource {
    /// The reads of a view that stays open, since it opened: a point per read after the first.
    Reads,
    /// A Prometheus range query over the window: the line is there at the first read.
    Prometheus,
}

/// One point of a trend.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TrendPoint {
    /// When, in milliseconds since the epoch.
    pub at: f64,
    /// Reconciliations per minute (since the previous read, or Prometheus' `rate()` at that step).
    pub reconciliations_per_minute: f64,
    /// Errors per minute.
    pub errors_per_minute: f64,
}

/// A row's trend, oldest point first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Trend {
    /// Reads or Prometheus.
    pub source: TrendSource,
    /// Seconds between points of a range query; `null` for reads (a point per read).
    pub step_seconds: Option<f64>,
    /// At most [`TREND_POINTS`] points, oldest first.
    pub points: Vec<TrendPoint>,
    /// When a pod's process started within the trend's span, in milliseconds since the epoch,
    /// oldest first: the line's restart marks.
    pub starts: Vec<f64>,
}

/// How many points a trend keeps (a range query asks for as many steps).
pub const TREND_POINTS: usize = 60;
