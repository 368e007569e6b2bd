//! Prometheus as the source of the counts: the same rows, discovered through
//! the Kubernetes API, with their numbers over a window (`increase()` over
//! `5m`, `1h`, `7d`, …) from the Prometheus HTTP API instead of pod scrapes.
//! Pods that restarted, rolled or were evicted within the window keep their
//! counts, and a refresh costs a few queries whatever the number of pods.
//!
//! The reader ([`read_window`], the one part that does I/O) sends the four
//! queries of [`crate::promql::Queries`]. How series find their Deployment
//! ([`pods`]): by the pod name in the series, matched exactly against the pods
//! listed now, else against the ReplicaSets of each Deployment (a pod of
//! ReplicaSet `R` is named `R-xxxxx`), else by the names the Deployment
//! controller gives (`<deployment>-<pod-template-hash>-xxxxx`, both parts of
//! its own alphabet), compared whole, never as a prefix. Each pod's answers
//! are written out as the text a scrape of it would hold over the window
//! ([`pod_exposition`]) and read by the same code as a scrape, so the counts,
//! durations and gauges follow one set of rules; [`place`] puts them in the rows.
//! The trends are two range queries over the window ([`read_trends`]), summed
//! per row at each step ([`place_trends`]).

mod exposition;
mod place;
pub mod pods;
mod read;
mod trend;

pub use exposition::{pod_exposition, PodWindow, PodWindows};
pub use place::{apply_rates, place, RowRates};
pub use pods::PodMapper;
pub use read::{read_window, WindowRead};
pub use trend::{place_trends, read_trends, TrendRead};
