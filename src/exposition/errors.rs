//! Errors within one line: where (a byte offset into the line) and what, for
//! a person. Each message is written once, here, and used wherever it applies.

use super::lexer::Token;
use super::model::MetricType;

/// A line-level error before it is placed: byte offset into the line and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineError {
    pub offset: usize,
    pub message: String,
}

/// The result of reading (part of) a line.
pub(crate) type LineResult<T> = Result<T, LineError>;

/// Fails at `offset` with `message`.
pub(crate) fn fail<T>(offset: usize, message: impl Into<String>) -> LineResult<T> {
    Err(LineError {
        offset,
        message: message.into(),
    })
}

/// What a token, or the end of the line, is called in a message.
pub(crate) fn found(token: Option<Token>) -> &'static str {
    token.map_or("the end of the line", Token::describe)
}

/// A character no token starts with.
pub(crate) fn unexpected_char(line: &str, offset: usize) -> String {
    match line[offset..].chars().next() {
        Some('"') => "unterminated quoted string".into(),
        Some(c) if c.is_control() => {
            format!("unexpected control character U+{:04X}", u32::from(c))
        }
        Some(c) => format!("unexpected character `{c}`"),
        None => "unexpected end of line".into(),
    }
}

pub(crate) fn label_name_expected(token: Option<Token>) -> String {
    match token {
        None => "expected a label name or `}`".into(),
        Some(t) => format!("expected a label name or `}}`, found {}", t.describe()),
    }
}

pub(crate) fn equals_expected(label: &str) -> String {
    format!("expected `=` after label name `{label}`")
}

pub(crate) fn label_value_expected(label: &str) -> String {
    format!("expected a quoted label value for `{label}`")
}

pub(crate) fn label_twice(label: &str) -> String {
    format!("label `{label}` appears twice")
}

pub(crate) const COMMA_OR_CLOSE: &str = "expected `,` or `}` after a label";
pub(crate) const TRAILING_WHITESPACE: &str = "trailing whitespace";
pub(crate) const ESCAPE_IN_LABEL_VALUE: &str =
    "invalid escape in label value: only `\\\\`, `\\\"` and `\\n` are allowed";
pub(crate) const ESCAPE_IN_QUOTED_NAME: &str =
    "invalid escape in quoted name: only `\\\\`, `\\\"` and `\\n` are allowed";
pub(crate) const ESCAPE_IN_HELP: &str =
    "invalid escape in help text: only `\\\\` and `\\n` are allowed";

pub(crate) fn metadata_after_samples(what: &str, name: &str) -> String {
    format!("{what} for `{name}` comes after its samples; metadata must come first")
}

pub(crate) fn family_split(name: &str, first_line: u32) -> String {
    format!("metric family `{name}` was already given at line {first_line}; a family's lines must not be split")
}

pub(crate) fn second_metadata(what: &str, name: &str) -> String {
    format!("second {what} line for `{name}`")
}

pub(crate) fn unit_not_allowed(ty: MetricType, name: &str) -> String {
    format!("UNIT is not allowed for the {ty} `{name}`")
}

pub(crate) fn one_space(before: &str) -> String {
    format!("expected exactly one space before {before}")
}
