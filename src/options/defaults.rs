//! Every default and limit of the options, decided here once: the core applies
//! them, and the TypeScript of the CLI, the element and the docs reads them
//! from `js/generated/defaults.ts`, generated from this file.

/// Per-request deadline when not told otherwise, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
/// The longest deadline accepted, in milliseconds (an hour).
pub const MAX_TIMEOUT_MS: u32 = 3_600_000;
/// The largest body read when not told otherwise: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;
/// The largest cap accepted: 1 GiB.
pub const MAX_BODY_BYTES: u64 = 1024 * 1024 * 1024;
/// Metrics requests at once when not told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// The most metrics requests at once.
pub const MAX_CONCURRENCY: usize = 64;
/// The window of the counts from Prometheus when none is given.
pub const DEFAULT_WINDOW: &str = "1h";
/// Seconds between two reads of the page, the element and `get --watch`, when not told otherwise.
pub const DEFAULT_REFRESH_SECONDS: u32 = 10;
/// The shortest refresh accepted, in seconds.
pub const MIN_REFRESH_SECONDS: u32 = 1;
/// The longest refresh accepted, in seconds (an hour).
pub const MAX_REFRESH_SECONDS: u32 = 3600;
/// How a URL option (`server`, `prometheus.url`) starts: an http(s) URL, or a path on the page's own origin.
pub const URL_PREFIXES: [&str; 3] = ["http://", "https://", "/"];

/// Whether `location` is a URL or a path on this origin (else, for Prometheus, a Service).
///
/// ```
/// use flux_shard_metrics::options::is_url_or_path;
/// assert!(is_url_or_path("https://prometheus:9090") && is_url_or_path("/api/prometheus"));
/// assert!(!is_url_or_path("monitoring/prometheus-operated:9090"));
/// ```
pub fn is_url_or_path(location: &str) -> bool {
    URL_PREFIXES.iter().any(|p| location.starts_with(p))
}
