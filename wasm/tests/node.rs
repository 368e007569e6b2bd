//! The wasm tests in Node: `cargo test --target wasm32-unknown-unknown --test node`.
#![cfg(target_arch = "wasm32")]

#[path = "wasm/parse.rs"]
mod parse;

#[path = "wasm/fetch.rs"]
mod fetch;
