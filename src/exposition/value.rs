//! Sample values and timestamps.

use super::model::{Format, Timestamp};

/// Reads a value as Go's `ParseFloat` does for Prometheus: decimal, `NaN`, `±Inf`, `±Infinity`.
///
/// ```
/// use flux_shard_metrics::exposition::parse_value;
/// assert_eq!(parse_value("1.5e3"), Some(1500.0));
/// assert_eq!(parse_value("-Inf"), Some(f64::NEG_INFINITY));
/// assert!(parse_value("nan").unwrap().is_nan());
/// assert_eq!(parse_value("0x10"), None);
/// assert_eq!(parse_value("+NaN"), None);
/// ```
pub fn parse_value(s: &str) -> Option<f64> {
    let bytes = s.as_bytes();
    if !bytes.is_empty() && bytes.len() <= 15 && bytes.iter().all(u8::is_ascii_digit) {
        let n = bytes
            .iter()
            .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
        return Some(n as f64);
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let first = unsigned.as_bytes().first()?;
    if first.is_ascii_digit() || *first == b'.' {
        let digits_ok = unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
        return if digits_ok { s.parse().ok() } else { None };
    }
    if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        return Some(if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if s.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    None
}

/// Reads a timestamp as the format writes it: integer milliseconds in the
/// Prometheus text format, decimal seconds (finite) in OpenMetrics.
pub(crate) fn parse_timestamp(s: &str, format: Format) -> Option<Timestamp> {
    match format {
        Format::Prometheus => s.parse::<i64>().ok().map(Timestamp::Millis),
        Format::OpenMetrics => {
            let v = parse_value(s)?;
            v.is_finite().then_some(Timestamp::Seconds(v))
        }
    }
}
