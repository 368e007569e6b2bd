//! The rules OpenMetrics 1.0 adds on top of the line grammar, one function
//! per rule: what values a type's samples may hold (`sample`), how a family's
//! samples hang together — metrics, timestamps, histogram buckets, counts and
//! sums (`family`) — and which family names may stand side by side (`names`).

mod family;
mod names;
mod sample;

pub(crate) use family::check_family;
pub(crate) use names::check_name_clashes;
pub(crate) use sample::check_sample;

use super::errors::LineError;

/// A rule's verdict on one sample: the message, at the start of its line.
type Verdict = Result<(), LineError>;

fn broken(message: String) -> Verdict {
    Err(LineError { offset: 0, message })
}
