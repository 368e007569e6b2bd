//! What this crate knows of Prometheus itself, without talking to it: PromQL
//! durations ([`Window`]), the four queries of a read and the paths they are
//! sent to ([`Queries`], [`query_path`]), the two range queries of the trends
//! ([`TrendQueries`], [`range_query_path`]), and the answers of its HTTP API
//! read as series or as a problem ([`read_answer`], [`read_range_answer`]).
//!
//! ```
//! use flux_shard_metrics::promql::{Queries, Window};
//! let w = Window::parse("1h").unwrap();
//! assert_eq!(w.seconds, 3600.0);
//! let q = Queries::new("flux-system", &Default::default(), None, &w);
//! assert_eq!(q.reconciles, r#"max by (namespace, pod, controller, result) (increase(controller_runtime_reconcile_total{namespace="flux-system"}[1h]))"#);
//! ```

mod answer;
mod query;
mod window;

pub use answer::{read_answer, read_range_answer, RangeSeries, Series};
pub use query::{query_path, range_query_path, Location, Queries, SeriesLabels, TrendQueries};
pub use window::Window;
