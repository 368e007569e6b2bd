//! What a parsed exposition holds: families of samples.

use std::borrow::Cow;
use std::fmt;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// Which text format to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Prometheus text format 0.0.4 (what Flux controllers serve by default).
    #[default]
    Prometheus,
    /// OpenMetrics 1.0, checked strictly.
    OpenMetrics,
}

impl Format {
    /// Reads a format name as the JS API and the CLI spell it.
    ///
    /// ```
    /// use flux_shard_metrics::exposition::Format;
    /// assert_eq!(Format::from_name("openmetrics"), Some(Format::OpenMetrics));
    /// assert_eq!(Format::from_name("json"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "prometheus" => Some(Format::Prometheus),
            "openmetrics" => Some(Format::OpenMetrics),
            _ => None,
        }
    }
}

/// The type a family was declared with (`# TYPE`), or `Untyped`/`Unknown` without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum MetricType {
    /// A monotonic counter.
    Counter,
    /// A value that goes up and down.
    Gauge,
    /// Cumulative buckets with `_bucket`, `_sum`, `_count`.
    Histogram,
    /// OpenMetrics: a histogram of a gauge (`_gcount`, `_gsum`).
    GaugeHistogram,
    /// Quantiles with `_sum`, `_count`.
    Summary,
    /// OpenMetrics: `_info` samples whose labels carry the information.
    Info,
    /// OpenMetrics: one sample per state, 0 or 1.
    StateSet,
    /// Prometheus text: no type given.
    Untyped,
    /// OpenMetrics: no type given.
    Unknown,
}

pub use crate::text::{format_value, NAN, NEGATIVE_INFINITY, POSITIVE_INFINITY};

impl MetricType {
    /// Every type, in the order of their codes in the encoded form (`js/generated/encoding.ts`).
    pub const ALL: [MetricType; 9] = [
        MetricType::Counter,
        MetricType::Gauge,
        MetricType::Histogram,
        MetricType::GaugeHistogram,
        MetricType::Summary,
        MetricType::Info,
        MetricType::StateSet,
        MetricType::Untyped,
        MetricType::Unknown,
    ];

    /// Reads a `# TYPE` word as the given format allows it.
    pub fn from_name(name: &str, format: Format) -> Option<MetricType> {
        let ty = match name {
            "counter" => MetricType::Counter,
            "gauge" => MetricType::Gauge,
            "histogram" => MetricType::Histogram,
            "summary" => MetricType::Summary,
            "untyped" if format == Format::Prometheus => MetricType::Untyped,
            "gaugehistogram" if format == Format::OpenMetrics => MetricType::GaugeHistogram,
            "info" if format == Format::OpenMetrics => MetricType::Info,
            "stateset" if format == Format::OpenMetrics => MetricType::StateSet,
            "unknown" if format == Format::OpenMetrics => MetricType::Unknown,
            _ => return None,
        };
        Some(ty)
    }

    /// The suffixes a sample name may add to the family name, `""` for the name itself.
    pub fn suffixes(self, format: Format) -> &'static [&'static str] {
        match (self, format) {
            (MetricType::Counter, Format::OpenMetrics) => &["_total", "_created"],
            (MetricType::Histogram, Format::OpenMetrics) => {
                &["_bucket", "_count", "_sum", "_created"]
            }
            (MetricType::Histogram, Format::Prometheus) => &["_bucket", "_count", "_sum"],
            (MetricType::GaugeHistogram, _) => &["_bucket", "_gcount", "_gsum"],
            (MetricType::Summary, Format::OpenMetrics) => &["", "_count", "_sum", "_created"],
            (MetricType::Summary, Format::Prometheus) => &["", "_count", "_sum"],
            (MetricType::Info, _) => &["_info"],
            _ => &[""],
        }
    }

    /// The word `# TYPE` uses.
    pub fn name(self) -> &'static str {
        match self {
            MetricType::Counter => "counter",
            MetricType::Gauge => "gauge",
            MetricType::Histogram => "histogram",
            MetricType::GaugeHistogram => "gaugehistogram",
            MetricType::Summary => "summary",
            MetricType::Info => "info",
            MetricType::StateSet => "stateset",
            MetricType::Untyped => "untyped",
            MetricType::Unknown => "unknown",
        }
    }
}

impl fmt::Display for MetricType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One `name="value"` pair, unescaped; borrowed from the input unless it held an escape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label<'a> {
    /// The label name.
    pub name: Cow<'a, str>,
    /// The label value.
    pub value: Cow<'a, str>,
}

/// A sample timestamp as written: integer milliseconds in Prometheus text, seconds in OpenMetrics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Timestamp {
    /// Prometheus text 0.0.4: milliseconds since the epoch.
    Millis(i64),
    /// OpenMetrics: seconds since the epoch.
    Seconds(f64),
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Timestamp::Millis(ms) => s.serialize_i64(ms),
            Timestamp::Seconds(secs) => s.serialize_f64(secs),
        }
    }
}

/// An OpenMetrics exemplar attached to a sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Exemplar<'a> {
    /// The exemplar's labels (a trace id, usually).
    #[serde(serialize_with = "labels_as_map")]
    #[cfg_attr(test, ts(type = "Record<string, string>"))]
    pub labels: Vec<Label<'a>>,
    /// The exemplar's value.
    #[serde(serialize_with = "value_as_js")]
    #[cfg_attr(test, ts(type = "number | \"NaN\" | \"+Inf\" | \"-Inf\""))]
    pub value: f64,
    /// The exemplar's timestamp in seconds, if given.
    #[cfg_attr(test, ts(type = "number | null"))]
    pub timestamp: Option<f64>,
}

/// Where a sample's labels are in its family's [`Family::labels`]: one
/// arena per family instead of a list per sample, so a parse makes a handful
/// of allocations and frees them as fast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LabelSpan {
    /// Index of the first label.
    pub start: u32,
    /// How many.
    pub len: u32,
}

impl LabelSpan {
    /// The range in the arena.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// One sample line.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Sample<'a> {
    /// The sample name, with the family's suffix (`_bucket`, `_total`, …).
    pub name: Cow<'a, str>,
    /// Its labels, in the order written, in the family's arena ([`Family::labels_of`]).
    #[cfg_attr(test, ts(type = "Record<string, string>"))]
    pub labels: LabelSpan,
    /// The value; JSON carries non-finite values as the strings `"NaN"`, `"+Inf"`, `"-Inf"`.
    #[cfg_attr(test, ts(type = "number | \"NaN\" | \"+Inf\" | \"-Inf\""))]
    pub value: f64,
    /// The timestamp as written, if any.
    #[cfg_attr(test, ts(type = "number | null"))]
    pub timestamp: Option<Timestamp>,
    /// An OpenMetrics exemplar, if any.
    #[cfg_attr(test, ts(optional))]
    pub exemplar: Option<Box<Exemplar<'a>>>,
    /// The 1-based line the sample was read from.
    #[cfg_attr(test, ts(skip))]
    pub line: u32,
}

/// Samples that share a metric name (or a histogram's / summary's base name).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Family<'a> {
    /// The family name, as in `# TYPE`, or the sample name for a family without one.
    pub name: Cow<'a, str>,
    /// The declared type.
    #[cfg_attr(test, ts(rename = "type"))]
    pub metric_type: MetricType,
    /// The `# HELP` text, unescaped.
    pub help: Option<Cow<'a, str>>,
    /// The OpenMetrics `# UNIT`.
    pub unit: Option<Cow<'a, str>>,
    /// The samples, in input order.
    pub samples: Vec<Sample<'a>>,
    /// The labels of every sample, one after the other; a sample's
    /// [`LabelSpan`] says which are its own.
    #[cfg_attr(test, ts(skip))]
    pub labels: Vec<Label<'a>>,
}

impl<'a> Family<'a> {
    /// The labels of `sample` (a sample of this family).
    pub fn labels_of(&self, sample: &Sample<'a>) -> &[Label<'a>] {
        &self.labels[sample.labels.range()]
    }

    /// The value of the label `name` of `sample`, if it has it.
    ///
    /// ```
    /// use flux_shard_metrics::exposition::{parse, Format};
    /// let parsed = parse("x{result=\"error\"} 2\n", Format::Prometheus);
    /// let family = &parsed.families[0];
    /// assert_eq!(family.label_of(&family.samples[0], "result"), Some("error"));
    /// ```
    pub fn label_of(&self, sample: &Sample<'a>, name: &str) -> Option<&str> {
        self.labels_of(sample)
            .iter()
            .find(|l| l.name == name)
            .map(|l| &*l.value)
    }
}

/// A sample as JSON writes it, with its labels from the family's arena.
struct SampleJson<'s, 'a> {
    sample: &'s Sample<'a>,
    labels: &'s [Label<'a>],
}

impl Serialize for SampleJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sample = self.sample;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("name", &*sample.name)?;
        map.serialize_entry("labels", &LabelsJson(self.labels))?;
        map.serialize_entry("value", &JsValue(sample.value))?;
        map.serialize_entry("timestamp", &sample.timestamp)?;
        if let Some(exemplar) = &sample.exemplar {
            map.serialize_entry("exemplar", exemplar)?;
        }
        map.end()
    }
}

impl Serialize for Family<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Samples<'f, 'a>(&'f Family<'a>);
        impl Serialize for Samples<'_, '_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.samples.iter().map(|sample| SampleJson {
                    sample,
                    labels: self.0.labels_of(sample),
                }))
            }
        }
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("name", &*self.name)?;
        map.serialize_entry("type", &self.metric_type)?;
        map.serialize_entry("help", &self.help)?;
        map.serialize_entry("unit", &self.unit)?;
        map.serialize_entry("samples", &Samples(self))?;
        map.end()
    }
}

/// A problem at one place of the input; parsing went on at the next line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ParseError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What was wrong, for a person.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}:{}", self.message, self.line, self.column)
    }
}

impl std::error::Error for ParseError {}

/// The result of [`parse`](super::parse): every family that parsed and every error, in input order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Exposition<'a> {
    /// Families in the order they first appear.
    pub families: Vec<Family<'a>>,
    /// Problems, sorted by position.
    pub errors: Vec<ParseError>,
}

impl<'a> Exposition<'a> {
    /// The family called `name`, if present.
    pub fn family(&self, name: &str) -> Option<&Family<'a>> {
        self.families.iter().find(|f| f.name == name)
    }

    /// Serializes to the JSON the JS API returns.
    ///
    /// ```
    /// use flux_shard_metrics::exposition::{parse, Format};
    /// let json = parse("up NaN\n", Format::Prometheus).to_json();
    /// assert_eq!(json, r#"{"families":[{"name":"up","type":"untyped","help":null,"unit":null,"samples":[{"name":"up","labels":{},"value":"NaN","timestamp":null}]}],"errors":[]}"#);
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an exposition always serializes")
    }
}

/// Labels as a JSON object.
struct LabelsJson<'l, 'a>(&'l [Label<'a>]);

impl Serialize for LabelsJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        labels_as_map(self.0, s)
    }
}

/// A value as the JS API writes it: a number, or `"NaN"`, `"+Inf"`, `"-Inf"`.
struct JsValue(f64);

impl Serialize for JsValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        value_as_js(&self.0, s)
    }
}

#[allow(clippy::ptr_arg)]
fn labels_as_map<S: Serializer>(labels: &[Label<'_>], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(labels.len()))?;
    for label in labels {
        map.serialize_entry(&*label.name, &*label.value)?;
    }
    map.end()
}

fn value_as_js<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    if value.is_finite() {
        s.serialize_f64(*value)
    } else if value.is_nan() {
        s.serialize_str(NAN)
    } else if *value > 0.0 {
        s.serialize_str(POSITIVE_INFINITY)
    } else {
        s.serialize_str(NEGATIVE_INFINITY)
    }
}
