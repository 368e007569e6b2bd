//! Where a read's numbers come from: pod scrapes or Prometheus over a window.

use serde::Serialize;

/// Where a read's numbers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Each running pod's `/metrics` through the API server: counts since each pod started.
    Scrape,
    /// Prometheus' HTTP API: counts over a window, across restarts and rollouts.
    Prometheus,
}

/// Where a read's numbers come from, and over which window.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// Scrapes or Prometheus.
    pub kind: SourceKind,
    /// The window of the counts (`1h`); `null` for scrapes (since each pod started).
    pub window: Option<String>,
    /// The same in seconds.
    pub window_seconds: Option<f64>,
    /// Where Prometheus was asked (its query URL); `null` for scrapes.
    pub url: Option<String>,
    /// The PromQL sent; empty for scrapes.
    pub queries: Vec<String>,
    /// Pods counted from Prometheus that no longer exist (restarted, rolled or evicted within the window).
    pub gone_pods: u32,
}

impl Source {
    /// Counts read from each pod's `/metrics`.
    pub fn scrape() -> Source {
        Source {
            kind: SourceKind::Scrape,
            window: None,
            window_seconds: None,
            url: None,
            queries: Vec::new(),
            gone_pods: 0,
        }
    }
}
