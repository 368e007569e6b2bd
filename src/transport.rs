//! The one thing discovery needs from the network: GET a path on the API
//! server. The wasm build plugs in `fetch` (`fetch.rs`); tests on the host
//! plug in a fake. Retries are decided here, once, like client-go's: a GET
//! that got HTTP 429 or 5xx with `Retry-After`, or whose connection was reset,
//! is tried again while the request's deadline allows.

use std::fmt;

use crate::kube::{parse_object, FromJson, List, NameError, Permission, Status};
use crate::problem::ProblemKind;

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
}

impl Accept {
    /// The header's value.
    pub fn header(self) -> &'static str {
        match self {
            Accept::Json => "application/json",
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

/// How many times a request is tried at most.
pub const MAX_ATTEMPTS: u32 = 4;

/// The wait before trying again after a reset: 200 ms, doubling.
fn backoff_ms(attempt: u32) -> u32 {
    200 << (attempt.saturating_sub(1)).min(4)
}

/// Sends GET `path` until it gets an answer worth keeping: an HTTP 429 or
/// 5xx with `Retry-After` (waiting as long as it says) and a connection reset
/// (backing off) are tried again, at most [`MAX_ATTEMPTS`] times in all and
/// never past the request's deadline, which covers the waits too.
pub async fn send<T: Transport>(
    transport: &T,
    path: &str,
    accept: Accept,
) -> Result<Response, TransportError> {
    let timeout = transport.timeout_ms();
    let start = transport.now_ms();
    let remaining = |now: f64| (f64::from(timeout) - (now - start)).max(0.0) as u32;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let budget = remaining(transport.now_ms());
        if budget == 0 {
            return Err(TransportError::Timeout { after_ms: timeout });
        }
        let result = transport.get(path, accept, budget).await;
        let wait_ms = match &result {
            Ok(r) if r.status == 429 || r.status >= 500 => {
                r.retry_after.map(|s| s.saturating_mul(1000))
            }
            Err(TransportError::Reset(_) | TransportError::Interrupted(_)) => {
                Some(backoff_ms(attempt))
            }
            _ => None,
        };
        match wait_ms {
            Some(wait) if attempt < MAX_ATTEMPTS && wait < remaining(transport.now_ms()) => {
                transport.sleep(wait).await;
            }
            _ => {
                return result.map_err(|e| match e {
                    // A timeout is the request's, not the attempt's.
                    TransportError::Timeout { .. } => TransportError::Timeout { after_ms: timeout },
                    e => e,
                });
            }
        }
    }
}

/// A request that failed, with what a person needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// A name that is not a valid Kubernetes name; nothing was sent.
    InvalidName(NameError),
    /// No response within the timeout.
    Timeout {
        /// The URL.
        url: String,
        /// The timeout, in milliseconds.
        after_ms: u32,
    },
    /// The API server could not be reached.
    Unreachable {
        /// The URL.
        url: String,
        /// Why, as the platform said it.
        reason: String,
    },
    /// The server answered, then the connection broke mid-body.
    Interrupted {
        /// The URL.
        url: String,
        /// Why, as the platform said it.
        reason: String,
    },
    /// The body was over the size cap.
    TooLarge {
        /// The URL.
        url: String,
        /// The cap, in bytes.
        limit: u64,
    },
    /// An HTTP error status; `message` is the API server's `Status.message` when it sent one.
    Http {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// `Status.message`, or the start of the body.
        message: String,
        /// The permission the request needs (named on 403).
        permission: Box<Permission>,
    },
    /// The object asked for does not exist (HTTP 404).
    NotFound {
        /// What was asked for ("FluxShardSet flux-system/x").
        what: String,
        /// The URL.
        url: String,
    },
    /// A 2xx response whose body is not what was asked for.
    BadBody {
        /// The URL.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::InvalidName(e) => write!(f, "{e}"),
            FetchError::Timeout { url, after_ms } => {
                write!(f, "no answer within {after_ms} ms from {url}")
            }
            FetchError::Unreachable { url, reason } => write!(f, "cannot reach {url}: {reason}"),
            FetchError::Interrupted { url, reason } => write!(
                f,
                "the connection to {url} broke while the response was being read: {reason}"
            ),
            FetchError::TooLarge { url, limit } => write!(
                f,
                "the response from {url} is larger than {}: reading stopped there",
                bytes(*limit)
            ),
            FetchError::Http {
                url,
                status,
                message,
                permission,
            } => {
                let said = if message.is_empty() {
                    String::new()
                } else {
                    format!(" The API server said: {message}")
                };
                match status {
                    401 => write!(f, "unauthorized (HTTP 401) for {url}: the API server did not accept the credentials.{said}"),
                    403 => write!(f, "forbidden (HTTP 403) for {url}: the RBAC permission {permission} is missing.{said}"),
                    404 => write!(f, "not found (HTTP 404): {url}.{said}"),
                    502..=504 if permission.resource == "pods/proxy" => {
                        write!(f, "the pod did not answer through the API server proxy (HTTP {status}) at {url}.{said}")
                    }
                    _ => write!(f, "HTTP {status} for {url}.{said}"),
                }
            }
            FetchError::NotFound { what, url } => {
                write!(f, "{what} does not exist (HTTP 404 for {url})")
            }
            FetchError::BadBody { url, reason } => {
                write!(f, "unexpected response from {url}: {reason}")
            }
        }
    }
}

impl std::error::Error for FetchError {}

/// A size for a person: `16 MiB`, `20000 bytes`.
fn bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

impl FetchError {
    /// The kind of problem this is, as JS sees it.
    pub fn kind(&self) -> ProblemKind {
        match self {
            FetchError::InvalidName(_) => ProblemKind::InvalidName,
            FetchError::Timeout { .. } => ProblemKind::Timeout,
            FetchError::Unreachable { .. } => ProblemKind::Unreachable,
            FetchError::Interrupted { .. } => ProblemKind::Interrupted,
            FetchError::TooLarge { .. } => ProblemKind::TooLarge,
            FetchError::Http { status: 401, .. } => ProblemKind::Unauthorized,
            FetchError::Http { status: 403, .. } => ProblemKind::Forbidden,
            FetchError::Http { status: 404, .. } | FetchError::NotFound { .. } => {
                ProblemKind::NotFound
            }
            FetchError::Http {
                status: 502..=504,
                permission,
                ..
            } if permission.resource == "pods/proxy" => ProblemKind::ProxyFailed,
            FetchError::Http { .. } => ProblemKind::HttpError,
            FetchError::BadBody { .. } => ProblemKind::BadResponse,
        }
    }
}

impl From<NameError> for FetchError {
    fn from(e: NameError) -> Self {
        FetchError::InvalidName(e)
    }
}

/// GETs `path`; an error status becomes [`FetchError::Http`] with the `Status` message.
pub async fn get<T: Transport>(
    transport: &T,
    path: &str,
    accept: Accept,
    permission: &Permission,
) -> Result<Response, FetchError> {
    let url = || transport.url(path);
    let response = send(transport, path, accept)
        .await
        .map_err(|e| failure(url(), e))?;
    if (200..300).contains(&response.status) {
        return Ok(response);
    }
    let message = match parse_object::<Status>(&response.body) {
        Ok(status) if !status.message.is_empty() => status.message,
        _ => response.body.trim().chars().take(200).collect(),
    };
    Err(FetchError::Http {
        url: url(),
        status: response.status,
        message,
        permission: Box::new(permission.clone()),
    })
}

/// What a request to `url` that got no response failed with.
pub fn failure(url: String, e: TransportError) -> FetchError {
    match e {
        TransportError::Timeout { after_ms } => FetchError::Timeout { url, after_ms },
        TransportError::Unreachable(reason) | TransportError::Reset(reason) => {
            FetchError::Unreachable { url, reason }
        }
        TransportError::Interrupted(reason) => FetchError::Interrupted { url, reason },
        TransportError::TooLarge { limit } => FetchError::TooLarge { url, limit },
    }
}

/// GETs `path` asking for `accept` and reads the JSON object in the body as `D`.
pub async fn get_json_as<T: Transport, D: FromJson>(
    transport: &T,
    path: &str,
    accept: Accept,
    permission: &Permission,
) -> Result<D, FetchError> {
    let response = get(transport, path, accept, permission).await?;
    parse_object(&response.body).map_err(|reason| FetchError::BadBody {
        url: transport.url(path),
        reason: match html_page(&response) {
            Some(start) => format!("it is an HTML page, not JSON (it starts with {start:?}): is the server setting pointing at the Kubernetes API?"),
            None => reason,
        },
    })
}

/// The start of a body that is an HTML page (a login page, a proxy's error page).
fn html_page(response: &Response) -> Option<String> {
    let body = response.body.trim_start();
    let html = response.content_type.contains("html")
        || body
            .get(..15)
            .is_some_and(|s| s.eq_ignore_ascii_case("<!doctype html>"))
        || body
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("<html"));
    html.then(|| body.chars().take(40).collect())
}

/// GETs `path` and reads the JSON object in the body as `D`.
pub async fn get_json<T: Transport, D: FromJson>(
    transport: &T,
    path: &str,
    permission: &Permission,
) -> Result<D, FetchError> {
    get_json_as(transport, path, Accept::Json, permission).await
}

/// Objects per page of a list, as kubectl asks.
pub const PAGE_SIZE: u32 = 500;

/// Lists every object at `path` (a list path without a query), page by page:
/// `limit` on each request and the `continue` token of each answer, until the
/// last page. A `continue` token that has expired (HTTP 410) starts the list
/// over, once.
pub async fn list_all<T: Transport, D: FromJson>(
    transport: &T,
    path: &str,
    permission: &Permission,
) -> Result<Vec<D>, FetchError> {
    list_selected(transport, path, None, permission).await
}

/// [`list_all`] of the objects whose labels match `selector` (a label selector).
pub async fn list_selected<T: Transport, D: FromJson>(
    transport: &T,
    path: &str,
    selector: Option<&str>,
    permission: &Permission,
) -> Result<Vec<D>, FetchError> {
    let query = match selector {
        Some(s) => format!("labelSelector={}&limit={PAGE_SIZE}", query_escape(s)),
        None => format!("limit={PAGE_SIZE}"),
    };
    let mut restarted = false;
    'list: loop {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page_path = match &token {
                None => format!("{path}?{query}"),
                Some(t) => format!("{path}?{query}&continue={}", query_escape(t)),
            };
            let page: List<D> = match get_json(transport, &page_path, permission).await {
                Err(FetchError::Http { status: 410, .. }) if token.is_some() && !restarted => {
                    restarted = true;
                    continue 'list;
                }
                other => other?,
            };
            items.extend(page.items);
            match page.continue_token {
                Some(t) => token = Some(t),
                None => return Ok(items),
            }
        }
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
