//! The wasm [`Transport`]: the platform's `fetch`, in browsers and in Node 20.
//! The only module that touches the network.
//!
//! One deadline covers each attempt, the body included: every wait — for the
//! answer and for each chunk of the body — races a timer of this module, so
//! nothing depends on the platform passing an abort on to a body being read
//! (Node loses it once the `Request` it was given is collected, nodejs/node#55428;
//! here `fetch(url, init)` is called with no `Request` object, and the
//! `AbortController` lives until the body is read). The body is read as a
//! stream and counted as its (decoded) bytes arrive: reading stops at the cap,
//! so memory stays within the cap times the number of requests at once. A
//! watch ([`Accept::Events`]) is read until the server ends it or no byte came
//! for [`WATCH_QUIET_MS`]; then the transfer is stopped and the complete lines
//! are the body.

use futures::future::{select, Either};
use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, RequestCredentials, RequestInit,
};

use flux_shard_metrics::options::{ConnectionOptions, Credentials};
use flux_shard_metrics::transport::{
    Accept, Response, Transport, TransportError, USER_AGENT, WATCH_QUIET_MS,
};

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

/// The global object's function `name` (`fetch`, `setTimeout`, `clearTimeout`).
fn global_fn(name: &str) -> Result<Function, JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name))?.dyn_into()
}

/// A timer: a promise that resolves after `ms`, cleared when dropped so that
/// it never keeps Node's event loop alive.
struct Timer {
    promise: Promise,
    id: JsValue,
}

impl Timer {
    fn new(ms: u32) -> Timer {
        let mut id = JsValue::UNDEFINED;
        let promise = Promise::new(&mut |resolve, _reject| {
            if let Ok(set_timeout) = global_fn("setTimeout") {
                id = set_timeout
                    .call2(&js_sys::global(), &resolve, &JsValue::from(ms))
                    .unwrap_or(JsValue::UNDEFINED);
            }
        });
        Timer { promise, id }
    }

    /// Waits for `work`, unless the timer fires first (`None`).
    async fn race(&self, work: Promise) -> Option<Result<JsValue, JsValue>> {
        match select(JsFuture::from(work), JsFuture::from(self.promise.clone())).await {
            Either::Left((result, _)) => Some(result),
            Either::Right(_) => None,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Ok(clear) = global_fn("clearTimeout") {
            let _ = clear.call1(&js_sys::global(), &self.id);
        }
    }
}

/// What the platform said when `fetch` or a read failed: the message, with
/// Node's cause and its code (`ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`).
fn describe(error: &JsValue) -> (String, String) {
    let text = |v: &JsValue, key: &str| {
        Reflect::get(v, &JsValue::from_str(key))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_default()
    };
    let mut message = text(error, "message");
    if message.is_empty() {
        message = error.as_string().unwrap_or_else(|| "failed".into());
    }
    let cause = Reflect::get(error, &JsValue::from_str("cause")).unwrap_or(JsValue::UNDEFINED);
    let code = if cause.is_object() {
        text(&cause, "code")
    } else {
        String::new()
    };
    if cause.is_object() {
        let detail = text(&cause, "message");
        if !detail.is_empty() {
            message = format!("{message} ({detail})");
        } else if !code.is_empty() {
            message = format!("{message} ({code})");
        }
    }
    (message, code)
}

/// Whether a connection error is a reset (worth another try), by Node's codes.
fn is_reset(code: &str) -> bool {
    matches!(
        code,
        "ECONNRESET" | "EPIPE" | "UND_ERR_SOCKET" | "UND_ERR_CLOSED"
    )
}

impl FetchTransport {
    fn init(&self, accept: Accept, controller: &AbortController) -> Result<RequestInit, JsValue> {
        let headers = Headers::new()?;
        headers.append("Accept", accept.header())?;
        // Browsers keep their own User-Agent; Node sends this one.
        let _ = headers.append("User-Agent", USER_AGENT);
        for (name, value) in &self.headers {
            headers.append(name, value)?;
        }
        let init = RequestInit::new();
        init.set_method("GET");
        init.set_headers(&headers);
        init.set_credentials(self.credentials);
        init.set_signal(Some(&controller.signal()));
        Ok(init)
    }

    async fn attempt(
        &self,
        url: &str,
        accept: Accept,
        timer: &Timer,
        controller: &AbortController,
    ) -> Result<(Response, bool), TransportError> {
        let init = self
            .init(accept, controller)
            .map_err(|e| TransportError::Unreachable(describe(&e).0))?;
        let fetch = global_fn("fetch")
            .map_err(|_| TransportError::Unreachable("this platform has no fetch()".into()))?;
        let promise: Promise = fetch
            .call2(&js_sys::global(), &JsValue::from_str(url), &init)
            .and_then(JsCast::dyn_into)
            .map_err(|e| TransportError::Unreachable(describe(&e).0))?;
        let response: web_sys::Response = match timer.race(promise).await {
            None => return Err(TransportError::Timeout { after_ms: 0 }),
            Some(Err(e)) => {
                let (message, code) = describe(&e);
                return Err(if is_reset(&code) {
                    TransportError::Reset(message)
                } else {
                    TransportError::Unreachable(message)
                });
            }
            Some(Ok(r)) => r.unchecked_into(),
        };
        let headers = response.headers();
        let header = |name: &str| headers.get(name).ok().flatten().unwrap_or_default();
        let quiet = (accept == Accept::Events).then_some(WATCH_QUIET_MS);
        let (body, cut) = match response.body() {
            None => (Vec::new(), false),
            Some(stream) => {
                let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
                let result = self.read_body(&reader, timer, quiet).await;
                if !matches!(result, Ok((_, false))) {
                    // Stop the transfer: the reader first, then the connection. The promise
                    // `cancel` returns rejects when the stream has already failed: it is
                    // awaited so that no rejection goes unhandled (Node ends a process on one).
                    let cancel = JsFuture::from(reader.cancel());
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = cancel.await;
                    });
                }
                result?
            }
        };
        let response = Response {
            status: response.status(),
            content_type: header("content-type"),
            retry_after: header("retry-after").trim().parse().ok(),
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        Ok((response, cut))
    }

    /// Reads the body chunk by chunk, each read racing the deadline, and stops at the cap; with
    /// `quiet`, also when no chunk came for that long (the body is then its complete lines, and
    /// `true` says the transfer was cut).
    async fn read_body(
        &self,
        reader: &ReadableStreamDefaultReader,
        timer: &Timer,
        quiet: Option<u32>,
    ) -> Result<(Vec<u8>, bool), TransportError> {
        let mut body: Vec<u8> = Vec::new();
        let started = js_sys::Date::now();
        loop {
            // A watch races its quiet timer, not the deadline: the deadline is checked per chunk.
            if quiet.is_some() && js_sys::Date::now() - started > f64::from(self.timeout_ms) {
                return Err(TransportError::Timeout { after_ms: 0 });
            }
            let read = reader.read();
            let raced = match quiet {
                None => timer.race(read).await,
                Some(ms) => match Timer::new(ms).race(read).await {
                    None => {
                        let lines = body.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                        body.truncate(lines);
                        return Ok((body, true));
                    }
                    Some(r) => Some(r),
                },
            };
            let chunk = match raced {
                None => return Err(TransportError::Timeout { after_ms: 0 }),
                Some(Err(e)) => return Err(TransportError::Interrupted(describe(&e).0)),
                Some(Ok(chunk)) => chunk,
            };
            let done = Reflect::get(&chunk, &JsValue::from_str("done"))
                .map(|d| d.is_truthy())
                .unwrap_or(true);
            if done {
                return Ok((body, false));
            }
            let Ok(bytes) = Reflect::get(&chunk, &JsValue::from_str("value"))
                .and_then(JsCast::dyn_into::<Uint8Array>)
            else {
                return Err(TransportError::Interrupted(
                    "the body stream gave something that is not bytes".into(),
                ));
            };
            let len = bytes.length() as usize;
            if body.len() as u64 + len as u64 > self.max_body {
                return Err(TransportError::TooLarge {
                    limit: self.max_body,
                });
            }
            let at = body.len();
            body.resize(at + len, 0);
            bytes.copy_to(&mut body[at..]);
        }
    }
}

impl Transport for FetchTransport {
    async fn get(
        &self,
        path: &str,
        accept: Accept,
        budget_ms: u32,
    ) -> Result<Response, TransportError> {
        let url = self.url(path);
        let controller =
            AbortController::new().map_err(|e| TransportError::Unreachable(describe(&e).0))?;
        let timer = Timer::new(budget_ms);
        let result = self.attempt(&url, accept, &timer, &controller).await;
        if !matches!(result, Ok((_, false))) {
            controller.abort();
        }
        result.map(|(response, _)| response)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    async fn sleep(&self, ms: u32) {
        let _ = Timer::new(ms).race(Promise::new(&mut |_, _| {})).await;
    }
}
