//! Wording for people, shared by every message of the crate: counts, durations,
//! shares, sizes, and JSON values shown in a message. Whole numbers are
//! formatted as integers: `f64`'s `Display` costs 15 KB of wasm.

use serde_json::Value;

/// How JSON, messages and the JS decoder spell a value that is not a number.
pub const NAN: &str = "NaN";
/// How JSON, messages and the JS decoder spell positive infinity.
pub const POSITIVE_INFINITY: &str = "+Inf";
/// How JSON, messages and the JS decoder spell negative infinity.
pub const NEGATIVE_INFINITY: &str = "-Inf";

/// A value for a message, as the text formats write it: `NaN`, `+Inf`, `-Inf`,
/// integers without a fraction, others in shortest round-trip form through
/// serde_json's float writer (already in the wasm; `Display` for `f64` would
/// add another 15 KB).
///
/// ```
/// use flux_shard_metrics::exposition::format_value;
/// assert_eq!(format_value(3.0), "3");
/// assert_eq!(format_value(-0.25), "-0.25");
/// assert_eq!(format_value(f64::NEG_INFINITY), "-Inf");
/// assert_eq!(format_value(1e300), "1e+300");
/// ```
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        NAN.into()
    } else if v.is_infinite() {
        if v > 0.0 {
            POSITIVE_INFINITY
        } else {
            NEGATIVE_INFINITY
        }
        .into()
    } else if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
        (v as i64).to_string()
    } else {
        serde_json::to_string(&v).expect("finite floats serialize")
    }
}

/// A count as messages write it: `3`, `0.5`, `NaN` (whole numbers without a fraction).
///
/// ```
/// assert_eq!(flux_shard_metrics::text::count(3.0), "3");
/// ```
pub fn count(n: f64) -> String {
    format_value(n)
}

/// `1 error`, `3 errors`, `0 errors`.
///
/// ```
/// assert_eq!(flux_shard_metrics::text::counted(1.0, "error"), "1 error");
/// assert_eq!(flux_shard_metrics::text::counted(0.0, "error"), "0 errors");
/// ```
pub fn counted(n: f64, noun: &str) -> String {
    format!("{} {noun}{}", count(n), if n == 1.0 { "" } else { "s" })
}

/// A duration for a person: `45 s`, `15 min`, `5 h`, `28 days`.
pub fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min", s / 60)
    } else if s < 172_800 {
        format!("{} h", s / 3600)
    } else {
        format!("{} days", s / 86_400)
    }
}

/// A share as a percentage with one decimal (`0.2 %`).
pub fn percent(share: f64) -> String {
    let tenths = (share * 1000.0).round() as i64;
    format!("{}.{} %", tenths / 10, tenths % 10)
}

/// A size for a person: `16 MiB`, `20000 bytes`.
///
/// ```
/// assert_eq!(flux_shard_metrics::text::bytes(16 * 1024 * 1024), "16 MiB");
/// assert_eq!(flux_shard_metrics::text::bytes(20_000), "20000 bytes");
/// ```
pub fn bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

/// A JSON value as a message shows it, shortened to 60 characters.
///
/// ```
/// assert_eq!(flux_shard_metrics::text::shown(&serde_json::json!("x")), "\"x\"");
/// ```
pub fn shown(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 60 {
        let head: String = text.chars().take(57).collect();
        format!("{head}...")
    } else {
        text
    }
}

/// A string as a message quotes it, shown as JSON text.
pub fn shown_str(s: &str) -> String {
    shown(&Value::String(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_and_count() {
        assert_eq!(percent(0.05), "5.0 %");
        assert_eq!(percent(0.002), "0.2 %");
        assert_eq!(percent(0.8667), "86.7 %");
        assert_eq!(count(3.0), "3");
        assert_eq!(duration(44.6), "45 s");
        assert_eq!(duration(900.0), "15 min");
        assert_eq!(duration(3.0 * 86_400.0 + 5.0), "3 days");
    }
}
