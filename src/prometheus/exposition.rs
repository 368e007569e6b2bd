//! Each pod's answers written out as the text a scrape of it would hold over
//! the window, so that a scrape's reader counts them, with the same rules.

use std::fmt::Write;

use super::{Series, SeriesLabels};
use crate::counts::{RECONCILE_TIME_BUCKET, RECONCILE_TOTAL};
use crate::exposition::format_value;
use crate::fxhash::FxMap;

/// What Prometheus said about one pod.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodWindow {
    /// Its exposition over the window: reconciliations and duration buckets as
    /// their increase, gauges as their last value.
    pub text: String,
    /// Reconciliations per second over the rate window.
    pub reconciliations_per_second: f64,
    /// Errors per second over the rate window.
    pub errors_per_second: f64,
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn line(out: &mut String, name: &str, labels: &[(&str, &str)], value: f64) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{k}=\"{}\"", escape(v));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {}", format_value(value));
}

/// The pods' windows, by pod name, from the four answers ([`super::Queries`] order).
///
/// ```
/// use flux_shard_metrics::prometheus::{pod_exposition, Series};
/// let s = |pod: &str, controller: &str, result: &str, value: f64| Series {
///     labels: [("pod", pod), ("controller", controller), ("result", result)].map(|(k, v)| (k.to_string(), v.to_string())).to_vec(),
///     value,
/// };
/// let pods = pod_exposition(&[s("p-1", "gitrepository", "error", 2.5)], &[], &[], &[], &Default::default());
/// assert_eq!(pods["p-1"].text, "controller_runtime_reconcile_total{controller=\"gitrepository\",result=\"error\"} 2.5\n");
/// ```
pub fn pod_exposition(
    reconciles: &[Series],
    durations: &[Series],
    gauges: &[Series],
    rate: &[Series],
    labels: &SeriesLabels,
) -> FxMap<String, PodWindow> {
    let mut pods: FxMap<String, PodWindow> = FxMap::default();
    let pod_of = |s: &Series| s.label(&labels.pod).map(str::to_string);
    for s in reconciles {
        let Some(pod) = pod_of(s) else { continue };
        let (controller, result) = (
            s.label("controller").unwrap_or(""),
            s.label("result").unwrap_or(""),
        );
        line(
            &mut pods.entry(pod).or_default().text,
            RECONCILE_TOTAL,
            &[("controller", controller), ("result", result)],
            s.value,
        );
    }
    for s in durations {
        let Some(pod) = pod_of(s) else { continue };
        let (controller, le) = (
            s.label("controller").unwrap_or(""),
            s.label("le").unwrap_or(""),
        );
        line(
            &mut pods.entry(pod).or_default().text,
            RECONCILE_TIME_BUCKET,
            &[("controller", controller), ("le", le)],
            s.value,
        );
    }
    for s in gauges {
        let (Some(pod), Some(name)) = (pod_of(s), s.label("__name__")) else {
            continue;
        };
        let own: Vec<(&str, &str)> = ["controller", "name"]
            .into_iter()
            .filter_map(|k| s.label(k).map(|v| (k, v)))
            .collect();
        line(&mut pods.entry(pod).or_default().text, name, &own, s.value);
    }
    for s in rate {
        let Some(pod) = pod_of(s) else { continue };
        if !s.value.is_finite() {
            continue;
        }
        let window = pods.entry(pod).or_default();
        window.reconciliations_per_second += s.value;
        if s.label("result") == Some("error") {
            window.errors_per_second += s.value;
        }
    }
    pods
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposition::Format;
    use crate::scrape::read_scrape;

    fn series(labels: &[(&str, &str)], value: f64) -> Series {
        Series {
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            value,
        }
    }

    #[test]
    fn a_pods_window_reads_as_a_scrape_would() {
        let labels = SeriesLabels::default();
        let pod = "source-controller-shard1-6f7d8c9b5x-abcde";
        let reconciles = [
            series(
                &[
                    ("pod", pod),
                    ("controller", "gitrepository"),
                    ("result", "success"),
                ],
                118.2,
            ),
            series(
                &[
                    ("pod", pod),
                    ("controller", "gitrepository"),
                    ("result", "error"),
                ],
                1.8,
            ),
            series(
                &[
                    ("namespace", "flux-system"),
                    ("controller", "x"),
                    ("result", "success"),
                ],
                5.0,
            ),
        ];
        let durations = [
            series(
                &[("pod", pod), ("controller", "gitrepository"), ("le", "0.1")],
                60.0,
            ),
            series(
                &[("pod", pod), ("controller", "gitrepository"), ("le", "1")],
                120.0,
            ),
            series(
                &[
                    ("pod", pod),
                    ("controller", "gitrepository"),
                    ("le", "+Inf"),
                ],
                120.0,
            ),
        ];
        let gauges = [
            series(
                &[
                    ("pod", pod),
                    ("__name__", "leader_election_master_status"),
                    ("name", "source-controller-leader-election"),
                ],
                1.0,
            ),
            series(
                &[
                    ("pod", pod),
                    ("__name__", "workqueue_depth"),
                    ("name", "gitrepository"),
                ],
                3.0,
            ),
            series(
                &[("pod", pod), ("__name__", "process_start_time_seconds")],
                1.7e9,
            ),
        ];
        let rate = [
            series(
                &[
                    ("pod", pod),
                    ("controller", "gitrepository"),
                    ("result", "success"),
                ],
                0.5,
            ),
            series(
                &[
                    ("pod", pod),
                    ("controller", "gitrepository"),
                    ("result", "error"),
                ],
                0.25,
            ),
        ];
        let pods = pod_exposition(&reconciles, &durations, &gauges, &rate, &labels);
        assert_eq!(
            pods.len(),
            1,
            "a series without a pod label belongs to no pod"
        );
        let w = &pods[pod];
        assert_eq!(
            (w.reconciliations_per_second, w.errors_per_second),
            (0.75, 0.25)
        );
        let scrape = read_scrape(&w.text, Format::Prometheus).unwrap();
        assert!(scrape.bad_lines.is_none(), "{}", w.text);
        assert_eq!(
            (scrape.counts.reconciliations, scrape.counts.errors),
            (120.0, 1.8)
        );
        assert_eq!(
            (
                scrape.leader,
                scrape.start_time,
                scrape.counts.workqueue_depth
            ),
            (Some(true), Some(1.7e9), Some(3.0))
        );
        assert_eq!(scrape.counts.duration_p50, Some(0.1));
    }
}
