//! Why a request failed, worded for a person once (`Display`), its kind as
//! JS sees it, and the [`Problem`] it becomes.

use std::fmt;

use super::TransportError;
use crate::kube::{NameError, Permission};
use crate::problem::{Problem, ProblemKind};
use crate::text::bytes;

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

    /// Whether this is the API server's 404 for the object `name` of `resource` (plural) itself:
    /// its `Status.message` is `pods "NAME" not found`, the wording of every Kubernetes API server
    /// (apimachinery's `NewNotFound`). A 404 of what a proxy path reaches (a pod's own
    /// `404 page not found`) is not.
    ///
    /// ```
    /// use flux_shard_metrics::transport::FetchError;
    /// use flux_shard_metrics::kube::Resource;
    /// let e = |message: &str| FetchError::Http {
    ///     url: "http://127.0.0.1:8001/api/v1/namespaces/n/pods/p-1:8080/proxy/metrics".into(),
    ///     status: 404,
    ///     message: message.into(),
    ///     permission: Box::new(Resource::pod_proxy_permission("n")),
    /// };
    /// assert!(e("pods \"p-1\" not found").is_missing("pods", "p-1"));
    /// assert!(!e("404 page not found").is_missing("pods", "p-1"));
    /// ```
    pub fn is_missing(&self, resource: &str, name: &str) -> bool {
        match self {
            FetchError::Http {
                status: 404,
                message,
                ..
            } => {
                message
                    .strip_prefix(resource)
                    .and_then(|rest| rest.strip_prefix(" \""))
                    .and_then(|rest| rest.strip_suffix("\" not found"))
                    == Some(name)
            }
            _ => false,
        }
    }
}

impl From<NameError> for FetchError {
    fn from(e: NameError) -> Self {
        FetchError::InvalidName(e)
    }
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

impl From<&FetchError> for Problem {
    fn from(e: &FetchError) -> Problem {
        let mut p = Problem::new(e.kind(), e.to_string());
        match e {
            FetchError::InvalidName(_) => {}
            FetchError::Timeout { url, after_ms } => {
                p.url = Some(url.clone());
                p.timeout_ms = Some(*after_ms);
            }
            FetchError::Unreachable { url, .. }
            | FetchError::Interrupted { url, .. }
            | FetchError::NotFound { url, .. }
            | FetchError::BadBody { url, .. } => p.url = Some(url.clone()),
            FetchError::TooLarge { url, limit } => {
                p.url = Some(url.clone());
                p.limit_bytes = Some(*limit);
            }
            FetchError::Http {
                url,
                status,
                permission,
                ..
            } => {
                p.url = Some(url.clone());
                p.http_status = Some(*status);
                if *status == 403 {
                    p.permission = Some((**permission).clone());
                }
            }
        }
        if let FetchError::NotFound { .. } = e {
            p.http_status = Some(404);
        }
        p
    }
}

impl From<FetchError> for Problem {
    fn from(e: FetchError) -> Problem {
        Problem::from(&e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::Resource;

    #[test]
    fn a_forbidden_request_names_its_permission() {
        let e = FetchError::Http {
            url: "http://x/api/v1/namespaces/ns/pods/p:8080/proxy/metrics".into(),
            status: 403,
            message: "no".into(),
            permission: Box::new(Resource::pod_proxy_permission("ns")),
        };
        let p = Problem::from(&e);
        assert_eq!(p.kind, ProblemKind::Forbidden);
        assert_eq!(p.http_status, Some(403));
        assert_eq!(p.permission.as_ref().unwrap().resource, "pods/proxy");
        assert_eq!(p.message, e.to_string());
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["kind"], "forbidden");
        assert_eq!(json["permission"]["verb"], "get");
        assert_eq!(json["httpStatus"], 403);
    }
}
