//! The sample line: `name{labels} value [timestamp] [# exemplar]`.

use std::borrow::Cow;

use super::cursor::Cursor;
use super::errors::{fail, found, one_space, LineError, LineResult, TRAILING_WHITESPACE};
use super::labels::read_labels;
use super::lexer::Token;
use super::model::{Exemplar, Format, Label, MetricType, Timestamp};
use super::value::{parse_timestamp, parse_value};

/// OpenMetrics caps the characters of an exemplar's label names and values together.
const EXEMPLAR_LABEL_CHARS: usize = 128;

/// A sample line as read, its labels already appended to the caller's list.
pub(crate) struct SampleLine<'a> {
    pub name: Cow<'a, str>,
    pub value: f64,
    pub timestamp: Option<Timestamp>,
    pub exemplar: Option<Box<Exemplar<'a>>>,
}

/// Reads a sample line, appending its labels to `labels`.
pub(crate) fn read_sample<'a>(
    line: &'a str,
    format: Format,
    labels: &mut Vec<Label<'a>>,
) -> LineResult<SampleLine<'a>> {
    let strict = format == Format::OpenMetrics;
    let mut cur = Cursor::new(line, strict);
    let mut name: Option<Cow<'a, str>> = None;
    let mut tok = cur.next()?;
    if let Some(t) = tok.filter(|t| t.is(Token::Name)) {
        name = Some(Cow::Borrowed(cur.text(t)));
        tok = cur.next()?;
        // Prometheus text allows blanks between the name and its labels.
        if !strict
            && tok.is_some_and(|t| t.is(Token::Whitespace))
            && cur.peek().is_some_and(|p| p.is(Token::OpenBrace))
        {
            tok = cur.next()?;
        }
    }
    if tok.is_some_and(|t| t.is(Token::OpenBrace)) {
        read_labels(&mut cur, labels, &mut name, strict)?;
        tok = cur.next()?;
    }
    let Some(name) = name else {
        return fail(0, "expected a metric name");
    };
    let value_start = match tok {
        Some(t) if t.is(Token::Whitespace) => {
            if strict && t.len() != 1 {
                return fail(t.start + 1, one_space("the value"));
            }
            t.end
        }
        Some(t) => {
            return fail(
                t.start,
                format!(
                    "expected whitespace before the value, found {}",
                    found(t.token.ok())
                ),
            )
        }
        None => return fail(line.len(), "expected a value after the metric name"),
    };
    let value = match cur.next()? {
        Some(t) if t.is(Token::Number) || t.is(Token::Name) => match parse_value(cur.text(t)) {
            Some(v) => v,
            None => {
                return fail(
                    t.start,
                    format!(
                        "expected a number, `NaN`, `+Inf` or `-Inf`, found `{}`",
                        cur.text(t)
                    ),
                )
            }
        },
        Some(t) => {
            return fail(
                t.start,
                format!("expected a value, found {}", found(t.token.ok())),
            )
        }
        None => return fail(value_start, "expected a value"),
    };
    let mut sample = SampleLine {
        name,
        value,
        timestamp: None,
        exemplar: None,
    };
    // Optional timestamp and exemplar.
    let after = match cur.next()? {
        None => return Ok(sample),
        Some(t) if t.is(Token::Whitespace) => t,
        Some(t) => {
            return fail(
                t.start,
                format!(
                    "expected whitespace after the value, found {}",
                    found(t.token.ok())
                ),
            )
        }
    };
    match cur.next()? {
        None if strict => fail(after.start, TRAILING_WHITESPACE),
        None => Ok(sample),
        Some(t) if t.is(Token::Number) => {
            if strict && after.len() != 1 {
                return fail(after.start + 1, one_space("the timestamp"));
            }
            sample.timestamp = Some(timestamp(&cur, t, format)?);
            let after = match cur.next()? {
                None => return Ok(sample),
                Some(w) if w.is(Token::Whitespace) => w,
                Some(w) => {
                    return fail(
                        w.start,
                        format!(
                            "expected whitespace after the timestamp, found {}",
                            found(w.token.ok())
                        ),
                    )
                }
            };
            match cur.next()? {
                None if strict => fail(after.start, TRAILING_WHITESPACE),
                None => Ok(sample),
                Some(h) if strict && h.is(Token::Hash) => {
                    sample.exemplar = Some(read_exemplar(&mut cur, h.end)?);
                    Ok(sample)
                }
                Some(e) => fail(
                    e.start,
                    format!(
                        "expected the end of the line, found {}",
                        found(e.token.ok())
                    ),
                ),
            }
        }
        Some(h) if strict && h.is(Token::Hash) => {
            if after.len() != 1 {
                return fail(after.start + 1, one_space("the exemplar"));
            }
            sample.exemplar = Some(read_exemplar(&mut cur, h.end)?);
            Ok(sample)
        }
        Some(t) => fail(
            t.start,
            format!(
                "expected a timestamp or the end of the line, found {}",
                found(t.token.ok())
            ),
        ),
    }
}

fn timestamp(cur: &Cursor<'_>, t: super::cursor::Tok, format: Format) -> LineResult<Timestamp> {
    let text = cur.text(t);
    parse_timestamp(text, format).ok_or_else(|| LineError {
        offset: t.start,
        message: match format {
            Format::OpenMetrics => {
                format!("invalid timestamp `{text}`: expected seconds as a decimal number")
            }
            Format::Prometheus => {
                format!("invalid timestamp `{text}`: expected integer milliseconds")
            }
        },
    })
}

/// Reads an OpenMetrics exemplar after its `#`: ` {labels} value [timestamp]`.
fn read_exemplar<'a>(cur: &mut Cursor<'a>, hash_end: usize) -> LineResult<Box<Exemplar<'a>>> {
    let line = cur.line();
    let single_space =
        |t: Option<super::cursor::Tok>| t.filter(|t| t.is(Token::Whitespace) && t.len() == 1);
    if single_space(cur.raw()).is_none() {
        return fail(hash_end, "expected one space after `#` of an exemplar");
    }
    let Some(open) = cur.raw().filter(|t| t.is(Token::OpenBrace)) else {
        return fail(hash_end + 1, "expected `{` to start the exemplar's labels");
    };
    let mut labels = Vec::new();
    let mut no_name = None;
    read_labels(cur, &mut labels, &mut no_name, true)?;
    let chars: usize = labels
        .iter()
        .map(|l| l.name.chars().count() + l.value.chars().count())
        .sum();
    if chars > EXEMPLAR_LABEL_CHARS {
        return fail(
            open.start,
            format!("exemplar labels hold {chars} characters; at most {EXEMPLAR_LABEL_CHARS} are allowed"),
        );
    }
    match cur.raw() {
        Some(t) if t.is(Token::Whitespace) && t.len() == 1 => {}
        Some(t) => return fail(t.start, "expected one space before the exemplar's value"),
        None => return fail(line.len(), "expected the exemplar's value"),
    }
    let value = match cur.raw() {
        Some(t) if t.is(Token::Number) || t.is(Token::Name) => parse_value(cur.text(t))
            .ok_or_else(|| LineError {
                offset: t.start,
                message: "expected the exemplar's value as a number".into(),
            })?,
        Some(t) => return fail(t.start, "expected the exemplar's value"),
        None => return fail(line.len(), "expected the exemplar's value"),
    };
    let mut timestamp = None;
    match cur.raw() {
        None => {}
        Some(s) if s.is(Token::Whitespace) && s.len() == 1 => match cur.raw() {
            Some(t) if t.is(Token::Number) => {
                match parse_timestamp(cur.text(t), Format::OpenMetrics) {
                    Some(Timestamp::Seconds(secs)) => timestamp = Some(secs),
                    _ => return fail(t.start, "invalid exemplar timestamp"),
                }
                if let Some(rest) = cur.raw() {
                    return fail(
                        rest.start,
                        "expected the end of the line after the exemplar",
                    );
                }
            }
            Some(t) => return fail(t.start, "expected the exemplar's timestamp"),
            None => return fail(s.start, TRAILING_WHITESPACE),
        },
        Some(s) => return fail(s.start, "expected the end of the line after the exemplar"),
    }
    Ok(Box::new(Exemplar {
        labels,
        value,
        timestamp,
    }))
}

/// Holds in both formats: `le` on buckets, `quantile` on summaries, as numbers.
pub(super) fn check_required_label(
    labels: &[Label<'_>],
    sample: &str,
    ty: MetricType,
    suffix: &str,
    family: &str,
) -> LineResult<()> {
    let required = match (ty, suffix) {
        (MetricType::Histogram | MetricType::GaugeHistogram, "_bucket") => "le",
        (MetricType::Summary, "") => "quantile",
        _ => return Ok(()),
    };
    match labels
        .iter()
        .find(|l| l.name == required)
        .map(|l| &*l.value)
    {
        None => fail(
            0,
            format!("`{sample}` of {ty} `{family}` needs a `{required}` label"),
        ),
        Some(v) if parse_value(v).is_none() => {
            fail(0, format!("`{required}` label value `{v}` is not a number"))
        }
        Some(_) => Ok(()),
    }
}
