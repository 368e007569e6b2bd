//! The trends from Prometheus: two range queries over the window — the rate
//! column's expression and each pod's process start time — summed per row at
//! each step, so a row's line is there at the first read, gone pods included.

use std::collections::BTreeMap;

use futures::future::join;

use super::read::query_range;
use super::PodMapper;
use crate::options::PrometheusOptions;
use crate::problem::Problem;
use crate::promql::{RangeSeries, SeriesLabels, TrendQueries};
use crate::report::{DeploymentMetrics, Trend, TrendPoint, TrendSource, TREND_POINTS};
use crate::transport::Transport;

/// What the trends' range queries answered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrendRead {
    /// Reconciliations per second per pod, controller and result, at each step.
    pub rates: Vec<RangeSeries>,
    /// Each pod's process start time, at each step.
    pub starts: Vec<RangeSeries>,
    /// Seconds between steps.
    pub step_seconds: f64,
    /// The span queried, in seconds since the epoch.
    pub span: (f64, f64),
}

/// Sends the trends' two range queries for `namespace` over the window ending at `time` (seconds
/// since the epoch), through `transport`.
pub async fn read_trends<T: Transport>(
    transport: &T,
    options: &PrometheusOptions,
    namespace: &str,
    time: f64,
) -> Result<TrendRead, Problem> {
    let q = TrendQueries::new(
        namespace,
        &options.labels,
        options.cluster.as_deref(),
        &options.window,
        TREND_POINTS,
    );
    let span = (time - options.window.seconds, time);
    let range = (span.0, span.1, q.step_seconds);
    let (rates, starts) = join(
        query_range(transport, &options.location, &q.rates, range),
        query_range(transport, &options.location, &q.starts, range),
    )
    .await;
    Ok(TrendRead {
        rates: rates?,
        starts: starts?,
        step_seconds: q.step_seconds,
        span,
    })
}

/// Sets each row's trend from `read`: at each step, the sum of its pods' rates (per minute); the
/// starts of its pods' processes within the span. Series of pods no row has are left out.
pub fn place_trends(
    rows: &mut [DeploymentMetrics],
    read: &TrendRead,
    mapper: &PodMapper,
    labels: &SeriesLabels,
) {
    let row_of = |s: &RangeSeries| {
        s.label(&labels.pod)
            .and_then(|pod| mapper.row_of(pod))
            .map(|(row, _)| row)
    };
    // Per row: milliseconds → (reconciliations, errors) per minute.
    let mut sums: Vec<BTreeMap<u64, (f64, f64)>> = vec![BTreeMap::new(); rows.len()];
    for s in &read.rates {
        let Some(row) = row_of(s).filter(|r| *r < rows.len()) else {
            continue;
        };
        let error = s.label("result") == Some("error");
        for &(t, v) in &s.values {
            if !v.is_finite() {
                continue;
            }
            let point = sums[row].entry((t * 1000.0).round() as u64).or_default();
            point.0 += v * 60.0;
            if error {
                point.1 += v * 60.0;
            }
        }
    }
    let mut starts: Vec<Vec<f64>> = vec![Vec::new(); rows.len()];
    for s in &read.starts {
        let Some(row) = row_of(s).filter(|r| *r < rows.len()) else {
            continue;
        };
        for &(_, v) in &s.values {
            let ms = v * 1000.0;
            if v >= read.span.0 && v <= read.span.1 && !starts[row].contains(&ms) {
                starts[row].push(ms);
            }
        }
    }
    for ((row, sums), mut starts) in rows.iter_mut().zip(sums).zip(starts) {
        starts.sort_by(f64::total_cmp);
        row.trend = Some(Trend {
            source: TrendSource::Prometheus,
            step_seconds: Some(read.step_seconds),
            points: sums
                .into_iter()
                .map(|(at, (r, e))| TrendPoint {
                    at: at as f64,
                    reconciliations_per_minute: r,
                    errors_per_minute: e,
                })
                .collect(),
            starts,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Role;

    fn series(pod: &str, result: Option<&str>, values: &[(f64, f64)]) -> RangeSeries {
        let mut labels = vec![("pod".to_string(), pod.to_string())];
        if let Some(r) = result {
            labels.push(("result".into(), r.into()));
        }
        RangeSeries {
            labels,
            values: values.to_vec(),
        }
    }

    #[test]
    fn summed_per_row_and_step_with_restarts_in_the_span() {
        let mut rows = [
            DeploymentMetrics::new(
                "kustomize-controller",
                "flux-system",
                Role::Source,
                None,
                true,
            ),
            DeploymentMetrics::new(
                "kustomize-controller-shard1",
                "flux-system",
                Role::Shard,
                None,
                true,
            ),
        ];
        let mut mapper = PodMapper::default();
        mapper.deployment("kustomize-controller", 0);
        mapper.deployment("kustomize-controller-shard1", 1);
        let read = TrendRead {
            rates: vec![
                // A pod that is gone (another ReplicaSet hash) and the one that replaced it.
                series(
                    "kustomize-controller-shard1-6c9f8d7b5-bcdfg",
                    Some("success"),
                    &[(1000.0, 1.0), (1060.0, 0.5)],
                ),
                series(
                    "kustomize-controller-shard1-77dd4f9c8-fghjk",
                    Some("success"),
                    &[(1060.0, 0.5), (1120.0, 2.0)],
                ),
                series(
                    "kustomize-controller-shard1-77dd4f9c8-fghjk",
                    Some("error"),
                    &[(1120.0, 0.1)],
                ),
                series("unrelated-pod", Some("success"), &[(1000.0, 9.0)]),
            ],
            starts: vec![
                series(
                    "kustomize-controller-shard1-6c9f8d7b5-bcdfg",
                    None,
                    &[(1000.0, 10.0), (1060.0, 10.0)],
                ),
                series(
                    "kustomize-controller-shard1-77dd4f9c8-fghjk",
                    None,
                    &[(1060.0, 1050.0), (1120.0, 1050.0)],
                ),
            ],
            step_seconds: 60.0,
            span: (1000.0, 1120.0),
        };
        place_trends(&mut rows, &read, &mapper, &SeriesLabels::default());
        let t = rows[1].trend.as_ref().unwrap();
        let points: Vec<(f64, f64, f64)> = t
            .points
            .iter()
            .map(|p| (p.at, p.reconciliations_per_minute, p.errors_per_minute))
            .collect();
        assert_eq!(
            points,
            [
                (1_000_000.0, 60.0, 0.0),
                (1_060_000.0, 60.0, 0.0),
                (1_120_000.0, 126.0, 6.0)
            ]
        );
        assert_eq!(t.starts, [1_050_000.0]);
        assert_eq!(
            (t.source, t.step_seconds),
            (TrendSource::Prometheus, Some(60.0))
        );
        assert!(rows[0].trend.as_ref().unwrap().points.is_empty());
    }
}
