//! Kubernetes name rules, checked before a name becomes part of a URL.

use std::fmt;

/// A name that Kubernetes would not accept, so it is not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    /// What the name was for ("namespace", "FluxShardSet name", "pod name").
    pub what: &'static str,
    /// The name as given.
    pub name: String,
    /// Which rule it breaks.
    pub reason: &'static str,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} {:?}: {}", self.what, self.name, self.reason)
    }
}

impl std::error::Error for NameError {}

fn check(name: &str, what: &'static str, max: usize, dots: bool) -> Result<(), NameError> {
    let fail = |reason| {
        Err(NameError {
            what,
            name: name.to_string(),
            reason,
        })
    };
    if name.is_empty() {
        return fail("it is empty");
    }
    if name.len() > max {
        return fail(if max == 63 {
            "it is longer than 63 characters"
        } else {
            "it is longer than 253 characters"
        });
    }
    let ok_char =
        |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || (dots && c == b'.');
    if !name.bytes().all(ok_char) {
        return fail(if dots {
            "only lowercase letters, digits, '-' and '.' are allowed"
        } else {
            "only lowercase letters, digits and '-' are allowed"
        });
    }
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let bytes = name.as_bytes();
    if !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return fail("it must start and end with a lowercase letter or digit");
    }
    if dots
        && name.split('.').any(|part| {
            part.is_empty() || !alnum(part.as_bytes()[0]) || !alnum(part.as_bytes()[part.len() - 1])
        })
    {
        return fail("each '.'-separated part must start and end with a lowercase letter or digit");
    }
    Ok(())
}

/// A namespace: an RFC 1123 label (lowercase letters, digits, `-`; at most 63).
///
/// ```
/// use flux_shard_metrics::kube::validate_namespace;
/// assert!(validate_namespace("flux-system").is_ok());
/// assert_eq!(
///     validate_namespace("../secrets").unwrap_err().to_string(),
///     "invalid namespace \"../secrets\": only lowercase letters, digits and '-' are allowed"
/// );
/// ```
pub fn validate_namespace(name: &str) -> Result<(), NameError> {
    check(name, "namespace", 63, false)
}

/// An object name: an RFC 1123 subdomain (lowercase letters, digits, `-`, `.`; at most 253).
///
/// ```
/// use flux_shard_metrics::kube::validate_name;
/// assert!(validate_name("pod", "source-controller-shard1-7d9c5b-x2x4q").is_ok());
/// assert!(validate_name("pod", "a/b").is_err());
/// assert!(validate_name("pod", "a%2Fb").is_err());
/// ```
pub fn validate_name(what: &'static str, name: &str) -> Result<(), NameError> {
    check(name, what, 253, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(validate_namespace("a").is_ok());
        assert!(validate_namespace(&"a".repeat(63)).is_ok());
        assert_eq!(
            validate_namespace(&"a".repeat(64)).unwrap_err().reason,
            "it is longer than 63 characters"
        );
        assert_eq!(validate_namespace("").unwrap_err().reason, "it is empty");
        assert_eq!(
            validate_namespace("-a").unwrap_err().reason,
            "it must start and end with a lowercase letter or digit"
        );
        assert!(validate_namespace("a.b").is_err());
        assert!(validate_name("x", "a.b").is_ok());
        assert!(validate_name("x", "a..b").is_err());
        assert!(validate_name("x", "A").is_err());
        assert!(validate_name("x", "a b").is_err());
        assert!(validate_name("x", "a?watch=1").is_err());
    }
}
