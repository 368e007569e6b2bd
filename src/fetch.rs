//! The wasm [`Transport`]: browser `fetch` through gloo-net (Node 20's global
//! `fetch` works the same). The only module that touches the network.

use gloo_net::http::Request;
use web_sys::{AbortSignal, RequestCredentials};

use crate::options::{ConnectionOptions, Credentials};
use crate::transport::{Accept, Response, Transport, TransportError};

/// Sends GETs with `fetch`.
pub struct FetchTransport {
    base: String,
    headers: Vec<(String, String)>,
    credentials: RequestCredentials,
    timeout_ms: u32,
    max_body: u64,
}

impl FetchTransport {
    /// A transport for checked options.
    pub fn new(options: &ConnectionOptions) -> FetchTransport {
        FetchTransport {
            base: options.server.clone(),
            headers: options.headers.clone(),
            credentials: match options.credentials {
                Credentials::Omit => RequestCredentials::Omit,
                Credentials::SameOrigin => RequestCredentials::SameOrigin,
                Credentials::Include => RequestCredentials::Include,
            },
            timeout_ms: options.timeout_ms,
            max_body: options.max_body_bytes,
        }
    }
}

impl Transport for FetchTransport {
    async fn get(&self, path: &str, accept: Accept) -> Result<Response, TransportError> {
        let url = self.url(path);
        let signal = AbortSignal::timeout_with_u32(self.timeout_ms);
        let mut request = Request::get(&url)
            .credentials(self.credentials)
            .abort_signal(Some(&signal))
            .header("Accept", accept.header());
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
            content_type: response.headers().get("content-type").unwrap_or_default(),
            body,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}
