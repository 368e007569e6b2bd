//! Prometheus as the source of the counts: the same rows, discovered through
//! the Kubernetes API, with their numbers over a window (`increase()` over
//! `5m`, `1h`, `7d`, …) from the Prometheus HTTP API instead of pod scrapes.
//! Pods that restarted, rolled or were evicted within the window keep their
//! counts, and a refresh costs a few queries whatever the number of pods.
//!
//! How series find their Deployment ([`pods`]): by the pod name in the series,
//! matched exactly against the pods listed now, else against the ReplicaSets
//! of each Deployment (a pod of ReplicaSet `R` is named `R-xxxxx`), else by the
//! names the Deployment controller gives (`<deployment>-<pod-template-hash>-xxxxx`,
//! both parts of its own alphabet), compared whole, never as a prefix.
//!
//! Each pod's answers are written out as the text a scrape of it would hold
//! over the window ([`exposition`]) and read by the same code as a scrape, so
//! the counts, durations and gauges follow one set of rules.
//!
//! ```
//! use flux_shard_metrics::prometheus::{Queries, Window};
//! let w = Window::parse("1h").unwrap();
//! assert_eq!(w.seconds, 3600.0);
//! let q = Queries::new("flux-system", &Default::default(), None, &w);
//! assert_eq!(q.reconciles, r#"max by (namespace, pod, controller, result) (increase(controller_runtime_reconcile_total{namespace="flux-system"}[1h]))"#);
//! ```

mod answer;
mod exposition;
mod options;
pub mod pods;
mod query;
mod read;
mod window;

pub use answer::{read_answer, Series};
pub use exposition::pod_exposition;
pub use options::{read_prometheus_options, Location, PrometheusOptions, SeriesLabels};
pub use pods::PodMapper;
pub use query::{query_path, Queries};
pub use read::{read_window, WindowRead};
pub use window::Window;
