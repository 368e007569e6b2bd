//! Errors as data: what went wrong, as a stable `kind` a program can switch on,
//! the structured fields that go with it, and a message for a person.
//!
//! Every error that reaches JavaScript — a rejected promise, a pod that could
//! not be scraped, a row that is incomplete — is a [`Problem`]. The message is
//! written in one place (the `Display` of the error it comes from); the page
//! and the CLI choose hints by `kind`, never by matching the text.

use serde::Serialize;

use crate::kube::{NameError, Permission};

/// What kind of problem: stable names, part of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ProblemKind {
    /// A namespace or name that Kubernetes would not accept; nothing was sent.
    InvalidName,
    /// An option of the JS API or a flag of the CLI is wrong; `option` names it.
    InvalidOption,
    /// No complete answer within the deadline.
    Timeout,
    /// The server could not be reached (refused, DNS, TLS, CORS).
    Unreachable,
    /// The server answered, then the connection broke before the body was complete.
    Interrupted,
    /// The body was larger than the cap; reading stopped there.
    TooLarge,
    /// HTTP 401: the credentials were not accepted.
    Unauthorized,
    /// HTTP 403: an RBAC permission is missing; `permission` names it.
    Forbidden,
    /// HTTP 404, or the object asked for does not exist.
    NotFound,
    /// The pod did not answer through the API server's pod proxy (HTTP 502–504).
    ProxyFailed,
    /// Another HTTP error status.
    HttpError,
    /// A successful answer whose body is not what was asked for (not JSON, an HTML page, a wrong type).
    BadResponse,
    /// A pod's metrics endpoint answered with something that is not metrics text.
    NotMetrics,
    /// Some lines of a pod's metrics did not parse; they were left out, the rest counted.
    BadLines,
    /// The pod is not running (Pending, Unknown), so it was not scraped.
    NotRunning,
    /// The pod is being deleted (Terminating) and its metrics no longer answer: no failure.
    Terminating,
    /// The pod started moments ago, is not Ready yet, and its metrics do not answer yet: no failure.
    Starting,
    /// The shard is in `spec.shards` but not in the shard set's inventory.
    NotInInventory,
    /// The Deployment does not exist.
    DeploymentMissing,
    /// The Deployment has no pods.
    NoPods,
    /// The Deployment is scaled to zero replicas.
    ScaledToZero,
    /// The shard set names no source Deployment.
    NoSourceRef,
    /// A resource the view needs is not served by this cluster (its CRD is not installed).
    NotServed,
    /// A field of an API object has another JSON type than Kubernetes gives it; it was read as its default.
    BadField,
    /// Prometheus refused or could not run a query (`errorType` `bad_data`, `execution`, `timeout`, …).
    BadQuery,
    /// Prometheus has no series for what was asked (a namespace, or a pod), so its counts are unknown.
    NoSeries,
}

/// A problem, with the fields that go with its kind (`null` where they do not apply).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What went wrong, for a person.
    pub message: String,
    /// The pod it is about, when it is about one pod of a row.
    pub pod: Option<String>,
    /// The URL of the request that failed.
    pub url: Option<String>,
    /// The HTTP status, when the server answered with an error.
    pub http_status: Option<u16>,
    /// The RBAC permission the request needs (set for `forbidden`).
    pub permission: Option<Permission>,
    /// The option or flag that is wrong (set for `invalidOption`).
    pub option: Option<String>,
    /// The size cap in bytes (set for `tooLarge`).
    #[cfg_attr(test, ts(type = "number | null"))]
    pub limit_bytes: Option<u64>,
    /// The deadline in milliseconds (set for `timeout`).
    pub timeout_ms: Option<u32>,
}

impl Problem {
    /// A problem with only a kind and a message.
    pub fn new(kind: ProblemKind, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            message: message.into(),
            pod: None,
            url: None,
            http_status: None,
            permission: None,
            option: None,
            limit_bytes: None,
            timeout_ms: None,
        }
    }

    /// An invalid option or flag.
    ///
    /// ```
    /// use flux_shard_metrics::problem::{Problem, ProblemKind};
    /// let p = Problem::invalid_option("timeoutMs", "must be a whole number of milliseconds from 1 to 3600000, got -1");
    /// assert_eq!((p.kind, p.option.as_deref()), (ProblemKind::InvalidOption, Some("timeoutMs")));
    /// assert_eq!(p.message, "invalid option timeoutMs: must be a whole number of milliseconds from 1 to 3600000, got -1");
    /// ```
    pub fn invalid_option(option: &str, what: impl AsRef<str>) -> Problem {
        Problem {
            option: Some(option.to_string()),
            ..Problem::new(
                ProblemKind::InvalidOption,
                format!("invalid option {option}: {}", what.as_ref()),
            )
        }
    }

    /// The same problem, about `pod`.
    pub fn for_pod(mut self, pod: &str) -> Problem {
        self.pod = Some(pod.to_string());
        self
    }

    /// Its message, prefixed with its pod when it is about one (`pod NAME: …`).
    ///
    /// ```
    /// use flux_shard_metrics::problem::{Problem, ProblemKind};
    /// let p = Problem::new(ProblemKind::Timeout, "no answer").for_pod("p-1");
    /// assert_eq!(p.described(), "pod p-1: no answer");
    /// ```
    pub fn described(&self) -> String {
        match &self.pod {
            Some(pod) => format!("pod {pod}: {}", self.message),
            None => self.message.clone(),
        }
    }

    /// Whether this problem of a pod means it should have been read and could not be: not
    /// for lines left out (`badLines`), a pod that is not running, terminating or starting.
    pub fn is_read_failure(&self) -> bool {
        self.pod.is_some()
            && !self.is_transient()
            && !matches!(self.kind, ProblemKind::BadLines | ProblemKind::NotRunning)
    }

    /// Whether it is about a pod that is going (`terminating`) or coming (`starting`): it has no
    /// numbers, and none are missing.
    pub fn is_transient(&self) -> bool {
        matches!(self.kind, ProblemKind::Terminating | ProblemKind::Starting)
    }

    /// Whether a pod with this problem still has numbers (only `badLines`).
    pub fn keeps_numbers(&self) -> bool {
        self.kind == ProblemKind::BadLines
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<NameError> for Problem {
    fn from(e: NameError) -> Problem {
        Problem::new(ProblemKind::InvalidName, e.to_string())
    }
}
