//! The trends of a view that stays open, from its reads: each read after the
//! first adds a point per row (its rate since the previous read), the oldest
//! beyond [`TREND_POINTS`] dropped, and the starts of the row's pods' processes
//! within the span kept as restart marks. Pure: the session calls
//! [`History::record`] after each read.
//!
//! ```
//! use flux_shard_metrics::report::{DeploymentMetrics, Rate, Role};
//! use flux_shard_metrics::trend::History;
//! let mut rows = vec![DeploymentMetrics::new("kustomize-controller", "flux-system", Role::Source, None, true)];
//! let mut history = History::default();
//! history.record(&mut rows, 1_000_000.0);
//! assert!(rows[0].trend.is_none()); // no rate on a first read
//! rows[0].rate = Some(Rate { seconds: 10.0, reconciliations_per_minute: 12.0, errors_per_minute: 0.0, restarted: false, window: None });
//! history.record(&mut rows, 1_010_000.0);
//! let t = rows[0].trend.as_ref().unwrap();
//! assert_eq!((t.points.len(), t.points[0].reconciliations_per_minute), (1, 12.0));
//! ```

use crate::report::{DeploymentMetrics, Trend, TrendPoint, TrendSource, TREND_POINTS};

/// What a session keeps of its rows' trends.
#[derive(Debug, Clone, Default)]
pub struct History {
    rows: Vec<(String, Trend)>,
}

impl History {
    /// Adds the read at `read_at` (milliseconds since the epoch) and sets each row's trend; rows
    /// that are gone are forgotten, so what it keeps is bounded by the rows and [`TREND_POINTS`].
    pub fn record(&mut self, rows: &mut [DeploymentMetrics], read_at: f64) {
        self.rows
            .retain(|(name, _)| rows.iter().any(|r| &r.name == name));
        for row in rows.iter_mut() {
            if row.trend.is_some() {
                continue; // Prometheus gave it.
            }
            let at = match self.rows.iter().position(|(n, _)| *n == row.name) {
                Some(at) => at,
                None => {
                    self.rows.push((
                        row.name.clone(),
                        Trend {
                            source: TrendSource::Reads,
                            step_seconds: None,
                            points: Vec::new(),
                            starts: Vec::new(),
                        },
                    ));
                    self.rows.len() - 1
                }
            };
            let trend = &mut self.rows[at].1;
            if let Some(rate) = &row.rate {
                trend.points.push(TrendPoint {
                    at: read_at,
                    reconciliations_per_minute: rate.reconciliations_per_minute,
                    errors_per_minute: rate.errors_per_minute,
                });
                if trend.points.len() > TREND_POINTS {
                    trend.points.drain(..trend.points.len() - TREND_POINTS);
                }
            }
            let Some(first) = trend.points.first().map(|p| p.at) else {
                continue;
            };
            // The span begins one interval before its first point (that point's rate covers it).
            let span_start = first - row.rate.as_ref().map_or(0.0, |r| r.seconds * 1000.0);
            for pod in &row.pods {
                if let Some(start) = pod.start_time.map(|s| s * 1000.0) {
                    if start >= span_start && start <= read_at && !trend.starts.contains(&start) {
                        trend.starts.push(start);
                    }
                }
            }
            trend.starts.retain(|s| *s >= span_start);
            trend.starts.sort_by(f64::total_cmp);
            row.trend = Some(trend.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{PodMetrics, Rate, Role};

    fn row(name: &str, per_minute: Option<f64>, pod_start: Option<f64>) -> DeploymentMetrics {
        let mut r = DeploymentMetrics::new(name, "flux-system", Role::Shard, None, true);
        r.rate = per_minute.map(|m| Rate {
            seconds: 10.0,
            reconciliations_per_minute: m,
            errors_per_minute: m / 10.0,
            restarted: false,
            window: None,
        });
        let mut pod = PodMetrics::new(format!("{name}-abc"), "Running".into(), true, 0);
        pod.start_time = pod_start;
        r.pods.push(pod);
        r
    }

    #[test]
    fn bounded_points_restart_marks_in_the_span_and_gone_rows_forgotten() {
        let mut h = History::default();
        for i in 0..(TREND_POINTS + 5) {
            let at = 1_000_000.0 + i as f64 * 10_000.0;
            // The pod restarts at the 30th read; it had started long before the trend.
            let start = if i < 30 {
                10.0
            } else {
                1_000.0 + 30.0 * 10.0 - 5.0
            };
            let mut rows = [row("a", Some(i as f64), Some(start)), row("b", None, None)];
            h.record(&mut rows, at);
            if i == TREND_POINTS + 4 {
                let t = rows[0].trend.as_ref().unwrap();
                assert_eq!(t.points.len(), TREND_POINTS);
                assert_eq!(t.points[0].reconciliations_per_minute, 5.0);
                assert_eq!(t.starts, [1_295_000.0]);
                assert!(rows[1].trend.is_none(), "no rate, no point");
            }
        }
        let mut rows = [row("b", Some(1.0), None)];
        h.record(&mut rows, 2_000_000.0);
        assert_eq!(h.rows.len(), 1, "row a forgotten");
    }
}
