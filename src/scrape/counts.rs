//! [`Counts`]: what a controller's metrics say about its work, the unit of
//! aggregation. A pod's counts are read from its scrape; a Deployment's are
//! the [`merge`](Counts::merge) of its pods'. Counters add, histogram buckets
//! add, gauges add, and quantiles are computed from the merged buckets.
//!
//! Adding a metric is one field here, one line in
//! [`from_exposition`](Counts::from_exposition) and one in `merge`.
//!
//! ```
//! use flux_shard_metrics::scrape::Counts;
//! use flux_shard_metrics::exposition::{parse, Format};
//! let pod = |text: &str| Counts::from_exposition(&parse(text, Format::Prometheus));
//! let mut deployment = pod("controller_runtime_reconcile_total{controller=\"gitrepository\",result=\"success\"} 8\n");
//! deployment.merge(&pod("controller_runtime_reconcile_total{controller=\"gitrepository\",result=\"error\"} 2\n"));
//! assert_eq!((deployment.reconciliations, deployment.errors), (10.0, 2.0));
//! assert_eq!(deployment.by_controller[0].reconciliations, 10.0);
//! ```

use std::collections::BTreeMap;

use serde::Serialize;

use super::controllers::{merge_sorted, ControllerCounts, ControllerSums};
use super::histogram::Histogram;

use crate::exposition::{parse_value, Exposition, Family, Sample};

/// The counter every controller-runtime controller exports, per `controller` and `result`.
pub const RECONCILE_TOTAL: &str = "controller_runtime_reconcile_total";
/// The reconcile duration histogram, per `controller`.
pub const RECONCILE_TIME_BUCKET: &str = "controller_runtime_reconcile_time_seconds_bucket";
/// Items waiting in each work queue (gauge, per queue `name`).
pub const WORKQUEUE_DEPTH: &str = "workqueue_depth";
/// Workers reconciling right now (gauge, per `controller`).
pub const ACTIVE_WORKERS: &str = "controller_runtime_active_workers";
/// Workers each controller may run at once (gauge, per `controller`).
pub const MAX_WORKERS: &str = "controller_runtime_max_concurrent_reconciles";

/// What a scrape (or the merge of several) says about the work done.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Sum of `controller_runtime_reconcile_total` over every controller and result.
    pub reconciliations: f64,
    /// The same over `result="error"`.
    pub errors: f64,
    /// Per `result` label (`success`, `error`, `requeue`, `requeue_after`).
    #[cfg_attr(test, ts(type = "Record<string, number>"))]
    pub by_result: BTreeMap<String, f64>,
    /// Per `controller` label, sorted by name.
    pub by_controller: Vec<ControllerCounts>,
    /// `controller_runtime_reconcile_time_seconds` buckets over every controller.
    #[serde(skip)]
    #[cfg_attr(test, ts(skip))]
    pub reconcile_time: Histogram,
    /// Median reconcile duration in seconds, from the merged buckets; `null` without observations.
    pub duration_p50: Option<f64>,
    /// 99th percentile of the reconcile duration in seconds; `null` without observations.
    pub duration_p99: Option<f64>,
    /// Items waiting in the work queues (`workqueue_depth`, summed); `null` when not reported.
    pub workqueue_depth: Option<f64>,
    /// Workers busy reconciling (`controller_runtime_active_workers`); `null` when not reported.
    pub active_workers: Option<f64>,
    /// Workers allowed (`controller_runtime_max_concurrent_reconciles`); `null` when not reported.
    pub max_workers: Option<f64>,
}

fn add_gauge(total: &mut Option<f64>, value: f64) {
    if value.is_finite() {
        *total = Some(total.unwrap_or(0.0) + value);
    }
}

fn merge_gauge(total: &mut Option<f64>, other: Option<f64>) {
    if let Some(v) = other {
        add_gauge(total, v);
    }
}

impl Counts {
    /// Reads the counts of one scrape. Samples are matched by sample name, so
    /// the Prometheus text format and OpenMetrics read the same, typed or not;
    /// non-finite values are left out of sums.
    pub fn from_exposition(parsed: &Exposition<'_>) -> Counts {
        let mut counts = Counts::default();
        let mut controllers = ControllerSums::default();
        let mut buckets = Vec::new();
        for family in &parsed.families {
            for sample in &family.samples {
                counts.add_sample(family, sample, &mut controllers, &mut buckets);
            }
        }
        counts.by_controller = controllers.into_sorted();
        counts.reconcile_time = Histogram::from_buckets(buckets);
        counts.compute_quantiles();
        counts
    }

    fn add_sample<'s>(
        &mut self,
        family: &'s Family<'_>,
        sample: &'s Sample<'_>,
        controllers: &mut ControllerSums<'s>,
        buckets: &mut Vec<(f64, f64)>,
    ) {
        let counts = self;
        match &*sample.name {
            RECONCILE_TOTAL => counts.add_reconciles(family, sample, controllers),
            RECONCILE_TIME_BUCKET => {
                if let Some(le) = family.label_of(sample, "le").and_then(parse_value) {
                    buckets.push((le, sample.value));
                }
            }
            WORKQUEUE_DEPTH => add_gauge(&mut counts.workqueue_depth, sample.value),
            ACTIVE_WORKERS => add_gauge(&mut counts.active_workers, sample.value),
            MAX_WORKERS => add_gauge(&mut counts.max_workers, sample.value),
            _ => {}
        }
    }

    fn add_reconciles<'s>(
        &mut self,
        family: &'s Family<'_>,
        sample: &'s Sample<'_>,
        controllers: &mut ControllerSums<'s>,
    ) {
        if !sample.value.is_finite() {
            return;
        }
        let result = family.label_of(sample, "result").unwrap_or("");
        let error = if result == "error" { sample.value } else { 0.0 };
        self.reconciliations += sample.value;
        self.errors += error;
        *self.by_result.entry(result.to_string()).or_default() += sample.value;
        controllers.add(
            family.label_of(sample, "controller").unwrap_or(""),
            sample.value,
            error,
        );
    }

    /// Adds `other` (another pod's counts) to these.
    pub fn merge(&mut self, other: &Counts) {
        self.reconciliations += other.reconciliations;
        self.errors += other.errors;
        for (result, v) in &other.by_result {
            *self.by_result.entry(result.clone()).or_default() += v;
        }
        self.by_controller = merge_sorted(&self.by_controller, &other.by_controller);
        self.reconcile_time.merge(&other.reconcile_time);
        merge_gauge(&mut self.workqueue_depth, other.workqueue_depth);
        merge_gauge(&mut self.active_workers, other.active_workers);
        merge_gauge(&mut self.max_workers, other.max_workers);
        self.compute_quantiles();
    }

    fn compute_quantiles(&mut self) {
        self.duration_p50 = self.reconcile_time.quantile(0.5);
        self.duration_p99 = self.reconcile_time.quantile(0.99);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposition::{parse, Format};

    fn counts(text: &str) -> Counts {
        let parsed = parse(text, Format::Prometheus);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        Counts::from_exposition(&parsed)
    }

    #[test]
    fn the_fixture() {
        let c = counts(include_str!("../../tests/fixtures/source-controller.prom"));
        assert_eq!(c.reconciliations, 7472.0);
        assert_eq!(c.errors, 6.0);
        assert_eq!(c.by_result["success"], 7451.0);
        assert_eq!(c.by_result["requeue_after"], 15.0);
        assert_eq!(
            c.by_controller[1],
            ControllerCounts {
                controller: "gitrepository".into(),
                reconciliations: 4226.0,
                errors: 3.0
            }
        );
        assert!(c.duration_p50.is_some() && c.duration_p99 >= c.duration_p50);
        assert!(c.workqueue_depth.is_some());
    }

    fn time_buckets(controller: &str, buckets: &[(&str, u32)]) -> String {
        buckets
            .iter()
            .map(|(le, n)| {
                format!("controller_runtime_reconcile_time_seconds_bucket{{controller=\"{controller}\",le=\"{le}\"}} {n}\n")
            })
            .collect()
    }

    #[test]
    fn merging_two_pods_merges_their_duration_histograms() {
        let bounds = ["0.05", "0.5", "5", "+Inf"];
        let pod = |controller: &str, counts: [u32; 4]| {
            let pairs: Vec<(&str, u32)> = bounds.iter().copied().zip(counts).collect();
            counts_of(&time_buckets(controller, &pairs))
        };
        fn counts_of(text: &str) -> Counts {
            counts(&format!(
                "# TYPE controller_runtime_reconcile_time_seconds histogram\n{text}"
            ))
        }
        // One pod: 20 observations, mostly fast; two controllers in the other: 80, slower.
        let a = pod("gitrepository", [10, 18, 20, 20]);
        assert_eq!(a.duration_p50, Some(0.05));
        let mut b = pod("gitrepository", [0, 30, 38, 40]);
        b.merge(&pod("helmchart", [0, 40, 40, 40]));
        let mut deployment = a.clone();
        deployment.merge(&b);
        // Merged buckets: 10, 88, 98, 100.
        let p50 = deployment.duration_p50.unwrap();
        assert!((p50 - (0.05 + 0.45 * 40.0 / 78.0)).abs() < 1e-12, "{p50}");
        // 98 of 100 within 5 s: the 99th percentile is in the +Inf bucket, read as 5 s.
        assert_eq!(deployment.duration_p99, Some(5.0));
        // The fast pod alone: rank 19.8 of 20 falls in (0.5, 5], 1.8 of its 2 observations in.
        assert!((a.duration_p99.unwrap() - (0.5 + 4.5 * 0.9)).abs() < 1e-9);
        // Merging is order independent.
        let mut other_way = b.clone();
        other_way.merge(&a);
        assert_eq!(other_way.duration_p99, deployment.duration_p99);
    }

    #[test]
    fn gauges_add_and_stay_null_when_absent() {
        let mut a = counts("workqueue_depth{name=\"gitrepository\"} 3\nworkqueue_depth{name=\"helmchart\"} 1\ncontroller_runtime_active_workers{controller=\"gitrepository\"} 2\n");
        assert_eq!(a.workqueue_depth, Some(4.0));
        assert_eq!(a.max_workers, None);
        a.merge(&counts("controller_runtime_max_concurrent_reconciles{controller=\"gitrepository\"} 4\nworkqueue_depth{name=\"x\"} NaN\n"));
        assert_eq!(
            (a.workqueue_depth, a.active_workers, a.max_workers),
            (Some(4.0), Some(2.0), Some(4.0))
        );
    }

    #[test]
    fn openmetrics_reads_the_same() {
        let om = parse(
            "# TYPE controller_runtime_reconcile counter\ncontroller_runtime_reconcile_total{controller=\"a\",result=\"error\"} 3\n# EOF\n",
            Format::OpenMetrics,
        );
        assert!(om.errors.is_empty(), "{:?}", om.errors);
        let c = Counts::from_exposition(&om);
        assert_eq!((c.reconciliations, c.errors), (3.0, 3.0));
    }

    #[test]
    fn serialized_fields() {
        let json = serde_json::to_value(Counts::default()).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "activeWorkers",
                "byController",
                "byResult",
                "durationP50",
                "durationP99",
                "errors",
                "maxWorkers",
                "reconciliations",
                "workqueueDepth"
            ]
        );
    }
}
