//! Comment lines: `# HELP`, `# TYPE`, `# UNIT`, OpenMetrics' `# EOF`, and (in
//! Prometheus text) free comments.

use std::borrow::Cow;

use logos::Logos;

use super::errors::{fail, LineError, LineResult, ESCAPE_IN_HELP, ESCAPE_IN_QUOTED_NAME};
use super::escape::{unescape, Escapes};
use super::lexer::Token;
use super::model::{Format, MetricType};

/// What a comment line says.
pub(crate) enum Metadata<'a> {
    /// A free comment (Prometheus text): nothing.
    Comment,
    /// `# EOF` (OpenMetrics).
    Eof,
    /// `# HELP name text`.
    Help(Cow<'a, str>, Cow<'a, str>),
    /// `# TYPE name type`.
    Type(Cow<'a, str>, MetricType),
    /// `# UNIT name unit` (OpenMetrics).
    Unit(&'a str, &'a str),
}

/// Reads a line that starts with `#`.
pub(crate) fn read_metadata(line: &str, format: Format) -> LineResult<Metadata<'_>> {
    match format {
        Format::Prometheus => prometheus(line),
        Format::OpenMetrics => openmetrics(line),
    }
}

fn blanks(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t']).len()
}

/// Prometheus: `#`, blanks, a keyword; anything that is not HELP or TYPE is a comment.
fn prometheus(line: &str) -> LineResult<Metadata<'_>> {
    let keyword_start = 1 + blanks(&line[1..]);
    let keyword_end = line[keyword_start..]
        .find([' ', '\t'])
        .map_or(line.len(), |i| keyword_start + i);
    let keyword = &line[keyword_start..keyword_end];
    if keyword != "HELP" && keyword != "TYPE" {
        return Ok(Metadata::Comment);
    }
    let name_start = keyword_end + blanks(&line[keyword_end..]);
    if name_start == line.len() {
        return fail(
            name_start,
            format!("expected a metric name after `# {keyword}`"),
        );
    }
    let (name, name_end) = name(line, name_start)?;
    let payload_start = name_end + blanks(&line[name_end..]);
    if payload_start == name_end && name_end != line.len() {
        return fail(
            name_end,
            format!("expected whitespace after the metric name in `# {keyword}`"),
        );
    }
    let payload = &line[payload_start..];
    if keyword == "HELP" {
        let help = unescape(payload, Escapes::Help).map_err(|e| LineError {
            offset: payload_start + e.offset,
            message: ESCAPE_IN_HELP.into(),
        })?;
        return Ok(Metadata::Help(name, help));
    }
    let word = payload.trim_end_matches([' ', '\t']);
    let ty = MetricType::from_name(word, Format::Prometheus).ok_or_else(|| LineError {
        offset: payload_start,
        message: if word.is_empty() {
            "expected a metric type (counter, gauge, histogram, summary, untyped)".into()
        } else {
            format!(
                "unknown metric type `{word}`: expected counter, gauge, histogram, summary or untyped"
            )
        },
    })?;
    Ok(Metadata::Type(name, ty))
}

/// Reads a metric name (plain or, in Prometheus text, quoted) at `start`.
fn name(line: &str, start: usize) -> LineResult<(Cow<'_, str>, usize)> {
    let mut lex = Token::lexer(&line[start..]);
    match lex.next() {
        Some(Ok(Token::Name)) => Ok((Cow::Borrowed(lex.slice()), start + lex.span().end)),
        Some(Ok(Token::PlainString | Token::QuotedString)) => {
            let raw = lex.slice();
            let name =
                unescape(&raw[1..raw.len() - 1], Escapes::Quoted).map_err(|e| LineError {
                    offset: start + 1 + e.offset,
                    message: ESCAPE_IN_QUOTED_NAME.into(),
                })?;
            Ok((name, start + lex.span().end))
        }
        _ => fail(start, "expected a metric name"),
    }
}

/// OpenMetrics: exactly `# HELP name text`, `# TYPE name type`, `# UNIT name unit` or `# EOF`.
fn openmetrics(line: &str) -> LineResult<Metadata<'_>> {
    if line == "# EOF" {
        return Ok(Metadata::Eof);
    }
    let (keyword, rest) = match line.get(..7) {
        Some("# HELP ") => ("HELP", 7),
        Some("# TYPE ") => ("TYPE", 7),
        Some("# UNIT ") => ("UNIT", 7),
        _ => return fail(
            0,
            "expected `# HELP`, `# TYPE`, `# UNIT` or `# EOF`: OpenMetrics has no other comments",
        ),
    };
    let mut lex = Token::lexer(&line[rest..]);
    if lex.next() != Some(Ok(Token::Name)) {
        return fail(rest, format!("expected a metric name after `# {keyword}`"));
    }
    let name = lex.slice();
    let name_end = rest + name.len();
    // Every metadata line has a space after the name, even when what follows is empty.
    let Some(payload) = line[name_end..].strip_prefix(' ') else {
        return fail(
            name_end,
            format!("expected a space after the metric name in `# {keyword}`"),
        );
    };
    let payload_start = line.len() - payload.len();
    match keyword {
        "HELP" => {
            let help = unescape(payload, Escapes::KeepUnknown).map_err(|e| LineError {
                offset: payload_start + e.offset,
                message: ESCAPE_IN_HELP.into(),
            })?;
            Ok(Metadata::Help(Cow::Borrowed(name), help))
        }
        "TYPE" => {
            let ty = MetricType::from_name(payload, Format::OpenMetrics).ok_or_else(|| LineError {
                offset: payload_start,
                message: format!(
                    "unknown metric type `{payload}`: expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown"
                ),
            })?;
            Ok(Metadata::Type(Cow::Borrowed(name), ty))
        }
        _ => {
            if let Some(bad) =
                payload.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            {
                return fail(
                    payload_start + bad,
                    "a unit may hold only letters, digits, `_` and `:`",
                );
            }
            if !payload.is_empty() && !name.ends_with(&format!("_{payload}")) {
                return fail(
                    rest,
                    format!("metric family `{name}` must end with the unit `_{payload}`"),
                );
            }
            Ok(Metadata::Unit(name, payload))
        }
    }
}
