//! Each pod's answers written out as the text a scrape of it would hold over
//! the window, so that a scrape's reader counts them, with the same rules.

use std::fmt::Write;

use crate::exposition::format_value;
use crate::promql::{Series, SeriesLabels};
use crate::scrape::{RECONCILE_TIME_BUCKET, RECONCILE_TOTAL};

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

/// What Prometheus said about each pod, by pod name (sorted, looked up by
/// binary search: no hashing, so no series' names can make it slow).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodWindows {
    pods: Vec<(String, Option<PodWindow>)>,
}

impl PodWindows {
    fn position(&self, pod: &str) -> Result<usize, usize> {
        self.pods
            .binary_search_by(|(name, _)| name.as_str().cmp(pod))
    }

    /// The window of `pod`, if it has one (and it was not taken).
    pub fn get(&self, pod: &str) -> Option<&PodWindow> {
        self.position(pod)
            .ok()
            .and_then(|i| self.pods[i].1.as_ref())
    }

    /// Takes the window of `pod` out.
    pub fn remove(&mut self, pod: &str) -> Option<PodWindow> {
        let i = self.position(pod).ok()?;
        self.pods[i].1.take()
    }

    /// The pods whose windows were not taken, by name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.pods
            .iter()
            .filter(|(_, w)| w.is_some())
            .map(|(name, _)| name.as_str())
    }

    /// How many pods have a window (taken or not).
    pub fn len(&self) -> usize {
        self.pods.len()
    }

    /// Whether no pod has a window.
    pub fn is_empty(&self) -> bool {
        self.pods.is_empty()
    }
}

impl std::ops::Index<&str> for PodWindows {
    type Output = PodWindow;
    fn index(&self, pod: &str) -> &PodWindow {
        self.get(pod).expect("a pod with a window")
    }
}

/// One series' part in its pod's window.
enum Part<'s> {
    /// A line of the exposition: the name and the labels to keep.
    Line(&'s str, Vec<(&'s str, &'s str)>, f64),
    /// Reconciliations per second, and whether they are errors.
    Rate(f64, bool),
}

/// The pods' windows, by pod name, from the four answers ([`crate::promql::Queries`] order).
///
/// ```
/// use flux_shard_metrics::prometheus::pod_exposition;
/// use flux_shard_metrics::promql::Series;
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
) -> PodWindows {
    let mut parts: Vec<(&str, Part<'_>)> = Vec::new();
    for s in reconciles {
        let Some(pod) = s.label(&labels.pod) else {
            continue;
        };
        let own = vec![
            ("controller", s.label("controller").unwrap_or("")),
            ("result", s.label("result").unwrap_or("")),
        ];
        parts.push((pod, Part::Line(RECONCILE_TOTAL, own, s.value)));
    }
    for s in durations {
        let Some(pod) = s.label(&labels.pod) else {
            continue;
        };
        let own = vec![
            ("controller", s.label("controller").unwrap_or("")),
            ("le", s.label("le").unwrap_or("")),
        ];
        parts.push((pod, Part::Line(RECONCILE_TIME_BUCKET, own, s.value)));
    }
    for s in gauges {
        let (Some(pod), Some(name)) = (s.label(&labels.pod), s.label("__name__")) else {
            continue;
        };
        let own: Vec<(&str, &str)> = ["controller", "name"]
            .into_iter()
            .filter_map(|k| s.label(k).map(|v| (k, v)))
            .collect();
        parts.push((pod, Part::Line(name, own, s.value)));
    }
    for s in rate {
        let Some(pod) = s.label(&labels.pod) else {
            continue;
        };
        if s.value.is_finite() {
            parts.push((pod, Part::Rate(s.value, s.label("result") == Some("error"))));
        }
    }
    // Stable: each pod's lines stay in the order of the answers.
    crate::sort::sort_by(&mut parts, |a, b| a.0.cmp(b.0));
    let mut pods: Vec<(String, Option<PodWindow>)> = Vec::new();
    for (pod, part) in parts {
        if !matches!(pods.last(), Some((name, _)) if name == pod) {
            pods.push((pod.to_string(), Some(PodWindow::default())));
        }
        let window = pods
            .last_mut()
            .and_then(|(_, w)| w.as_mut())
            .expect("pushed above");
        match part {
            Part::Line(name, own, value) => line(&mut window.text, name, &own, value),
            Part::Rate(value, error) => {
                window.reconciliations_per_second += value;
                if error {
                    window.errors_per_second += value;
                }
            }
        }
    }
    PodWindows { pods }
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
