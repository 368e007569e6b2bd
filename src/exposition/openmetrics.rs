//! The rules OpenMetrics 1.0 adds on top of the line grammar: what values a
//! type's samples may hold, how histogram buckets line up, and which family
//! names may stand side by side.

use super::model::{format_value, Family, MetricType, ParseError, Sample, Timestamp};
use super::parser::{parse_value, FamilyState, LineError};
use crate::fxhash::{FxMap, FxSet};

fn err(message: String) -> Result<(), LineError> {
    Err(LineError::at_start(message))
}

/// Checks one sample against its family type; a failing sample is left out.
pub(crate) fn check_sample(
    sample: &Sample<'_>,
    ty: MetricType,
    suffix: &str,
    family: &str,
) -> Result<(), LineError> {
    let v = sample.value;
    let shown = format_value(v);
    let counter_like = match (ty, suffix) {
        (MetricType::Counter, "_total") => Some("a counter's total"),
        (MetricType::Histogram, "_bucket") | (MetricType::GaugeHistogram, "_bucket") => {
            Some("a bucket count")
        }
        (MetricType::Histogram, "_count") | (MetricType::Summary, "_count") => Some("a count"),
        (MetricType::GaugeHistogram, "_gcount") => Some("a gauge histogram's count"),
        (MetricType::Histogram, "_sum") | (MetricType::Summary, "_sum") => Some("a sum"),
        _ => None,
    };
    if let Some(what) = counter_like {
        if v.is_nan() || v < 0.0 {
            return err(format!("{what} must not be negative or NaN, found {shown}"));
        }
        if matches!(suffix, "_bucket" | "_count" | "_gcount")
            && ty != MetricType::Summary
            && v.fract() != 0.0
        {
            return err(format!("{what} must be a whole number, found {shown}"));
        }
    }
    if suffix == "_gsum" && v.is_nan() {
        return err("a gauge histogram's sum must not be NaN".into());
    }
    match (ty, suffix) {
        (MetricType::Info, _) if v != 1.0 => {
            err(format!("an info sample's value must be 1, found {shown}"))
        }
        (MetricType::StateSet, _) => {
            if v != 0.0 && v != 1.0 {
                return err(format!(
                    "a stateset sample's value must be 0 or 1, found {shown}"
                ));
            }
            if sample.label(family).is_none() {
                return err(format!(
                    "a stateset sample needs a label named `{family}` for its state"
                ));
            }
            Ok(())
        }
        (MetricType::Summary, "") => match sample.label("quantile").and_then(parse_value) {
            Some(q) if (0.0..=1.0).contains(&q) => {
                if v < 0.0 {
                    return err(format!(
                        "a quantile's value must not be negative, found {shown}"
                    ));
                }
                Ok(())
            }
            _ => err("a summary quantile must be between 0 and 1".into()),
        },
        _ => Ok(()),
    }
}

/// A histogram's MetricPoint: the buckets and totals of one label set.
#[derive(Default)]
struct Point<'f> {
    first_line: u32,
    last_le: Option<(f64, &'f str)>,
    last_count: f64,
    inf_count: Option<f64>,
    count: Option<(f64, u32)>,
    gsum_line: Option<u32>,
    negative_gsum: bool,
    sum_line: Option<u32>,
    negative_le: bool,
}

/// Checks a whole family once its last line is read: bucket order and
/// totals of histograms, and that no label set repeats.
pub(crate) fn check_family(family: &Family<'_>, errors: &mut Vec<ParseError>) {
    let mut push = |line: u32, message: String| {
        errors.push(ParseError {
            line,
            column: 1,
            message,
        })
    };
    let mut seen: FxSet<String> = FxSet::default();
    for s in &family.samples {
        if !seen.insert(series_key(s, None, true)) {
            push(
                s.line,
                format!(
                    "`{}` with these labels appears twice in family `{}`",
                    s.name, family.name
                ),
            );
        }
    }
    // The samples of one Metric (its label set, less a bucket's `le`, a quantile's
    // `quantile` or a stateset's state label) must stand together.
    let mut metrics_seen: FxSet<String> = FxSet::default();
    let mut current: Option<String> = None;
    let mut previous: Option<&Sample<'_>> = None;
    for s in &family.samples {
        let key = metric_key(family, s);
        if current.as_deref() == Some(key.as_str()) {
            // Within one metric: timestamps on all samples or on none, and never backwards.
            let before = previous.and_then(|p| p.timestamp);
            match (before, s.timestamp) {
                (Some(_), None) | (None, Some(_)) => push(s.line, format!("`{}` mixes samples with and without a timestamp in one metric of family `{}`", s.name, family.name)),
                (Some(Timestamp::Seconds(a)), Some(Timestamp::Seconds(b))) if b < a && family.metric_type != MetricType::Info => {
                    push(s.line, format!("`{}`'s timestamp goes backwards within one metric of family `{}`", s.name, family.name))
                }
                _ => {}
            }
        }
        previous = Some(s);
        if current.as_deref() != Some(key.as_str()) {
            if !metrics_seen.insert(key.clone()) {
                push(s.line, format!("`{}` belongs with earlier samples of the same labels in family `{}`: a metric's samples must stand together", s.name, family.name));
            }
            current = Some(key);
        }
    }
    let (count_suffix, sum_suffix) = match family.metric_type {
        MetricType::Histogram => ("_count", "_sum"),
        MetricType::GaugeHistogram => ("_gcount", "_gsum"),
        _ => return,
    };
    let mut points: FxMap<String, Point<'_>> = FxMap::default();
    let mut order: Vec<String> = Vec::new();
    for s in &family.samples {
        let suffix = &s.name[family.name.len()..];
        if suffix == "_created" {
            continue;
        }
        let key = series_key(s, Some("le"), true);
        let point = points.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            Point {
                first_line: s.line,
                ..Point::default()
            }
        });
        if suffix == "_bucket" {
            let Some(le_text) = s.label("le") else {
                continue;
            };
            let Some(le) = parse_value(le_text) else {
                continue;
            };
            if let Some((last, last_text)) = point.last_le {
                if le <= last {
                    push(s.line, format!("bucket le=\"{le_text}\" follows le=\"{last_text}\": buckets must be in increasing order of `le`"));
                    continue;
                }
                if s.value < point.last_count {
                    let (now, before) = (format_value(s.value), format_value(point.last_count));
                    push(s.line, format!("bucket le=\"{le_text}\" counts {now} after {before}: bucket counts are cumulative and must not decrease"));
                }
            }
            point.negative_le |= le < 0.0;
            point.last_le = Some((le, le_text));
            point.last_count = s.value;
            if le == f64::INFINITY {
                point.inf_count = Some(s.value);
            }
        } else if suffix == count_suffix {
            point.count = Some((s.value, s.line));
        } else if suffix == sum_suffix {
            if suffix == "_gsum" {
                point.gsum_line = Some(s.line);
                point.negative_gsum |= s.value < 0.0;
            } else {
                point.sum_line = Some(s.line);
            }
        }
    }
    for key in order {
        let point = &points[&key];
        match point.inf_count {
            None => push(
                point.first_line,
                format!(
                    "{} `{}` has no `le=\"+Inf\"` bucket",
                    family.metric_type, family.name
                ),
            ),
            Some(inf) => {
                if let Some((count, line)) = point.count {
                    if count != inf {
                        push(
                            line,
                            format!(
                                "`{}{count_suffix}` is {} but the `+Inf` bucket counts {}; they must be equal",
                                family.name,
                                format_value(count),
                                format_value(inf)
                            ),
                        );
                    }
                }
            }
        }
        if family.metric_type == MetricType::Histogram && point.negative_le {
            if let Some(line) = point.sum_line {
                push(
                    line,
                    format!(
                        "histogram `{}` has buckets below zero, so it must not have `_sum`",
                        family.name
                    ),
                );
            }
        }
        // The count and the sum come together (a histogram with buckets below zero has no sum).
        let sum_line = point.sum_line.or(point.gsum_line);
        match (point.count, sum_line) {
            (None, Some(line)) => push(
                line,
                format!(
                    "`{}{sum_suffix}` needs `{}{count_suffix}` beside it",
                    family.name, family.name
                ),
            ),
            (Some((_, line)), None)
                if !point.negative_le || family.metric_type == MetricType::GaugeHistogram =>
            {
                push(
                    line,
                    format!(
                        "`{}{count_suffix}` needs `{}{sum_suffix}` beside it",
                        family.name, family.name
                    ),
                )
            }
            _ => {}
        }
        if point.negative_gsum && !point.negative_le {
            if let Some(line) = point.gsum_line {
                push(
                    line,
                    format!(
                        "`{}_gsum` is negative, which needs a bucket below zero",
                        family.name
                    ),
                );
            }
        }
    }
}

/// The sample name, its labels in sorted order (less `skip`) and, if asked, its timestamp, as one key.
fn series_key(sample: &Sample<'_>, skip: Option<&str>, with_timestamp: bool) -> String {
    let mut labels: Vec<(&str, &str)> = sample
        .labels
        .iter()
        .filter(|l| Some(&*l.name) != skip)
        .map(|l| (&*l.name, &*l.value))
        .collect();
    crate::sort::sort_by_key(&mut labels, |l| *l);
    let mut key = String::new();
    if skip.is_none() {
        key.push_str(&sample.name);
    }
    for (n, v) in labels {
        key.push('\u{0}');
        key.push_str(n);
        key.push('\u{1}');
        key.push_str(v);
    }
    if let Some(ts) = sample.timestamp.filter(|_| with_timestamp) {
        key.push('\u{2}');
        key.push_str(&match ts {
            Timestamp::Millis(ms) => ms.to_string(),
            Timestamp::Seconds(secs) => secs.to_bits().to_string(),
        });
    }
    key
}

/// Which Metric of its family a sample belongs to: its labels, less the one
/// that tells the samples of a Metric apart. All info samples count as one
/// Metric (nothing tells them apart).
fn metric_key(family: &Family<'_>, sample: &Sample<'_>) -> String {
    let suffix = &sample.name[family.name.len()..];
    let skip = match (family.metric_type, suffix) {
        (MetricType::Info, _) => return String::new(),
        (MetricType::Histogram | MetricType::GaugeHistogram, "_bucket") => "le",
        (MetricType::Summary, "") => "quantile",
        (MetricType::StateSet, _) => &family.name,
        // No label is named "": this skips none, and leaves the sample name out.
        _ => "",
    };
    series_key(sample, Some(skip), false)
}

/// Reports families whose possible sample names overlap (`a` histogram beside `a_count` gauge).
pub(crate) fn check_name_clashes(
    families: &[Family<'_>],
    state: &[FamilyState],
    errors: &mut Vec<ParseError>,
) {
    let mut owners: FxMap<String, usize> = FxMap::default();
    for (i, family) in families.iter().enumerate() {
        for suffix in family.metric_type.suffixes(super::Format::OpenMetrics) {
            let name = format!("{}{suffix}", family.name);
            if let Some(&other) = owners.get(&name) {
                let o = &families[other];
                errors.push(ParseError {
                    line: state[i].first_line,
                    column: 1,
                    message: format!(
                        "metric family `{}` clashes with {} `{}` of line {}: both could have samples named `{name}`",
                        family.name, o.metric_type, o.name, state[other].first_line
                    ),
                });
            } else {
                owners.insert(name, i);
            }
        }
    }
}
