//! How to reach the Kubernetes API: the connection options every call takes.

use super::defaults::{
    is_url_or_path, DEFAULT_CONCURRENCY, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS,
    MAX_BODY_BYTES, MAX_CONCURRENCY, MAX_TIMEOUT_MS,
};
use super::toolkit::Options;
use crate::problem::Problem;
use crate::text::shown;

/// `fetch`'s credentials mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Credentials {
    /// Never send cookies.
    Omit,
    /// Cookies for the page's own origin (the default).
    #[default]
    SameOrigin,
    /// Cookies for every origin.
    Include,
}

/// How to reach the Kubernetes API.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionOptions {
    /// Base URL of the API without a trailing `/`: `http://127.0.0.1:8001`
    /// (`kubectl proxy`), `""` (the page's own origin) or a backend prefix.
    pub server: String,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// `fetch` credentials.
    pub credentials: Credentials,
    /// Per-request deadline, covering the body.
    pub timeout_ms: u32,
    /// Largest body read.
    pub max_body_bytes: u64,
    /// Metrics requests at once.
    pub concurrency: usize,
}

impl Default for ConnectionOptions {
    fn default() -> Self {
        ConnectionOptions {
            server: String::new(),
            headers: Vec::new(),
            credentials: Credentials::SameOrigin,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

/// The keys of the connection options.
pub(crate) const CONNECTION_KEYS: [&str; 6] = [
    "server",
    "headers",
    "credentials",
    "timeoutMs",
    "maxBodyBytes",
    "concurrency",
];

/// Reads the connection options among `o`.
pub(crate) fn read_connection(o: &Options<'_>) -> Result<ConnectionOptions, Problem> {
    let server = match o.get("server") {
        None => String::new(),
        Some(_) => o.required_string("server")?,
    };
    if !(server.is_empty() || is_url_or_path(&server)) {
        return Err(o.invalid(
            "server",
            format!(
                "must be an http(s) URL, a path on this origin, or \"\", got {}",
                crate::text::shown_str(&server)
            ),
        ));
    }
    let headers = o.headers("headers")?;
    let credentials = match o.get("credentials") {
        None => Credentials::SameOrigin,
        Some(v) => match v.as_str() {
            Some("same-origin") => Credentials::SameOrigin,
            Some("omit") => Credentials::Omit,
            Some("include") => Credentials::Include,
            _ => {
                return Err(o.invalid(
                    "credentials",
                    format!(
                        "must be \"omit\", \"same-origin\" or \"include\", got {}",
                        shown(v)
                    ),
                ))
            }
        },
    };
    Ok(ConnectionOptions {
        server: server.trim_end_matches('/').to_string(),
        headers,
        credentials,
        timeout_ms: o
            .whole_number("timeoutMs", u64::from(MAX_TIMEOUT_MS))?
            .map_or(DEFAULT_TIMEOUT_MS, |n| n as u32),
        max_body_bytes: o
            .whole_number("maxBodyBytes", MAX_BODY_BYTES)?
            .unwrap_or(DEFAULT_MAX_BODY_BYTES),
        concurrency: o
            .whole_number("concurrency", MAX_CONCURRENCY as u64)?
            .map_or(DEFAULT_CONCURRENCY, |n| n as usize),
    })
}
