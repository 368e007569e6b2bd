//! A label list: `{name="value", …}` up to and including the `}`.

use std::borrow::Cow;

use super::cursor::Cursor;
use super::errors::{
    equals_expected, fail, label_name_expected, label_twice, label_value_expected, LineResult,
    COMMA_OR_CLOSE, ESCAPE_IN_LABEL_VALUE, ESCAPE_IN_QUOTED_NAME,
};
use super::escape::{unescape, Escapes};
use super::lexer::Token;
use super::model::Label;
use std::collections::BTreeMap;

/// Up to this many labels, duplicates are found by comparing with each earlier
/// label; past it, with a hash map once the list is read, so that a line with
/// very many labels stays linear.
const LINEAR_LABELS: usize = 16;

/// Reads the labels after a `{`, appending them to `out`. In Prometheus text a
/// leading quoted string alone (`{"my.metric", …}`) is the metric name, and
/// is put in `name`.
pub(crate) fn read_labels<'a>(
    cur: &mut Cursor<'a>,
    out: &mut Vec<Label<'a>>,
    name: &mut Option<Cow<'a, str>>,
    strict: bool,
) -> LineResult<()> {
    let first = out.len();
    let mut late = Vec::new();
    read_list(cur, out, first, name, strict, &mut late)?;
    if late.is_empty() {
        return Ok(());
    }
    let mut seen: BTreeMap<&str, u32> = BTreeMap::new();
    for (i, label) in out[first..].iter().enumerate() {
        if seen.insert(&label.name, 0).is_some() {
            return fail(late[i - LINEAR_LABELS], label_twice(&label.name));
        }
    }
    Ok(())
}

fn read_list<'a>(
    cur: &mut Cursor<'a>,
    out: &mut Vec<Label<'a>>,
    first: usize,
    name: &mut Option<Cow<'a, str>>,
    strict: bool,
    late: &mut Vec<usize>,
) -> LineResult<()> {
    let line = cur.line();
    let escapes = if strict {
        Escapes::KeepUnknown
    } else {
        Escapes::Quoted
    };
    let mut after_comma = false;
    loop {
        let Some(t) = cur.raw_in_braces() else {
            return fail(line.len(), label_name_expected(None));
        };
        let token = match t.token {
            Ok(token) => token,
            Err(_) => return fail(t.start, super::errors::unexpected_char(line, t.start)),
        };
        let label_name: Cow<'a, str> = match token {
            Token::CloseBrace => {
                if strict && after_comma {
                    return fail(
                        t.start,
                        "expected a label name after `,`: OpenMetrics allows no trailing comma",
                    );
                }
                return Ok(());
            }
            Token::Name => {
                let n = cur.text(t);
                if let Some(colon) = n.bytes().position(|b| b == b':') {
                    return fail(
                        t.start + colon,
                        format!("label name `{n}` contains `:`, which label names may not"),
                    );
                }
                Cow::Borrowed(n)
            }
            Token::PlainString | Token::QuotedString if !strict => {
                let raw = cur.text(t);
                let text = unescape(&raw[1..raw.len() - 1], Escapes::Quoted).map_err(|e| {
                    super::errors::LineError {
                        offset: t.start + 1 + e.offset,
                        message: ESCAPE_IN_QUOTED_NAME.into(),
                    }
                })?;
                cur.skip_blanks_in_braces();
                if cur
                    .peek()
                    .is_some_and(|p| p.is(Token::Comma) || p.is(Token::CloseBrace))
                {
                    if name.is_some() || out.len() > first {
                        return fail(
                            t.start,
                            "a quoted metric name must come first in the braces, and only once",
                        );
                    }
                    *name = Some(text);
                    if cur.raw().is_some_and(|p| p.is(Token::CloseBrace)) {
                        return Ok(());
                    }
                    after_comma = true;
                    continue;
                }
                text
            }
            other => return fail(t.start, label_name_expected(Some(other))),
        };
        match cur.raw_in_braces() {
            Some(e) if e.is(Token::Equals) => {}
            Some(e) => return fail(e.start, equals_expected(&label_name)),
            None => return fail(line.len(), equals_expected(&label_name)),
        }
        let value = match cur.raw_in_braces() {
            Some(v) if v.is(Token::PlainString) => Cow::Borrowed(&line[v.start + 1..v.end - 1]),
            Some(v) if v.is(Token::QuotedString) => {
                let raw = cur.text(v);
                unescape(&raw[1..raw.len() - 1], escapes).map_err(|e| super::errors::LineError {
                    offset: v.start + 1 + e.offset,
                    message: ESCAPE_IN_LABEL_VALUE.into(),
                })?
            }
            Some(v) if v.token.is_err() && line[v.start..].starts_with('"') => {
                return fail(
                    v.start,
                    format!("unterminated label value for `{label_name}`"),
                )
            }
            Some(v) => return fail(v.start, label_value_expected(&label_name)),
            None => return fail(line.len(), label_value_expected(&label_name)),
        };
        if out.len() - first < LINEAR_LABELS {
            if out[first..].iter().any(|l| short_eq(&l.name, &label_name)) {
                return fail(t.start, label_twice(&label_name));
            }
        } else {
            late.push(t.start);
        }
        out.push(Label {
            name: label_name,
            value,
        });
        match cur.raw_in_braces() {
            Some(c) if c.is(Token::Comma) => after_comma = true,
            Some(c) if c.is(Token::CloseBrace) => return Ok(()),
            Some(c) => return fail(c.start, COMMA_OR_CLOSE),
            None => return fail(line.len(), COMMA_OR_CLOSE),
        }
    }
}

/// String equality that rejects on length, first and last byte before comparing
/// the rest: in wasm, `memcmp` is an out-of-line byte loop, and most of the
/// strings compared here (label names) differ early.
#[inline]
pub(crate) fn short_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len()
        && (a.is_empty() || (a[0] == b[0] && a[a.len() - 1] == b[b.len() - 1] && a == b))
}
