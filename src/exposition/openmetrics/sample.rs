//! Rules on one sample's value, given its family's type: a failing sample is left out.

use super::{broken, Verdict};
use crate::exposition::model::{format_value, Label, MetricType};
use crate::exposition::value::parse_value;

/// Every rule on one sample of a family of type `ty` (`suffix` after the family name).
pub(crate) fn check_sample(
    labels: &[Label<'_>],
    value: f64,
    ty: MetricType,
    suffix: &str,
    family: &str,
) -> Verdict {
    let sample = Sample {
        labels,
        value,
        ty,
        suffix,
        family,
    };
    for rule in RULES {
        rule(&sample)?;
    }
    Ok(())
}

struct Sample<'s> {
    labels: &'s [Label<'s>],
    value: f64,
    ty: MetricType,
    suffix: &'s str,
    family: &'s str,
}

impl Sample<'_> {
    fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|l| l.name == name)
            .map(|l| &*l.value)
    }
}

const RULES: [fn(&Sample<'_>) -> Verdict; 7] = [
    counts_not_negative,
    counts_whole,
    gsum_not_nan,
    info_is_one,
    stateset_is_boolean,
    quantile_in_range,
    inf_spelt_canonically,
];

/// What a counter-like sample is called, if it is one.
fn counter_like(s: &Sample<'_>) -> Option<&'static str> {
    match (s.ty, s.suffix) {
        (MetricType::Counter, "_total") => Some("a counter's total"),
        (MetricType::Histogram | MetricType::GaugeHistogram, "_bucket") => Some("a bucket count"),
        (MetricType::Histogram | MetricType::Summary, "_count") => Some("a count"),
        (MetricType::GaugeHistogram, "_gcount") => Some("a gauge histogram's count"),
        (MetricType::Histogram | MetricType::Summary, "_sum") => Some("a sum"),
        _ => None,
    }
}

/// Counters, bucket counts, counts and sums are never negative or NaN.
fn counts_not_negative(s: &Sample<'_>) -> Verdict {
    match counter_like(s) {
        Some(what) if s.value.is_nan() || s.value < 0.0 => broken(format!(
            "{what} must not be negative or NaN, found {}",
            format_value(s.value)
        )),
        _ => Ok(()),
    }
}

/// Bucket counts and histogram counts are whole numbers.
fn counts_whole(s: &Sample<'_>) -> Verdict {
    match counter_like(s) {
        Some(what)
            if matches!(s.suffix, "_bucket" | "_count" | "_gcount")
                && s.ty != MetricType::Summary
                && s.value.fract() != 0.0 =>
        {
            broken(format!(
                "{what} must be a whole number, found {}",
                format_value(s.value)
            ))
        }
        _ => Ok(()),
    }
}

/// A gauge histogram's sum is not NaN.
fn gsum_not_nan(s: &Sample<'_>) -> Verdict {
    if s.suffix == "_gsum" && s.value.is_nan() {
        return broken("a gauge histogram's sum must not be NaN".into());
    }
    Ok(())
}

/// An info sample's value is 1.
fn info_is_one(s: &Sample<'_>) -> Verdict {
    if s.ty == MetricType::Info && s.value != 1.0 {
        return broken(format!(
            "an info sample's value must be 1, found {}",
            format_value(s.value)
        ));
    }
    Ok(())
}

/// A stateset sample is 0 or 1 and names its state in a label named after the family.
fn stateset_is_boolean(s: &Sample<'_>) -> Verdict {
    if s.ty != MetricType::StateSet {
        return Ok(());
    }
    if s.value != 0.0 && s.value != 1.0 {
        return broken(format!(
            "a stateset sample's value must be 0 or 1, found {}",
            format_value(s.value)
        ));
    }
    if s.label(s.family).is_none() {
        return broken(format!(
            "a stateset sample needs a label named `{}` for its state",
            s.family
        ));
    }
    Ok(())
}

/// A summary's quantile is in [0, 1] and its value not negative.
fn quantile_in_range(s: &Sample<'_>) -> Verdict {
    if (s.ty, s.suffix) != (MetricType::Summary, "") {
        return Ok(());
    }
    match s.label("quantile").and_then(parse_value) {
        Some(q) if (0.0..=1.0).contains(&q) => {
            if s.value < 0.0 {
                return broken(format!(
                    "a quantile's value must not be negative, found {}",
                    format_value(s.value)
                ));
            }
            Ok(())
        }
        _ => broken("a summary quantile must be between 0 and 1".into()),
    }
}

/// An infinite `le` is written `+Inf`, the only spelling OpenMetrics gives it
/// (the conformance case `bad_histograms_12` rejects `le="+INF"`).
fn inf_spelt_canonically(s: &Sample<'_>) -> Verdict {
    if s.suffix != "_bucket" {
        return Ok(());
    }
    match s.label("le") {
        Some(le) if le != "+Inf" && parse_value(le) == Some(f64::INFINITY) => broken(format!(
            "le=\"{le}\": an infinite bucket bound is written `+Inf`"
        )),
        _ => Ok(()),
    }
}
