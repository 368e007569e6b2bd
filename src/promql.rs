//! What this crate knows of Prometheus itself, without talking to it: PromQL
//! durations ([`Window`]), the four queries of a read and the paths they are
//! sent to ([`Queries`], [`query_path`]), and the answers of its HTTP API read
//! as series or as a problem ([`read_answer`]).
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

pub use answer::{read_answer, Series};
pub use query::{query_path, Location, Queries, SeriesLabels};
pub use window::Window;
