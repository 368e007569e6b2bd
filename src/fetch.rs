//! The wasm [`Transport`]: browser `fetch` through gloo-net (Node 20's global
//! `fetch` works the same). The only module that touches the network.

use gloo_net::http::Request;
use serde_json::Value;
use web_sys::{AbortSignal, RequestCredentials};

use crate::transport::{Response, Transport, TransportError};

/// How to reach the API server, as the JS API passes it.
#[derive(Debug, Clone, Default)]
pub struct FetchOptions {
    /// Base URL of the Kubernetes API (`http://127.0.0.1:8001` for `kubectl
    /// proxy`, `""` for the page's own origin, or a backend prefix).
    pub server: String,
    /// Extra request headers (`Authorization`, …).
    pub headers: Vec<(String, String)>,
    /// `omit`, `same-origin` (default) or `include`.
    pub credentials: Option<String>,
    /// Per-request timeout in milliseconds (default 10 000).
    pub timeout_ms: Option<u32>,
    /// Largest body read, in bytes (default 16 MiB).
    pub max_body_bytes: Option<u64>,
    /// Metrics requests at once (default 8).
    pub concurrency: Option<usize>,
}

impl FetchOptions {
    /// Reads the options object of the JS API (`server`, `headers` as `[name, value]` pairs, …).
    pub fn from_json(v: &Value) -> Result<FetchOptions, String> {
        let positive = |key: &str| -> Result<Option<u64>, String> {
            match v.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(n) => n
                    .as_u64()
                    .filter(|&n| n > 0)
                    .map(Some)
                    .ok_or_else(|| format!("{key} must be a positive integer")),
            }
        };
        let mut headers = Vec::new();
        for pair in v
            .get("headers")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
        {
            match pair.as_array().map(Vec::as_slice) {
                Some([Value::String(name), Value::String(value)]) => {
                    headers.push((name.clone(), value.clone()))
                }
                _ => return Err("headers must be [name, value] pairs of strings".into()),
            }
        }
        Ok(FetchOptions {
            server: v
                .get("server")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            headers,
            credentials: v
                .get("credentials")
                .and_then(Value::as_str)
                .map(str::to_string),
            timeout_ms: positive("timeoutMs")?.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            max_body_bytes: positive("maxBodyBytes")?,
            concurrency: positive("concurrency")?.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        })
    }
}

/// Sends GETs with `fetch`.
pub struct FetchTransport {
    base: String,
    headers: Vec<(String, String)>,
    credentials: RequestCredentials,
    timeout_ms: u32,
    max_body: u64,
}

impl FetchTransport {
    /// Checks the options and builds the transport.
    pub fn new(options: &FetchOptions) -> Result<FetchTransport, String> {
        let credentials = match options.credentials.as_deref() {
            None | Some("same-origin") => RequestCredentials::SameOrigin,
            Some("omit") => RequestCredentials::Omit,
            Some("include") => RequestCredentials::Include,
            Some(other) => {
                return Err(format!(
                    "credentials must be \"omit\", \"same-origin\" or \"include\", got {other:?}"
                ))
            }
        };
        let base = options.server.trim_end_matches('/').to_string();
        if !(base.is_empty()
            || base.starts_with("http://")
            || base.starts_with("https://")
            || base.starts_with('/'))
        {
            return Err(format!(
                "server must be an http(s) URL, a path on this origin, or \"\", got {:?}",
                options.server
            ));
        }
        let timeout_ms = options.timeout_ms.unwrap_or(10_000);
        if timeout_ms == 0 {
            return Err("timeoutMs must be greater than 0".into());
        }
        Ok(FetchTransport {
            base,
            headers: options.headers.clone(),
            credentials,
            timeout_ms,
            max_body: options.max_body_bytes.unwrap_or(16 * 1024 * 1024),
        })
    }
}

impl Transport for FetchTransport {
    async fn get(&self, path: &str) -> Result<Response, TransportError> {
        let url = self.url(path);
        let signal = AbortSignal::timeout_with_u32(self.timeout_ms);
        let mut request = Request::get(&url)
            .credentials(self.credentials)
            .abort_signal(Some(&signal));
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let failed = |e: gloo_net::Error| {
            if signal.aborted() {
                TransportError::Timeout {
                    after_ms: self.timeout_ms,
                }
            } else {
                TransportError::Unreachable(e.to_string())
            }
        };
        let response = request.send().await.map_err(failed)?;
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|l| l.trim().parse::<u64>().ok());
        if declared.is_some_and(|l| l > self.max_body) {
            return Err(TransportError::TooLarge {
                limit: self.max_body,
            });
        }
        let body = response.text().await.map_err(failed)?;
        if body.len() as u64 > self.max_body {
            return Err(TransportError::TooLarge {
                limit: self.max_body,
            });
        }
        Ok(Response {
            status: response.status(),
            body,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}
