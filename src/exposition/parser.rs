//! The line loop and the families: each line either adds to the families or
//! adds one error, and a bad line never stops the parse. The grammar of each
//! kind of line is in `sample.rs`, `labels.rs` and `metadata.rs`; the
//! OpenMetrics rules in `openmetrics.rs`.

use std::borrow::Cow;

use super::errors::{
    fail, family_split, metadata_after_samples, second_metadata, unit_not_allowed, LineResult,
};
use super::metadata::{read_metadata, Metadata};
use super::model::{Exposition, Family, Format, Label, LabelSpan, MetricType, ParseError, Sample};
use super::openmetrics;
use super::sample::{check_required_label, read_sample};
use crate::index::StrIndex;

/// Every suffix a sample name may carry, in the order they are tried.
const ALL_SUFFIXES: [&str; 9] = [
    "", "_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info",
];

/// Per-family bookkeeping the output does not carry.
struct FamilyState {
    /// Line that opened the family.
    first_line: u32,
    has_type: bool,
    has_help: bool,
    has_unit: bool,
}

struct Parser<'a> {
    format: Format,
    families: Vec<Family<'a>>,
    state: Vec<FamilyState>,
    errors: Vec<ParseError>,
    /// Family by name (an index no text can make slow: [`crate::index`]).
    index: StrIndex<Cow<'a, str>>,
    current: Option<usize>,
    eof_line: Option<u32>,
    /// The labels of the line being read, moved into its family's arena once it parses.
    scratch: Vec<Label<'a>>,
}

/// Parses an exposition in the given format.
///
/// Never fails as a whole: lines that do not parse are left out and reported
/// in [`Exposition::errors`] with line, column and what was expected.
///
/// # Examples
///
/// ```
/// use flux_shard_metrics::exposition::{parse, Format, MetricType};
///
/// let text = "# TYPE controller_runtime_reconcile_total counter\n\
///             controller_runtime_reconcile_total{controller=\"gitrepository\",result=\"success\"} 42\n\
///             oops{\n";
/// let parsed = parse(text, Format::Prometheus);
/// let family = &parsed.families[0];
/// assert_eq!(family.metric_type, MetricType::Counter);
/// assert_eq!(family.samples[0].value, 42.0);
/// assert_eq!(family.label_of(&family.samples[0], "result"), Some("success"));
/// assert_eq!(parsed.errors[0].to_string(), "expected a label name or `}` at 3:6");
/// ```
pub fn parse(input: &str, format: Format) -> Exposition<'_> {
    let mut parser = Parser {
        format,
        families: Vec::new(),
        state: Vec::new(),
        errors: Vec::new(),
        index: StrIndex::default(),
        current: None,
        eof_line: None,
        scratch: Vec::new(),
    };
    let mut rest = input;
    let mut line_no: u32 = 0;
    let mut last_terminated = true;
    while !rest.is_empty() {
        line_no = line_no.saturating_add(1);
        let (line, next, terminated) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => (&rest[..i], &rest[i + 1..], true),
            None => (rest, "", false),
        };
        last_terminated = terminated;
        if parser.eof_line.is_some() {
            parser.error(line_no, line, 0, "unexpected text after `# EOF`");
            break;
        }
        parser.line(line, line_no);
        rest = next;
    }
    parser.finish(line_no, last_terminated)
}

/// The 1-based column of a byte offset, in characters.
fn column(line: &str, offset: usize) -> u32 {
    let offset = offset.min(line.len());
    let mut cut = offset;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    u32::try_from(line[..cut].chars().count() + 1).unwrap_or(u32::MAX)
}

impl<'a> Parser<'a> {
    fn strict(&self) -> bool {
        self.format == Format::OpenMetrics
    }

    fn error(&mut self, line_no: u32, line: &str, offset: usize, message: impl Into<String>) {
        self.errors.push(ParseError {
            line: line_no,
            column: column(line, offset),
            message: message.into(),
        });
    }

    fn line(&mut self, raw: &'a str, line_no: u32) {
        let line = match raw.strip_suffix('\r') {
            Some(stripped) if self.strict() => {
                let message = "carriage return: OpenMetrics lines end with `\\n` alone";
                self.error(line_no, raw, stripped.len(), message);
                return;
            }
            Some(stripped) => stripped,
            None => raw,
        };
        let body = if self.strict() {
            line
        } else {
            line.trim_start_matches([' ', '\t'])
        };
        let indent = line.len() - body.len();
        let result = if body.is_empty() {
            if self.strict() {
                fail(0, "empty line: OpenMetrics allows none")
            } else {
                Ok(())
            }
        } else if body.as_bytes()[0] == b'#' {
            read_metadata(body, self.format).and_then(|m| self.metadata(m, line_no))
        } else {
            self.sample_line(body, line_no)
        };
        if let Err(e) = result {
            self.error(line_no, line, indent + e.offset, e.message);
        }
    }

    fn finish(mut self, last_line: u32, terminated: bool) -> Exposition<'a> {
        if self.strict() {
            self.close_current();
            if self.eof_line.is_none() {
                let line = if terminated {
                    last_line + 1
                } else {
                    last_line.max(1)
                };
                self.errors.push(ParseError {
                    line,
                    column: 1,
                    message: "missing `# EOF` at the end".into(),
                });
            }
            let first_lines: Vec<u32> = self.state.iter().map(|s| s.first_line).collect();
            openmetrics::check_name_clashes(&self.families, &first_lines, &mut self.errors);
        }
        crate::sort::sort_by(&mut self.errors, |a, b| {
            (a.line, a.column).cmp(&(b.line, b.column))
        });
        Exposition {
            families: self.families,
            errors: self.errors,
        }
    }

    /// Checks the family being read, in OpenMetrics, once its last line is in.
    fn close_current(&mut self) {
        if let Some(current) = self.current.take() {
            if self.strict() {
                openmetrics::check_family(&self.families[current], &mut self.errors);
            }
        }
    }

    // ----- metadata -------------------------------------------------------

    fn metadata(&mut self, metadata: Metadata<'a>, line_no: u32) -> LineResult<()> {
        match metadata {
            Metadata::Comment => Ok(()),
            Metadata::Eof => {
                self.close_current();
                self.eof_line = Some(line_no);
                Ok(())
            }
            Metadata::Help(name, help) => {
                let f = self.metadata_family(name, "HELP", line_no)?;
                if std::mem::replace(&mut self.state[f].has_help, true) {
                    return fail(0, second_metadata("HELP", &self.families[f].name));
                }
                self.families[f].help = Some(help);
                Ok(())
            }
            Metadata::Type(name, ty) => {
                let f = self.metadata_family(name, "TYPE", line_no)?;
                if std::mem::replace(&mut self.state[f].has_type, true) {
                    return fail(0, second_metadata("TYPE", &self.families[f].name));
                }
                if self.state[f].has_unit && matches!(ty, MetricType::Info | MetricType::StateSet) {
                    return fail(0, unit_not_allowed(ty, &self.families[f].name));
                }
                self.families[f].metric_type = ty;
                Ok(())
            }
            Metadata::Unit(name, unit) => {
                let f = self.metadata_family(Cow::Borrowed(name), "UNIT", line_no)?;
                if std::mem::replace(&mut self.state[f].has_unit, true) {
                    return fail(0, second_metadata("UNIT", name));
                }
                let ty = self.families[f].metric_type;
                if matches!(ty, MetricType::Info | MetricType::StateSet) {
                    return fail(0, unit_not_allowed(ty, &self.families[f].name));
                }
                self.families[f].unit = Some(Cow::Borrowed(unit));
                Ok(())
            }
        }
    }

    /// The family a metadata line is about, opened if new.
    fn metadata_family(
        &mut self,
        name: Cow<'a, str>,
        what: &str,
        line_no: u32,
    ) -> LineResult<usize> {
        if let Some(current) = self.current {
            if self.families[current].name == name {
                if !self.families[current].samples.is_empty() {
                    return fail(0, metadata_after_samples(what, &name));
                }
                return Ok(current);
            }
        }
        if let Some(existing) = self.index.get(&name).map(|i| i as usize) {
            if self.strict() {
                return fail(0, family_split(&name, self.state[existing].first_line));
            }
            if !self.families[existing].samples.is_empty() {
                return fail(0, metadata_after_samples(what, &name));
            }
            self.current = Some(existing);
            return Ok(existing);
        }
        Ok(self.open_family(name, line_no))
    }

    fn open_family(&mut self, name: Cow<'a, str>, line_no: u32) -> usize {
        self.close_current();
        let index = self.families.len();
        let metric_type = if self.strict() {
            MetricType::Unknown
        } else {
            MetricType::Untyped
        };
        self.index.insert(name.clone(), index as u32);
        self.families.push(Family {
            name,
            metric_type,
            help: None,
            unit: None,
            samples: Vec::new(),
            labels: Vec::new(),
        });
        self.state.push(FamilyState {
            first_line: line_no,
            has_type: false,
            has_help: false,
            has_unit: false,
        });
        self.current = Some(index);
        index
    }

    // ----- samples --------------------------------------------------------

    fn sample_line(&mut self, line: &'a str, line_no: u32) -> LineResult<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let result = self.place_sample(line, line_no, &mut scratch);
        self.scratch = scratch;
        result
    }

    fn place_sample(
        &mut self,
        line: &'a str,
        line_no: u32,
        labels: &mut Vec<Label<'a>>,
    ) -> LineResult<()> {
        let fast = match self.format {
            Format::Prometheus => super::fast::read_plain_sample(line, labels),
            Format::OpenMetrics => None,
        };
        let mut sample = match fast {
            Some(sample) => sample,
            None => read_sample(line, self.format, labels)?,
        };
        let family = self.family_for(&sample.name, line_no)?;
        let f = &self.families[family];
        let ty = f.metric_type;
        let suffix = &sample.name[f.name.len()..];
        check_required_label(labels, &sample.name, ty, suffix, &f.name)?;
        if self.strict() {
            openmetrics::check_sample(labels, sample.value, ty, suffix, &f.name)?;
        }
        if sample.exemplar.is_some() && !(suffix == "_total" || suffix == "_bucket") {
            sample.exemplar = None;
            return fail(0, format!("an exemplar is allowed only on a counter's `_total` or a histogram's `_bucket` sample, not on `{}`", sample.name));
        }
        let f = &mut self.families[family];
        let span = LabelSpan {
            start: f.labels.len() as u32,
            len: labels.len() as u32,
        };
        f.labels.append(labels);
        f.samples.push(Sample {
            name: sample.name,
            labels: span,
            value: sample.value,
            timestamp: sample.timestamp,
            exemplar: sample.exemplar,
            line: line_no,
        });
        Ok(())
    }

    /// Finds (or opens) the family of a sample name. Takes the `Cow` so a new
    /// family keeps borrowing from the input.
    #[allow(clippy::ptr_arg)]
    fn family_for(&mut self, name: &Cow<'a, str>, line_no: u32) -> LineResult<usize> {
        if let Some(current) = self.current {
            let f = &self.families[current];
            if belongs(name, &f.name, f.metric_type, self.format) {
                return Ok(current);
            }
        }
        for suffix in ALL_SUFFIXES {
            let Some(base) = name.strip_suffix(suffix) else {
                continue;
            };
            let Some(f) = self.index.get(base).map(|i| i as usize) else {
                continue;
            };
            let family = &self.families[f];
            if family.metric_type.suffixes(self.format).contains(&suffix) {
                if self.strict() {
                    return fail(0, family_split(&family.name, self.state[f].first_line));
                }
                self.current = Some(f);
                return Ok(f);
            }
            if suffix.is_empty() {
                let expected: Vec<String> = family
                    .metric_type
                    .suffixes(self.format)
                    .iter()
                    .map(|s| format!("`{base}{s}`"))
                    .collect();
                return fail(
                    0,
                    format!(
                        "a {} named `{base}` has samples {}, not `{name}`",
                        family.metric_type,
                        expected.join(", ")
                    ),
                );
            }
        }
        Ok(self.open_family(name.clone(), line_no))
    }
}

/// Whether `name` is a sample of the family `family` of type `ty`.
fn belongs(name: &str, family: &str, ty: MetricType, format: Format) -> bool {
    match name.strip_prefix(family) {
        Some(suffix) => ty.suffixes(format).contains(&suffix),
        None => false,
    }
}
