//! The one thing the read pipeline needs from the network: GET a path on the
//! API server. The wasm crate plugs in `fetch`; tests on the host plug in a
//! fake. Here: the [`Transport`] trait and its answers; retries like
//! client-go's (`retry.rs`); why a request failed, worded for a person
//! ([`FetchError`], `error.rs`); GETs read as JSON objects (`get.rs`); and
//! lists read page by page (`paging.rs`).

mod counting;
mod error;
mod get;
mod paging;
mod retry;

pub use counting::CountingTransport;
pub use error::{failure, FetchError};
pub use get::{get, get_json, get_json_as, get_json_value, json_of};
pub use paging::{list_all, list_at, list_selected, PAGE_SIZE};
pub use retry::{send, MAX_ATTEMPTS};

/// A response: status, `Content-Type`, `Retry-After` and body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// The `Content-Type` header (empty when absent).
    pub content_type: String,
    /// The `Retry-After` header in seconds, when it is a number.
    pub retry_after: Option<u32>,
    /// The body.
    pub body: String,
}

impl Response {
    /// A response of `status` with a JSON `body`.
    pub fn json(status: u16, body: impl Into<String>) -> Response {
        Response {
            status,
            content_type: "application/json".into(),
            retry_after: None,
            body: body.into(),
        }
    }
}

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("flux-shard-metrics/", env!("CARGO_PKG_VERSION"));

/// What a request asks for (its `Accept` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// An API object or list: `application/json`.
    Json,
    /// `/apis` as aggregated discovery, else plain JSON.
    Discovery,
    /// A metrics endpoint: OpenMetrics or the Prometheus text format, as Prometheus asks.
    Metrics,
    /// A watch: `application/json`, one event per line, read until the server ends it or until
    /// no byte came for [`WATCH_QUIET_MS`] (the events a watch from a past `resourceVersion`
    /// owes are sent at once; waiting longer would only wait for the future). The answer's body
    /// is then the complete lines that came.
    Events,
}

/// How long a watch is read after its last byte (or its headers) when nothing more comes, in
/// milliseconds; see [`Accept::Events`].
pub const WATCH_QUIET_MS: u32 = 150;

impl Accept {
    /// The header's value.
    pub fn header(self) -> &'static str {
        match self {
            Accept::Json | Accept::Events => "application/json",
            Accept::Discovery => crate::kube::AGGREGATED_DISCOVERY,
            Accept::Metrics => "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
        }
    }
}

/// Why a request got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// Aborted after the timeout.
    Timeout {
        /// The timeout, in milliseconds.
        after_ms: u32,
    },
    /// Could not connect (refused, DNS, CORS, TLS, …).
    Unreachable(String),
    /// The connection was reset before an answer: worth another try.
    Reset(String),
    /// The response started, then the connection broke before the body was complete.
    Interrupted(String),
    /// The body is larger than the cap: reading stopped there.
    TooLarge {
        /// The cap, in bytes.
        limit: u64,
    },
}

/// GETs paths on the Kubernetes API server. Only GET: nothing here can change the cluster.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// One attempt at GET `path` (an API path with its query, starting with
    /// `/`), asking for `accept`, ending within `budget_ms` — the body
    /// included — with [`TransportError::Timeout`] if it cannot.
    async fn get(
        &self,
        path: &str,
        accept: Accept,
        budget_ms: u32,
    ) -> Result<Response, TransportError>;
    /// The full URL of `path`, for messages.
    fn url(&self, path: &str) -> String;
    /// The deadline of one request, its retries included, in milliseconds.
    fn timeout_ms(&self) -> u32;
    /// A clock in milliseconds.
    fn now_ms(&self) -> f64;
    /// Waits `ms` milliseconds.
    async fn sleep(&self, ms: u32);
}
