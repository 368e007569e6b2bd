//! Rules on a whole family, checked once its last line is read: a metric's
//! samples stand together, with timestamps on all or none and never going
//! backwards; a histogram's buckets increase, accumulate and end at `+Inf`,
//! with counts and sums that agree.

use crate::exposition::model::{format_value, Family, MetricType, ParseError, Sample, Timestamp};
use crate::exposition::value::parse_value;
use std::collections::{BTreeMap, BTreeSet};

/// Where the rules report: a line and a message (column 1).
type Report<'r> = dyn FnMut(u32, String) + 'r;

/// Every rule on `family`, each problem appended to `errors`.
pub(crate) fn check_family(family: &Family<'_>, errors: &mut Vec<ParseError>) {
    let mut report = |line: u32, message: String| {
        errors.push(ParseError {
            line,
            column: 1,
            message,
        })
    };
    no_repeated_points(family, &mut report);
    metrics_stand_together(family, &mut report);
    timestamps_all_or_none(family, &mut report);
    timestamps_not_backwards(family, &mut report);
    if let Some(kind) = HistogramKind::of(family.metric_type) {
        let points = histogram_points(family);
        for point in &points {
            buckets_increase(family, point, &mut report);
            buckets_accumulate(point, &mut report);
            inf_bucket_present(family, point, &mut report);
            count_matches_inf_bucket(family, kind, point, &mut report);
            no_sum_with_negative_buckets(family, point, &mut report);
            count_and_sum_together(family, kind, point, &mut report);
            negative_gsum_needs_negative_bucket(family, point, &mut report);
        }
    }
}

/// The sample name, its labels in sorted order (less `skip`) as one key.
fn series_key(family: &Family<'_>, sample: &Sample<'_>, skip: Option<&str>) -> String {
    let mut labels: Vec<(&str, &str)> = family
        .labels_of(sample)
        .iter()
        .filter(|l| Some(&*l.name) != skip)
        .map(|l| (&*l.name, &*l.value))
        .collect();
    crate::sort::sort_by(&mut labels, |a, b| a.cmp(b));
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
    series_key(family, sample, Some(skip))
}

/// A sample without a timestamp is the one point of its series: it may not be
/// given twice. (With timestamps, a series may have several points, even at
/// one time: the conformance case `duplicate_timestamps_1` is valid.)
fn no_repeated_points(family: &Family<'_>, report: &mut Report<'_>) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for s in family.samples.iter().filter(|s| s.timestamp.is_none()) {
        if !seen.insert(series_key(family, s, None)) {
            report(
                s.line,
                format!(
                    "`{}` with these labels appears twice in family `{}`",
                    s.name, family.name
                ),
            );
        }
    }
}

/// The samples of one Metric (its label set, less a bucket's `le`, a
/// quantile's `quantile` or a stateset's state label) stand together.
fn metrics_stand_together(family: &Family<'_>, report: &mut Report<'_>) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut current: Option<String> = None;
    for s in &family.samples {
        let key = metric_key(family, s);
        if current.as_deref() != Some(key.as_str()) {
            if !seen.insert(key.clone()) {
                report(s.line, format!("`{}` belongs with earlier samples of the same labels in family `{}`: a metric's samples must stand together", s.name, family.name));
            }
            current = Some(key);
        }
    }
}

/// Consecutive samples of one Metric, as `(previous, sample)`.
fn within_metrics<'f, 'a>(
    family: &'f Family<'a>,
) -> impl Iterator<Item = (&'f Sample<'a>, &'f Sample<'a>)> + 'f {
    let keys: Vec<String> = family
        .samples
        .iter()
        .map(|s| metric_key(family, s))
        .collect();
    (1..family.samples.len())
        .filter(move |&i| keys[i] == keys[i - 1])
        .map(move |i| (&family.samples[i - 1], &family.samples[i]))
}

/// Within one Metric, timestamps are on all samples or on none.
fn timestamps_all_or_none(family: &Family<'_>, report: &mut Report<'_>) {
    for (before, s) in within_metrics(family) {
        if before.timestamp.is_some() != s.timestamp.is_some() {
            report(
                s.line,
                format!(
                    "`{}` mixes samples with and without a timestamp in one metric of family `{}`",
                    s.name, family.name
                ),
            );
        }
    }
}

/// Within one Metric (but an info's), timestamps never go backwards.
fn timestamps_not_backwards(family: &Family<'_>, report: &mut Report<'_>) {
    if family.metric_type == MetricType::Info {
        return;
    }
    for (before, s) in within_metrics(family) {
        if let (Some(Timestamp::Seconds(a)), Some(Timestamp::Seconds(b))) =
            (before.timestamp, s.timestamp)
        {
            if b < a {
                report(
                    s.line,
                    format!(
                        "`{}`'s timestamp goes backwards within one metric of family `{}`",
                        s.name, family.name
                    ),
                );
            }
        }
    }
}

/// A histogram or a gauge histogram, with the suffixes of its count and sum.
#[derive(Clone, Copy)]
struct HistogramKind {
    count: &'static str,
    sum: &'static str,
}

impl HistogramKind {
    fn of(ty: MetricType) -> Option<HistogramKind> {
        match ty {
            MetricType::Histogram => Some(HistogramKind {
                count: "_count",
                sum: "_sum",
            }),
            MetricType::GaugeHistogram => Some(HistogramKind {
                count: "_gcount",
                sum: "_gsum",
            }),
            _ => None,
        }
    }
}

/// A histogram's MetricPoint: the buckets and totals of one label set.
struct Point<'f> {
    first_line: u32,
    /// `(le, le as written, count, line)` in the order given.
    buckets: Vec<Bucket<'f>>,
    count: Option<(f64, u32)>,
    sum_line: Option<u32>,
    gsum: Option<(f64, u32)>,
}

impl Point<'_> {
    fn negative_le(&self) -> bool {
        self.buckets.iter().any(|b| b.0 < 0.0)
    }
}

fn histogram_points<'f>(family: &'f Family<'_>) -> Vec<Point<'f>> {
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut points: Vec<Point<'f>> = Vec::new();
    for s in &family.samples {
        let suffix = &s.name[family.name.len()..];
        if suffix == "_created" {
            continue;
        }
        let key = series_key(family, s, Some("le"));
        let i = *index.entry(key).or_insert_with(|| {
            points.push(Point {
                first_line: s.line,
                buckets: Vec::new(),
                count: None,
                sum_line: None,
                gsum: None,
            });
            points.len() - 1
        });
        let point = &mut points[i];
        match suffix {
            "_bucket" => {
                if let Some(text) = family.label_of(s, "le") {
                    if let Some(le) = parse_value(text) {
                        point.buckets.push((le, text, s.value, s.line));
                    }
                }
            }
            "_count" | "_gcount" => point.count = Some((s.value, s.line)),
            "_sum" => point.sum_line = Some(s.line),
            "_gsum" => point.gsum = Some((s.value, s.line)),
            _ => {}
        }
    }
    points
}

/// A bucket: `(le, le as written, count, line)`.
type Bucket<'p> = (f64, &'p str, f64, u32);

/// Each bucket with the last bucket before it that was in order: a bucket out
/// of order is reported once, and left out of the other bucket rules.
fn ordered_buckets<'p>(
    point: &'p Point<'_>,
) -> impl Iterator<Item = (&'p Bucket<'p>, Option<&'p Bucket<'p>>)> {
    let mut last: Option<&Bucket<'_>> = None;
    point.buckets.iter().map(move |b| {
        let before = last;
        let in_order = match before {
            None => true,
            Some(l) => l.0 < b.0,
        };
        if in_order {
            last = Some(b);
        }
        (b, before)
    })
}

/// Buckets come in increasing order of `le`.
fn buckets_increase(_family: &Family<'_>, point: &Point<'_>, report: &mut Report<'_>) {
    for (b, before) in ordered_buckets(point) {
        if let Some(last) = before.filter(|last| b.0 <= last.0) {
            report(b.3, format!("bucket le=\"{}\" follows le=\"{}\": buckets must be in increasing order of `le`", b.1, last.1));
        }
    }
}

/// Bucket counts are cumulative: they never decrease.
fn buckets_accumulate(point: &Point<'_>, report: &mut Report<'_>) {
    for (b, before) in ordered_buckets(point) {
        if let Some(last) = before.filter(|last| b.0 > last.0 && b.2 < last.2) {
            report(b.3, format!("bucket le=\"{}\" counts {} after {}: bucket counts are cumulative and must not decrease", b.1, format_value(b.2), format_value(last.2)));
        }
    }
}

fn inf_count(point: &Point<'_>) -> Option<f64> {
    point
        .buckets
        .iter()
        .rev()
        .find(|b| b.0 == f64::INFINITY)
        .map(|b| b.2)
}

/// Every point has a `+Inf` bucket.
fn inf_bucket_present(family: &Family<'_>, point: &Point<'_>, report: &mut Report<'_>) {
    if inf_count(point).is_none() {
        report(
            point.first_line,
            format!(
                "{} `{}` has no `le=\"+Inf\"` bucket",
                family.metric_type, family.name
            ),
        );
    }
}

/// The count equals the `+Inf` bucket.
fn count_matches_inf_bucket(
    family: &Family<'_>,
    kind: HistogramKind,
    point: &Point<'_>,
    report: &mut Report<'_>,
) {
    if let (Some(inf), Some((count, line))) = (inf_count(point), point.count) {
        if count != inf {
            report(
                line,
                format!(
                    "`{}{}` is {} but the `+Inf` bucket counts {}; they must be equal",
                    family.name,
                    kind.count,
                    format_value(count),
                    format_value(inf)
                ),
            );
        }
    }
}

/// A histogram with buckets below zero has no `_sum`.
fn no_sum_with_negative_buckets(family: &Family<'_>, point: &Point<'_>, report: &mut Report<'_>) {
    if family.metric_type == MetricType::Histogram && point.negative_le() {
        if let Some(line) = point.sum_line {
            report(
                line,
                format!(
                    "histogram `{}` has buckets below zero, so it must not have `_sum`",
                    family.name
                ),
            );
        }
    }
}

/// The count and the sum come together (but a histogram with buckets below zero has no sum).
fn count_and_sum_together(
    family: &Family<'_>,
    kind: HistogramKind,
    point: &Point<'_>,
    report: &mut Report<'_>,
) {
    let sum_line = point.sum_line.or(point.gsum.map(|g| g.1));
    match (point.count, sum_line) {
        (None, Some(line)) => report(
            line,
            format!(
                "`{}{}` needs `{}{}` beside it",
                family.name, kind.sum, family.name, kind.count
            ),
        ),
        (Some((_, line)), None)
            if !point.negative_le() || family.metric_type == MetricType::GaugeHistogram =>
        {
            report(
                line,
                format!(
                    "`{}{}` needs `{}{}` beside it",
                    family.name, kind.count, family.name, kind.sum
                ),
            )
        }
        _ => {}
    }
}

/// A negative `_gsum` needs a bucket below zero.
fn negative_gsum_needs_negative_bucket(
    family: &Family<'_>,
    point: &Point<'_>,
    report: &mut Report<'_>,
) {
    if let Some((gsum, line)) = point.gsum {
        if gsum < 0.0 && !point.negative_le() {
            report(
                line,
                format!(
                    "`{}_gsum` is negative, which needs a bucket below zero",
                    family.name
                ),
            );
        }
    }
}
