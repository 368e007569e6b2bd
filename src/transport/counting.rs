//! A [`Transport`] that counts the requests it passes on (`ShardMetrics.apiCalls`) and the
//! bytes of the bodies answered (the benches' bytes per read).

use std::cell::Cell;

use super::{Accept, Response, Transport, TransportError};

/// A [`Transport`] that counts the requests it passes on and the body bytes answered.
pub struct CountingTransport<'t, T> {
    inner: &'t T,
    count: Cell<u32>,
    bytes: Cell<usize>,
}

impl<'t, T: Transport> CountingTransport<'t, T> {
    /// Wraps `inner`.
    pub fn new(inner: &'t T) -> Self {
        CountingTransport {
            inner,
            count: Cell::new(0),
            bytes: Cell::new(0),
        }
    }

    /// Requests sent so far.
    pub fn count(&self) -> u32 {
        self.count.get()
    }

    /// The bytes of the bodies answered so far (error answers included; failed requests have none).
    pub fn bytes(&self) -> usize {
        self.bytes.get()
    }
}

impl<T: Transport> Transport for CountingTransport<'_, T> {
    async fn get(
        &self,
        path: &str,
        accept: Accept,
        budget_ms: u32,
    ) -> Result<Response, TransportError> {
        self.count.set(self.count.get() + 1);
        let answer = self.inner.get(path, accept, budget_ms).await;
        if let Ok(r) = &answer {
            self.bytes.set(self.bytes.get() + r.body.len());
        }
        answer
    }
    fn url(&self, path: &str) -> String {
        self.inner.url(path)
    }
    fn timeout_ms(&self) -> u32 {
        self.inner.timeout_ms()
    }
    fn now_ms(&self) -> f64 {
        self.inner.now_ms()
    }
    async fn sleep(&self, ms: u32) {
        self.inner.sleep(ms).await
    }
}
