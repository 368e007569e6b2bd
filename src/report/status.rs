//! A row's verdict, most severe first; the rules that decide it are in [`crate::verdict`].

use serde::Serialize;

/// A row's verdict, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Expected but absent, and the shard set controller is up to date.
    Missing,
    /// Not there or not ready yet: the shard set controller or the pods are catching up.
    Pending,
    /// Its label selector does not split the work as the shard set intends.
    Misconfigured,
    /// A running pod could not be scraped.
    Unreachable,
    /// Objects are assigned and nothing reconciles them.
    Stuck,
    /// Errors are at least [`crate::verdict::ERROR_SHARE`] of reconciliations, or rose since the previous read.
    Erroring,
    /// No reconciliations, and none expected.
    Idle,
    /// Working.
    Ok,
}

impl Status {
    /// Every status, most severe first.
    pub const ALL: [Status; 8] = [
        Status::Missing,
        Status::Pending,
        Status::Misconfigured,
        Status::Unreachable,
        Status::Stuck,
        Status::Erroring,
        Status::Idle,
        Status::Ok,
    ];

    /// The name as JSON and the page write it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Missing => "missing",
            Status::Pending => "pending",
            Status::Misconfigured => "misconfigured",
            Status::Unreachable => "unreachable",
            Status::Stuck => "stuck",
            Status::Erroring => "erroring",
            Status::Idle => "idle",
            Status::Ok => "ok",
        }
    }

    /// Whether `flux-shard-metrics get --check` fails on it: the row is not
    /// doing the work it was given and no waiting will fix it.
    pub fn fails_check(self) -> bool {
        matches!(
            self,
            Status::Missing | Status::Misconfigured | Status::Unreachable | Status::Stuck
        )
    }
}

/// A mark on a row: a status that applies to it (by the same name), or a finding that goes with
/// `misconfigured` — `overlapping`: another Deployment of the group selects some of its objects
/// too; `artifactServer`: a source-controller shard that does not advertise its own artifact server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Flag {
    /// [`Status::Missing`].
    Missing,
    /// [`Status::Pending`].
    Pending,
    /// [`Status::Misconfigured`].
    Misconfigured,
    /// Objects it selects are selected by another Deployment of the group as well.
    Overlapping,
    /// Its effective `--storage-adv-addr` does not name its own Service, or that Service is missing.
    ArtifactServer,
    /// [`Status::Unreachable`].
    Unreachable,
    /// [`Status::Stuck`].
    Stuck,
    /// [`Status::Erroring`].
    Erroring,
    /// [`Status::Idle`].
    Idle,
    /// [`Status::Ok`] (never flagged: a row that is ok has no flags).
    Ok,
}

impl From<Status> for Flag {
    fn from(s: Status) -> Flag {
        match s {
            Status::Missing => Flag::Missing,
            Status::Pending => Flag::Pending,
            Status::Misconfigured => Flag::Misconfigured,
            Status::Unreachable => Flag::Unreachable,
            Status::Stuck => Flag::Stuck,
            Status::Erroring => Flag::Erroring,
            Status::Idle => Flag::Idle,
            Status::Ok => Flag::Ok,
        }
    }
}

impl PartialEq<Status> for Flag {
    fn eq(&self, other: &Status) -> bool {
        *self == Flag::from(*other)
    }
}
