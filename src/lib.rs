//! # flux-shard-metrics
//!
//! Per-shard reconciliation metrics for Flux `FluxShardSet`s, read straight
//! from each controller pod's Prometheus endpoint through the Kubernetes API.
//!
//! The core is pure Rust and knows nothing of HTTP or JavaScript: the
//! [`exposition`] module parses the Prometheus and OpenMetrics text formats,
//! [`pipeline`] reads a shard set over any [`transport::Transport`]. The wasm
//! boundary (the bindings the npm package calls and the `fetch` transport) is
//! its own crate, `flux-shard-metrics-wasm` (`wasm/`). `ARCHITECTURE.md` has
//! the layers; each module below uses only those listed before it.
//!
//! ```
//! use flux_shard_metrics::exposition::{parse, Format};
//!
//! let scrape = r#"# HELP controller_runtime_reconcile_total Total number of reconciliations per controller
//! ## TYPE controller_runtime_reconcile_total counter
//! controller_runtime_reconcile_total{controller="gitrepository",result="success"} 498
//! controller_runtime_reconcile_total{controller="gitrepository",result="error"} 1
//! "#;
//! let parsed = parse(scrape, Format::Prometheus);
//! assert!(parsed.errors.is_empty());
//! let family = parsed.family("controller_runtime_reconcile_total").unwrap();
//! let total: f64 = family.samples.iter().map(|s| s.value).sum();
//! assert_eq!(total, 499.0);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// A `Problem` (errors as data, with every field JS may read) is larger than
// clippy likes in a `Result`; errors are the rare path, so it is not boxed.
#![allow(clippy::result_large_err)]

// Utilities.
pub mod index;
pub mod json;
pub mod pool;
pub mod sort;
pub mod text;
pub mod url;

// Parsers and errors.
pub mod exposition;
pub mod kube;
pub mod problem;
pub mod promql;
pub mod scrape;

// The report model.
pub mod report;

// Options and pure rules.
pub mod artifacts;
pub mod assignment;
pub mod check;
pub mod dependencies;
pub mod groups;
pub mod options;
pub mod plan;
pub mod rates;
pub mod rows;
pub mod store;
pub mod trend;
pub mod verdict;

// I/O.
pub mod prometheus;
pub mod transport;

// The read pipeline.
pub mod pipeline;

// The TypeScript the JS side needs, generated from the types above (a test compares it).
#[cfg(test)]
mod typescript;

/// The README's Rust examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
