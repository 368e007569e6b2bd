//! Retries decided here, once, like client-go's: a GET that got HTTP 429 or
//! 5xx with `Retry-After`, or whose connection was reset, is tried again while
//! the request's deadline allows.

use super::{Accept, Response, Transport, TransportError};

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
