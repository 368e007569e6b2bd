//! The wasm boundary of `flux-shard-metrics`: the wasm-bindgen exports the npm
//! package calls (convert, call the core, convert back; nothing else) and the
//! `fetch` transport ([`fetch`]), the only code that touches the network.
//!
//! The text comes in as UTF-8 bytes (one memcpy; a `&str` argument is copied
//! by a JS loop) and the result goes out in the compact form of
//! [`flux_shard_metrics::exposition::encode`], which `js/decode.ts` turns into
//! plain objects. The README's benchmark section has the figures that chose
//! this over one `JSON.parse` and over serde-wasm-bindgen.
//!
//! Two features, both on by default, choose the exports: `parse`
//! (`parseExposition`'s) and `cluster` (`getShardMetrics`', `listShardSets`',
//! and the `fetch` transport), so that each can also be built as a module of its own.
// The crate is empty elsewhere: a host build of the workspace compiles it to nothing.
#![cfg(target_arch = "wasm32")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "cluster")]
mod cluster;
#[cfg(feature = "cluster")]
pub mod fetch;
#[cfg(feature = "parse")]
mod parse;

#[cfg(feature = "cluster")]
pub use cluster::{get_shard_metrics_json, list_shard_sets_json};
#[cfg(feature = "parse")]
pub use parse::*;
