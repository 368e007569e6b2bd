//! # flux-shard-metrics
//!
//! Per-shard reconciliation metrics for Flux `FluxShardSet`s, read straight
//! from each controller pod's Prometheus endpoint through the Kubernetes API.
//!
//! The core is pure Rust and knows nothing of HTTP or JavaScript: the
//! [`exposition`] module parses the Prometheus and OpenMetrics text formats.
//! The `bindings` module (wasm32 only) is the thin layer the npm package calls.
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

pub mod aggregate;
pub mod assignment;
pub mod client;
pub mod counts;
pub mod discover;
pub mod exposition;
mod fxhash;
pub mod kube;
pub mod metrics;
pub mod options;
pub mod problem;
pub mod prometheus;
pub mod rates;
pub mod scrape;
pub mod sort;
pub mod status;
pub mod transport;

/// The README's Rust examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[cfg(target_arch = "wasm32")]
pub mod bindings;
#[cfg(target_arch = "wasm32")]
pub mod fetch;
