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
//!
//! What a request costs here, since a read of a shard set is a hundred of them
//! (the README's figures): one timer per attempt (`setTimeout` with the key of
//! its [`Wait`], no closure), one `RequestInit` per kind of request made once
//! (only the signal is set per request), and waits that are entries in a
//! table rather than a pair of closures each (`JsFuture`): a promise is given
//! two functions made once and bound to the wait's key, and a promise that
//! settles after its wait was given up (a read that lost to the deadline, a
//! timer cleared) finds no entry and is ignored, so nothing is kept alive.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use futures::future::{select, Either};
use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, RequestCredentials, RequestInit,
};

use flux_shard_metrics::options::{ConnectionOptions, Credentials};
use flux_shard_metrics::transport::{
    Accept, Response, Transport, TransportError, USER_AGENT, WATCH_QUIET_MS,
};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch(url, init)` (a `ReferenceError` where there is none).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn fetch_with(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
    /// The global `setTimeout(handler, ms, key)`: `handler(key)` after `ms`.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout_with_key(handler: &Function, ms: u32, key: f64) -> JsValue;
    /// The global `clearTimeout(id)`.
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    /// A promise, seen as something with a `then`.
    #[wasm_bindgen(extends = Promise)]
    type Thenable;
    /// `promise.then(resolve, reject)`, the promise it returns left alone (the functions never throw).
    #[wasm_bindgen(method, js_name = then)]
    fn then_with(this: &Thenable, resolve: &Function, reject: &Function);
    /// A function, seen as something with a `bind`.
    #[wasm_bindgen(extends = Function)]
    type Bindable;
    /// `function.bind(null, key)`.
    #[wasm_bindgen(method, js_name = bind)]
    fn bind_key(this: &Bindable, context: &JsValue, key: f64) -> Function;
    /// A `Response`, with the `type` web-sys leaves to a feature.
    #[wasm_bindgen(extends = web_sys::Response)]
    type FetchResponse;
    /// `basic` (same origin, and Node), `cors` (its headers filtered), …
    #[wasm_bindgen(method, getter, js_name = type)]
    fn kind(this: &FetchResponse) -> String;
    /// What `reader.read()` resolves to: `{ done, value }`.
    type ReadResult;
    #[wasm_bindgen(method, getter)]
    fn done(this: &ReadResult) -> bool;
    #[wasm_bindgen(method, getter)]
    fn value(this: &ReadResult) -> JsValue;
}

/// The waits in progress: a key for each, and its outcome once its promise settled.
#[derive(Default)]
struct Waits {
    next: u64,
    pending: Vec<Pending>,
}

struct Pending {
    key: u64,
    outcome: Option<Result<JsValue, JsValue>>,
    waker: Option<Waker>,
}

/// The two functions every promise waited for is given, bound to its wait's key.
struct Settle {
    resolve: Bindable,
    reject: Bindable,
}

thread_local! {
    static WAITS: RefCell<Waits> = RefCell::new(Waits::default());
    static SETTLE: Settle = Settle {
        resolve: settle_with(true),
        reject: settle_with(false),
    };
}

/// A function `(key, value)` that gives the wait `key` its outcome; made twice, kept for ever.
fn settle_with(ok: bool) -> Bindable {
    Closure::<dyn FnMut(JsValue, JsValue)>::new(move |key: JsValue, value: JsValue| {
        settle(&key, if ok { Ok(value) } else { Err(value) })
    })
    .into_js_value()
    .unchecked_into()
}

/// Records the outcome of the wait `key` and wakes its task; a key given up or not a key is ignored.
fn settle(key: &JsValue, outcome: Result<JsValue, JsValue>) {
    let Some(key) = key.as_f64() else { return };
    let waker = WAITS.with_borrow_mut(|waits| {
        let entry = waits.pending.iter_mut().find(|p| p.key as f64 == key)?;
        entry.outcome.get_or_insert(outcome);
        entry.waker.take()
    });
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// A wait for a promise or a timer: resolves to the promise's outcome; given up when dropped.
struct Wait {
    key: u64,
}

impl Wait {
    fn new() -> Wait {
        let key = WAITS.with_borrow_mut(|waits| {
            waits.next += 1;
            waits.pending.push(Pending {
                key: waits.next,
                outcome: None,
                waker: None,
            });
            waits.next
        });
        Wait { key }
    }

    /// Waits for `promise`.
    fn on(promise: &Promise) -> Wait {
        let wait = Wait::new();
        let key = wait.key as f64;
        SETTLE.with(|s| {
            promise.unchecked_ref::<Thenable>().then_with(
                &s.resolve.bind_key(&JsValue::NULL, key),
                &s.reject.bind_key(&JsValue::NULL, key),
            )
        });
        wait
    }
}

impl Future for Wait {
    type Output = Result<JsValue, JsValue>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let key = self.key;
        WAITS.with_borrow_mut(|waits| {
            let Some(at) = waits.pending.iter().position(|p| p.key == key) else {
                return Poll::Pending;
            };
            match waits.pending[at].outcome.is_some() {
                true => Poll::Ready(waits.pending.swap_remove(at).outcome.expect("settled")),
                false => {
                    let waker = &mut waits.pending[at].waker;
                    if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                        *waker = Some(cx.waker().clone());
                    }
                    Poll::Pending
                }
            }
        })
    }
}

impl Drop for Wait {
    fn drop(&mut self) {
        let key = self.key;
        // Dropped outside the table's borrow: an outcome holds JsValues.
        let given_up = WAITS.with_borrow_mut(|waits| {
            let at = waits.pending.iter().position(|p| p.key == key)?;
            Some(waits.pending.swap_remove(at))
        });
        drop(given_up);
    }
}

/// Stops a transfer's promise from going unhandled: a rejection Node would end the process on.
fn ignore(promise: &Promise) {
    SETTLE.with(|s| {
        promise
            .unchecked_ref::<Thenable>()
            .then_with(&s.resolve, &s.reject)
    });
}

/// A timer: resolves after `ms`, cleared when dropped so that it never keeps Node's event loop
/// alive.
struct Timer {
    wait: Wait,
    id: JsValue,
}

impl Timer {
    fn new(ms: u32) -> Timer {
        let wait = Wait::new();
        let id = SETTLE.with(|s| set_timeout_with_key(&s.resolve, ms, wait.key as f64));
        Timer { wait, id }
    }

    /// Waits for `work`, unless the timer fires first (`None`).
    async fn race(&mut self, work: &Promise) -> Option<Result<JsValue, JsValue>> {
        match select(Wait::on(work), &mut self.wait).await {
            Either::Left((result, _)) => Some(result),
            Either::Right(_) => None,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
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

/// The body's bytes as text; invalid UTF-8 replaced, as `fetch`'s `text()` does.
fn into_text(body: Vec<u8>) -> String {
    String::from_utf8(body).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Sends GETs with `fetch`.
pub struct FetchTransport {
    base: String,
    headers: Vec<(String, String)>,
    credentials: RequestCredentials,
    timeout_ms: u32,
    max_body: u64,
    /// The `RequestInit` of each kind of request ([`Accept`]), made on first use. `fetch` reads
    /// it before it returns, so one object serves every request: only its signal is set per
    /// request, just before the call.
    inits: RefCell<[Option<RequestInit>; 4]>,
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
            inits: RefCell::new([None, None, None, None]),
        }
    }

    /// The request's `RequestInit` with `signal`.
    fn init(&self, accept: Accept, signal: &web_sys::AbortSignal) -> Result<RequestInit, JsValue> {
        let index = match accept {
            Accept::Json => 0,
            Accept::Discovery => 1,
            Accept::Metrics => 2,
            Accept::Events => 3,
        };
        let mut inits = self.inits.borrow_mut();
        let init = match &inits[index] {
            Some(init) => init.clone(),
            None => {
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
                inits[index] = Some(init.clone());
                init
            }
        };
        init.set_signal(Some(signal));
        Ok(init)
    }

    async fn attempt(
        &self,
        url: &str,
        accept: Accept,
        deadline: &mut Timer,
        controller: &AbortController,
    ) -> Result<(Response, bool), TransportError> {
        let unreachable = |e: JsValue| TransportError::Unreachable(describe(&e).0);
        let init = self
            .init(accept, &controller.signal())
            .map_err(unreachable)?;
        let promise = fetch_with(url, &init).map_err(unreachable)?;
        let response: web_sys::Response = match deadline.race(&promise).await {
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
        let status = response.status();
        let headers = response.headers();
        let header = |name: &str| headers.get(name).ok().flatten();
        let content_type = header("content-type").unwrap_or_default();
        // Only an error status is tried again after its Retry-After.
        let retry_after = match (200..300).contains(&status) {
            true => None,
            false => header("retry-after").and_then(|s| s.trim().parse().ok()),
        };
        let length = header("content-length").and_then(|s| s.trim().parse::<u64>().ok());
        // The bytes the body has when it is complete: the Content-Length, when the bytes read are
        // the bytes sent (not decoded from gzip) and every header is seen (not a CORS answer, whose
        // Content-Encoding a browser may hide). Reading stops there, without the read that would
        // only say so.
        let complete_at = length.filter(|_| {
            let encoded = header("content-encoding")
                .is_some_and(|e| !e.trim().eq_ignore_ascii_case("identity"));
            !encoded && response.unchecked_ref::<FetchResponse>().kind() == "basic"
        });
        let quiet = (accept == Accept::Events).then_some(WATCH_QUIET_MS);
        let (body, cut) = match response.body() {
            None => (Vec::new(), false),
            Some(stream) => {
                let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
                let result = self
                    .read_body(&reader, deadline, quiet, length, complete_at)
                    .await;
                if !matches!(result, Ok((_, false))) {
                    // Stop the transfer: the reader first, then the connection. The promise
                    // `cancel` returns rejects when the stream has already failed: it is
                    // handled so that no rejection goes unhandled (Node ends a process on one).
                    ignore(&reader.cancel());
                }
                result?
            }
        };
        let response = Response {
            status,
            content_type,
            retry_after,
            body: into_text(body),
        };
        Ok((response, cut))
    }

    /// Reads the body chunk by chunk, each read racing the deadline, and stops at the cap; with
    /// `quiet`, also when no chunk came for that long (the body is then its complete lines, and
    /// `true` says the transfer was cut). `length`, the `Content-Length`, only sizes the buffer:
    /// the bytes that came are what counts, and the body ends at `complete_at` bytes when known.
    async fn read_body(
        &self,
        reader: &ReadableStreamDefaultReader,
        deadline: &mut Timer,
        quiet: Option<u32>,
        length: Option<u64>,
        complete_at: Option<u64>,
    ) -> Result<(Vec<u8>, bool), TransportError> {
        let mut body: Vec<u8> = Vec::new();
        loop {
            let read = reader.read();
            let raced = match quiet {
                None => deadline.race(&read).await,
                Some(ms) => {
                    let mut quiet = Timer::new(ms);
                    let quiet = std::pin::pin!(quiet.race(&read));
                    match select(quiet, &mut deadline.wait).await {
                        Either::Left((Some(r), _)) => Some(r),
                        Either::Left((None, _)) => {
                            let lines = body.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                            body.truncate(lines);
                            return Ok((body, true));
                        }
                        Either::Right(_) => None,
                    }
                }
            };
            let chunk: ReadResult = match raced {
                None => return Err(TransportError::Timeout { after_ms: 0 }),
                Some(Err(e)) => return Err(TransportError::Interrupted(describe(&e).0)),
                Some(Ok(chunk)) => chunk.unchecked_into(),
            };
            if chunk.done() {
                return Ok((body, false));
            }
            let Ok(bytes) = chunk.value().dyn_into::<Uint8Array>() else {
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
            if body.is_empty() {
                // Most bodies come in one chunk: copied once, into a buffer of the size announced.
                body = bytes.to_vec();
                if let Some(rest) = length.filter(|l| *l <= self.max_body) {
                    body.reserve((rest as usize).saturating_sub(len));
                }
            } else {
                let at = body.len();
                body.resize(at + len, 0);
                bytes.copy_to(&mut body[at..]);
            }
            if complete_at == Some(body.len() as u64) {
                return Ok((body, false));
            }
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
        let mut deadline = Timer::new(budget_ms);
        let result = self.attempt(&url, accept, &mut deadline, &controller).await;
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
        let mut timer = Timer::new(ms);
        let _ = (&mut timer.wait).await;
    }
}
