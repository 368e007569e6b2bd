//! Line-by-line parser of both text formats. Each line either adds to the
//! families or adds one error; a bad line never stops the parse.

use std::borrow::Cow;

use logos::Logos;

use super::escape::{unescape, Escapes};
use super::lexer::Token;
use super::model::{
    Exemplar, Exposition, Family, Format, Label, MetricType, ParseError, Sample, Timestamp,
};
use super::openmetrics;
use crate::fxhash::FxMap;

/// A token with its byte range in the line, as the lexer's spanned iterator yields it.
type Spanned = (
    Result<Token, super::lexer::LexError>,
    std::ops::Range<usize>,
);

/// Every suffix a sample name may carry, in the order they are tried.
const ALL_SUFFIXES: [&str; 9] = [
    "", "_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info",
];

/// Up to this many labels, duplicates are found by comparing with each earlier
/// label; past it, with a hash map once the line is read.
const LINEAR_LABELS: usize = 16;

/// OpenMetrics caps the characters of an exemplar's label names and values together.
const EXEMPLAR_LABEL_CHARS: usize = 128;

/// A line-level error before it is placed: byte offset into the line and message.
pub(crate) struct LineError {
    offset: usize,
    message: String,
}

impl LineError {
    /// An error about the line as a whole (column 1).
    pub(crate) fn at_start(message: String) -> LineError {
        LineError { offset: 0, message }
    }
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, LineError> {
    Err(LineError {
        offset,
        message: message.into(),
    })
}

/// Per-family bookkeeping the output does not carry.
pub(crate) struct FamilyState {
    /// Line that opened the family.
    pub first_line: u32,
    has_type: bool,
    has_help: bool,
    has_unit: bool,
}

pub(crate) struct Parser<'a> {
    pub format: Format,
    pub families: Vec<Family<'a>>,
    pub state: Vec<FamilyState>,
    pub errors: Vec<ParseError>,
    index: FxMap<Cow<'a, str>, usize>,
    current: Option<usize>,
    eof_line: Option<u32>,
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
/// assert_eq!(parsed.errors[0].to_string(), "expected a label name or `}` at 3:6");
/// ```
pub fn parse(input: &str, format: Format) -> Exposition<'_> {
    let mut parser = Parser {
        format,
        families: Vec::new(),
        state: Vec::new(),
        errors: Vec::new(),
        index: FxMap::default(),
        current: None,
        eof_line: None,
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
        let line = if self.strict() {
            if let Some(stripped) = raw.strip_suffix('\r') {
                self.error(
                    line_no,
                    raw,
                    stripped.len(),
                    "carriage return: OpenMetrics lines end with `\\n` alone",
                );
                return;
            }
            raw
        } else {
            raw.strip_suffix('\r').unwrap_or(raw)
        };
        let body = if self.strict() {
            line
        } else {
            line.trim_start_matches([' ', '\t'])
        };
        let indent = line.len() - body.len();
        let result = if body.is_empty() {
            if self.strict() {
                err(0, "empty line: OpenMetrics allows none")
            } else {
                Ok(())
            }
        } else if body.as_bytes()[0] == b'#' {
            self.comment_line(body, line_no)
        } else {
            self.sample_line(body, line_no)
        };
        if let Err(e) = result {
            self.error(line_no, line, indent + e.offset, e.message);
        }
    }

    fn finish(mut self, last_line: u32, terminated: bool) -> Exposition<'a> {
        if self.strict() {
            if let Some(current) = self.current {
                openmetrics::check_family(&self.families[current], &mut self.errors);
            }
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
            openmetrics::check_name_clashes(&self.families, &self.state, &mut self.errors);
        }
        crate::sort::sort_by_key(&mut self.errors, |e| (e.line, e.column));
        Exposition {
            families: self.families,
            errors: self.errors,
        }
    }

    // ----- comment lines -------------------------------------------------

    fn comment_line(&mut self, line: &'a str, line_no: u32) -> Result<(), LineError> {
        if self.strict() {
            return self.openmetrics_comment(line, line_no);
        }
        // Prometheus: `#`, blanks, a keyword; anything that is not HELP or TYPE is a comment.
        let after_hash = &line[1..];
        let keyword_start = line.len() - after_hash.trim_start_matches([' ', '\t']).len();
        let keyword_end = line[keyword_start..]
            .find([' ', '\t'])
            .map_or(line.len(), |i| keyword_start + i);
        let keyword = &line[keyword_start..keyword_end];
        if keyword != "HELP" && keyword != "TYPE" {
            return Ok(());
        }
        let name_start = keyword_end
            + (line[keyword_end..].len()
                - line[keyword_end..].trim_start_matches([' ', '\t']).len());
        if name_start == line.len() {
            return err(
                name_start,
                format!("expected a metric name after `# {keyword}`"),
            );
        }
        let (name, name_end) = self.metadata_name(line, name_start)?;
        let rest = &line[name_end..];
        let payload_start = name_end + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        if payload_start == name_end && name_end != line.len() {
            return err(
                name_end,
                format!("expected whitespace after the metric name in `# {keyword}`"),
            );
        }
        let payload = &line[payload_start..];
        if keyword == "HELP" {
            let help = unescape(payload, Escapes::Help).map_err(|e| LineError {
                offset: payload_start + e.offset,
                message: "invalid escape in help text: only `\\\\` and `\\n` are allowed".into(),
            })?;
            self.set_help(name, help, line_no)
        } else {
            let word = payload.trim_end_matches([' ', '\t']);
            let ty = MetricType::from_name(word, self.format).ok_or_else(|| LineError {
                offset: payload_start,
                message: if word.is_empty() {
                    "expected a metric type (counter, gauge, histogram, summary, untyped)".into()
                } else {
                    format!("unknown metric type `{word}`: expected counter, gauge, histogram, summary or untyped")
                },
            })?;
            self.set_type(name, ty, line_no)
        }
    }

    fn openmetrics_comment(&mut self, line: &'a str, line_no: u32) -> Result<(), LineError> {
        if line == "# EOF" {
            if let Some(current) = self.current.take() {
                openmetrics::check_family(&self.families[current], &mut self.errors);
            }
            self.eof_line = Some(line_no);
            return Ok(());
        }
        let (keyword, rest) = match line.get(..7) {
            Some("# HELP ") => ("HELP", 7),
            Some("# TYPE ") => ("TYPE", 7),
            Some("# UNIT ") => ("UNIT", 7),
            _ => return err(0, "expected `# HELP`, `# TYPE`, `# UNIT` or `# EOF`: OpenMetrics has no other comments"),
        };
        let mut lex = Token::lexer(&line[rest..]);
        if lex.next() != Some(Ok(Token::Name)) {
            return err(rest, format!("expected a metric name after `# {keyword}`"));
        }
        let name = lex.slice();
        let name_end = rest + name.len();
        let payload = match line[name_end..].strip_prefix(' ') {
            Some(p) => p,
            None if keyword == "HELP" && name_end == line.len() => "",
            None => {
                return err(
                    name_end,
                    format!("expected a space after the metric name in `# {keyword}`"),
                )
            }
        };
        let payload_start = line.len() - payload.len();
        match keyword {
            "HELP" => {
                let help = unescape(payload, Escapes::Quoted).map_err(|e| LineError {
                    offset: payload_start + e.offset,
                    message:
                        "invalid escape in help text: only `\\\\`, `\\\"` and `\\n` are allowed"
                            .into(),
                })?;
                self.set_help(Cow::Borrowed(name), help, line_no)
            }
            "TYPE" => {
                let ty = MetricType::from_name(payload, self.format).ok_or_else(|| LineError {
                    offset: payload_start,
                    message: format!(
                        "unknown metric type `{payload}`: expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown"
                    ),
                })?;
                self.set_type(Cow::Borrowed(name), ty, line_no)
            }
            _ => {
                if let Some(bad) =
                    payload.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                {
                    return err(
                        payload_start + bad,
                        "a unit may hold only letters, digits, `_` and `:`",
                    );
                }
                if !payload.is_empty() && !name.ends_with(&format!("_{payload}")) {
                    return err(
                        rest,
                        format!("metric family `{name}` must end with the unit `_{payload}`"),
                    );
                }
                self.set_unit(name, payload, line_no)
            }
        }
    }

    /// Reads a metric name (plain or, in Prometheus text, quoted) at `start`.
    fn metadata_name(
        &self,
        line: &'a str,
        start: usize,
    ) -> Result<(Cow<'a, str>, usize), LineError> {
        let mut lex = Token::lexer(&line[start..]);
        match lex.next() {
            Some(Ok(Token::Name)) => Ok((Cow::Borrowed(lex.slice()), start + lex.span().end)),
            Some(Ok(Token::PlainString | Token::QuotedString)) => {
                let raw = lex.slice();
                let name =
                    unescape(&raw[1..raw.len() - 1], Escapes::Quoted).map_err(|e| LineError {
                        offset: start + 1 + e.offset,
                        message: "invalid escape in quoted metric name".into(),
                    })?;
                Ok((name, start + lex.span().end))
            }
            _ => err(start, "expected a metric name"),
        }
    }

    /// The family a metadata line is about, opened if new.
    fn metadata_family(
        &mut self,
        name: Cow<'a, str>,
        what: &str,
        line_no: u32,
    ) -> Result<usize, LineError> {
        if let Some(current) = self.current {
            if self.families[current].name == name {
                if !self.families[current].samples.is_empty() {
                    return err(
                        0,
                        format!(
                            "{what} for `{name}` comes after its samples; metadata must come first"
                        ),
                    );
                }
                return Ok(current);
            }
        }
        if let Some(&existing) = self.index.get(&*name) {
            if self.strict() {
                let first = self.state[existing].first_line;
                return err(0, format!("metric family `{name}` was already given at line {first}; a family's lines must not be split"));
            }
            if !self.families[existing].samples.is_empty() {
                return err(
                    0,
                    format!(
                        "{what} for `{name}` comes after its samples; metadata must come first"
                    ),
                );
            }
            self.current = Some(existing);
            return Ok(existing);
        }
        Ok(self.open_family(name, line_no))
    }

    fn open_family(&mut self, name: Cow<'a, str>, line_no: u32) -> usize {
        if let Some(previous) = self.current {
            if self.strict() {
                openmetrics::check_family(&self.families[previous], &mut self.errors);
            }
        }
        let index = self.families.len();
        let metric_type = if self.strict() {
            MetricType::Unknown
        } else {
            MetricType::Untyped
        };
        self.index.insert(name.clone(), index);
        self.families.push(Family {
            name,
            metric_type,
            help: None,
            unit: None,
            samples: Vec::new(),
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

    fn set_help(
        &mut self,
        name: Cow<'a, str>,
        help: Cow<'a, str>,
        line_no: u32,
    ) -> Result<(), LineError> {
        let f = self.metadata_family(name, "HELP", line_no)?;
        if std::mem::replace(&mut self.state[f].has_help, true) {
            return err(
                0,
                format!("second HELP line for `{}`", self.families[f].name),
            );
        }
        self.families[f].help = Some(help);
        Ok(())
    }

    fn set_type(
        &mut self,
        name: Cow<'a, str>,
        ty: MetricType,
        line_no: u32,
    ) -> Result<(), LineError> {
        let f = self.metadata_family(name, "TYPE", line_no)?;
        if std::mem::replace(&mut self.state[f].has_type, true) {
            return err(
                0,
                format!("second TYPE line for `{}`", self.families[f].name),
            );
        }
        if self.state[f].has_unit && matches!(ty, MetricType::Info | MetricType::StateSet) {
            return err(
                0,
                format!(
                    "UNIT is not allowed for the {ty} `{}`",
                    self.families[f].name
                ),
            );
        }
        self.families[f].metric_type = ty;
        Ok(())
    }

    fn set_unit(&mut self, name: &'a str, unit: &'a str, line_no: u32) -> Result<(), LineError> {
        let f = self.metadata_family(Cow::Borrowed(name), "UNIT", line_no)?;
        if std::mem::replace(&mut self.state[f].has_unit, true) {
            return err(0, format!("second UNIT line for `{name}`"));
        }
        let ty = self.families[f].metric_type;
        if matches!(ty, MetricType::Info | MetricType::StateSet) {
            return err(
                0,
                format!(
                    "UNIT is not allowed for the {ty} `{}`",
                    self.families[f].name
                ),
            );
        }
        self.families[f].unit = Some(Cow::Borrowed(unit));
        Ok(())
    }

    // ----- sample lines --------------------------------------------------

    fn sample_line(&mut self, line: &'a str, line_no: u32) -> Result<(), LineError> {
        let mut sample = self.read_sample(line, line_no)?;
        let family = self.family_for(&sample.name, line_no)?;
        let ty = self.families[family].metric_type;
        let suffix = &sample.name[self.families[family].name.len()..];
        check_sample(&sample, ty, suffix, &self.families[family].name)?;
        if self.strict() {
            openmetrics::check_sample(&sample, ty, suffix, &self.families[family].name)?;
        }
        if sample.exemplar.is_some() && !(suffix == "_total" || suffix == "_bucket") {
            sample.exemplar = None;
            return err(0, format!("an exemplar is allowed only on a counter's `_total` or a histogram's `_bucket` sample, not on `{}`", sample.name));
        }
        self.families[family].samples.push(sample);
        Ok(())
    }

    /// Finds (or opens) the family of a sample name. Takes the `Cow` so a new
    /// family keeps borrowing from the input.
    #[allow(clippy::ptr_arg)]
    fn family_for(&mut self, name: &Cow<'a, str>, line_no: u32) -> Result<usize, LineError> {
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
            let Some(&f) = self.index.get(base) else {
                continue;
            };
            let family = &self.families[f];
            if family.metric_type.suffixes(self.format).contains(&suffix) {
                if self.strict() {
                    let first = self.state[f].first_line;
                    return err(0, format!("metric family `{}` was already given at line {first}; a family's lines must not be split", family.name));
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
                return err(
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

    fn read_sample(&self, line: &'a str, line_no: u32) -> Result<Sample<'a>, LineError> {
        let strict = self.strict();
        let mut lex = Token::lexer(line).spanned().peekable();
        macro_rules! next {
            () => {
                match lex.next() {
                    Some((Ok(t), span)) => Some((t, span)),
                    Some((Err(_), span)) => {
                        return err(span.start, unexpected_char(line, span.start))
                    }
                    None => None,
                }
            };
        }
        let mut name: Option<Cow<'a, str>> = None;
        let mut labels = Vec::new();
        let mut tok = next!();
        if let Some((Token::Name, span)) = &tok {
            name = Some(Cow::Borrowed(&line[span.clone()]));
            tok = next!();
            if !strict {
                if let Some((Token::Whitespace, _)) = tok {
                    if matches!(lex.peek(), Some((Ok(Token::OpenBrace), _))) {
                        tok = next!();
                    }
                }
            }
        }
        if let Some((Token::OpenBrace, _)) = &tok {
            self.read_labels(line, &mut lex, &mut labels, &mut name, strict)?;
            tok = next!();
        }
        let Some(name) = name else {
            return err(0, "expected a metric name");
        };
        // The value.
        let value_start = match tok {
            Some((Token::Whitespace, span)) => {
                if strict && span.len() != 1 {
                    return err(
                        span.start + 1,
                        "expected exactly one space before the value",
                    );
                }
                span.end
            }
            Some((t, span)) => {
                return err(
                    span.start,
                    format!(
                        "expected whitespace before the value, found {}",
                        t.describe()
                    ),
                )
            }
            None => return err(line.len(), "expected a value after the metric name"),
        };
        let value = match next!() {
            Some((Token::Number | Token::Name, span)) => match parse_value(&line[span.clone()]) {
                Some(v) => v,
                None => {
                    return err(
                        span.start,
                        format!(
                            "expected a number, `NaN`, `+Inf` or `-Inf`, found `{}`",
                            &line[span]
                        ),
                    )
                }
            },
            Some((t, span)) => {
                return err(
                    span.start,
                    format!("expected a value, found {}", t.describe()),
                )
            }
            None => return err(value_start, "expected a value"),
        };
        let mut sample = Sample {
            name,
            labels,
            value,
            timestamp: None,
            exemplar: None,
            line: line_no,
        };
        // Optional timestamp and exemplar.
        let mut after = match next!() {
            None => return Ok(sample),
            Some((Token::Whitespace, span)) => span,
            Some((t, span)) => {
                return err(
                    span.start,
                    format!(
                        "expected whitespace after the value, found {}",
                        t.describe()
                    ),
                )
            }
        };
        match next!() {
            None if strict => return err(after.start, "trailing whitespace"),
            None => return Ok(sample),
            Some((Token::Number, span)) => {
                if strict && after.len() != 1 {
                    return err(
                        after.start + 1,
                        "expected exactly one space before the timestamp",
                    );
                }
                sample.timestamp = Some(
                    parse_timestamp(&line[span.clone()], self.format).ok_or_else(|| LineError {
                        offset: span.start,
                        message: if strict {
                            format!(
                                "invalid timestamp `{}`: expected seconds as a decimal number",
                                &line[span.clone()]
                            )
                        } else {
                            format!(
                                "invalid timestamp `{}`: expected integer milliseconds",
                                &line[span.clone()]
                            )
                        },
                    })?,
                );
                match next!() {
                    None => return Ok(sample),
                    Some((Token::Whitespace, span)) => after = span,
                    Some((t, span)) => {
                        return err(
                            span.start,
                            format!(
                                "expected whitespace after the timestamp, found {}",
                                t.describe()
                            ),
                        )
                    }
                }
                match next!() {
                    None if strict => return err(after.start, "trailing whitespace"),
                    None => return Ok(sample),
                    Some((Token::Hash, span)) if strict => {
                        self.read_exemplar(line, lex, &mut sample, span.end)?
                    }
                    Some((t, span)) => {
                        return err(
                            span.start,
                            format!("expected the end of the line, found {}", t.describe()),
                        )
                    }
                }
            }
            Some((Token::Hash, span)) if strict => {
                if after.len() != 1 {
                    return err(
                        after.start + 1,
                        "expected exactly one space before the exemplar",
                    );
                }
                self.read_exemplar(line, lex, &mut sample, span.end)?
            }
            Some((t, span)) => {
                return err(
                    span.start,
                    format!(
                        "expected a timestamp or the end of the line, found {}",
                        t.describe()
                    ),
                )
            }
        }
        Ok(sample)
    }

    /// Reads label pairs after `{` up to and including `}`; may set the metric name
    /// from a leading quoted string (`{"my.metric", …}`) in Prometheus text.
    fn read_labels<I>(
        &self,
        line: &'a str,
        lex: &mut std::iter::Peekable<I>,
        labels: &mut Vec<Label<'a>>,
        name: &mut Option<Cow<'a, str>>,
        strict: bool,
    ) -> Result<(), LineError>
    where
        I: Iterator<Item = Spanned>,
    {
        // Labels past the first LINEAR_LABELS are checked for duplicates with a
        // hash map at the end, so a line with very many labels stays linear.
        let mut late = Vec::new();
        self.read_label_list(line, lex, labels, name, strict, &mut late)?;
        if late.is_empty() {
            return Ok(());
        }
        let mut seen: FxMap<&str, u32> = FxMap::default();
        for (i, label) in labels.iter().enumerate() {
            if seen.insert(&label.name, 0).is_some() {
                return err(
                    late[i - LINEAR_LABELS],
                    format!("label `{}` appears twice", label.name),
                );
            }
        }
        Ok(())
    }

    fn read_label_list<I>(
        &self,
        line: &'a str,
        lex: &mut std::iter::Peekable<I>,
        labels: &mut Vec<Label<'a>>,
        name: &mut Option<Cow<'a, str>>,
        strict: bool,
        late: &mut Vec<usize>,
    ) -> Result<(), LineError>
    where
        I: Iterator<Item = Spanned>,
    {
        let mut after_comma = false;
        loop {
            let mut tok = lex.next();
            if !strict {
                while let Some((Ok(Token::Whitespace), _)) = tok {
                    tok = lex.next();
                }
            }
            let (t, span) = match tok {
                Some((Ok(t), span)) => (t, span),
                Some((Err(_), span)) => return err(span.start, unexpected_char(line, span.start)),
                None => return err(line.len(), "expected a label name or `}`"),
            };
            let label_name: Cow<'a, str> = match t {
                Token::CloseBrace => {
                    if strict && after_comma {
                        return err(
                            span.start,
                            "expected a label name after `,`: OpenMetrics allows no trailing comma",
                        );
                    }
                    return Ok(());
                }
                Token::Name => {
                    let n = &line[span.clone()];
                    if let Some(colon) = n.bytes().position(|b| b == b':') {
                        return err(
                            span.start + colon,
                            format!("label name `{n}` contains `:`, which label names may not"),
                        );
                    }
                    Cow::Borrowed(n)
                }
                Token::PlainString | Token::QuotedString if !strict => {
                    let raw = &line[span.clone()];
                    let text = unescape(&raw[1..raw.len() - 1], Escapes::Quoted)
                        .map_err(|e| LineError { offset: span.start + 1 + e.offset, message: "invalid escape in quoted name: only `\\\\`, `\\\"` and `\\n` are allowed".into() })?;
                    let mut peek = lex.peek();
                    while let Some((Ok(Token::Whitespace), _)) = peek {
                        lex.next();
                        peek = lex.peek();
                    }
                    if matches!(peek, Some((Ok(Token::Comma | Token::CloseBrace), _))) {
                        if name.is_some() || !labels.is_empty() {
                            return err(
                                span.start,
                                "a quoted metric name must come first in the braces, and only once",
                            );
                        }
                        *name = Some(text);
                        match lex.next() {
                            Some((Ok(Token::CloseBrace), _)) => return Ok(()),
                            _ => {
                                after_comma = true;
                                continue;
                            }
                        }
                    }
                    text
                }
                _ => {
                    return err(
                        span.start,
                        format!("expected a label name or `}}`, found {}", t.describe()),
                    )
                }
            };
            // `=`
            let mut tok = lex.next();
            if !strict {
                while let Some((Ok(Token::Whitespace), _)) = tok {
                    tok = lex.next();
                }
            }
            match tok {
                Some((Ok(Token::Equals), _)) => {}
                Some((_, s)) => {
                    return err(
                        s.start,
                        format!("expected `=` after label name `{label_name}`"),
                    )
                }
                None => {
                    return err(
                        line.len(),
                        format!("expected `=` after label name `{label_name}`"),
                    )
                }
            }
            // value
            let mut tok = lex.next();
            if !strict {
                while let Some((Ok(Token::Whitespace), _)) = tok {
                    tok = lex.next();
                }
            }
            let value = match tok {
                Some((Ok(Token::PlainString), s)) => Cow::Borrowed(&line[s.start + 1..s.end - 1]),
                Some((Ok(Token::QuotedString), s)) => {
                    let raw = &line[s.clone()];
                    unescape(&raw[1..raw.len() - 1], Escapes::Quoted).map_err(|e| LineError {
                        offset: s.start + 1 + e.offset,
                        message: "invalid escape in label value: only `\\\\`, `\\\"` and `\\n` are allowed".into(),
                    })?
                }
                Some((Err(_), s)) if line[s.start..].starts_with('"') => {
                    return err(
                        s.start,
                        format!("unterminated label value for `{label_name}`"),
                    )
                }
                Some((_, s)) => {
                    return err(
                        s.start,
                        format!("expected a quoted label value for `{label_name}`"),
                    )
                }
                None => {
                    return err(
                        line.len(),
                        format!("expected a quoted label value for `{label_name}`"),
                    )
                }
            };
            if labels.len() < LINEAR_LABELS {
                if labels
                    .iter()
                    .any(|l: &Label<'_>| short_eq(&l.name, &label_name))
                {
                    return err(span.start, format!("label `{label_name}` appears twice"));
                }
            } else {
                late.push(span.start);
            }
            labels.push(Label {
                name: label_name,
                value,
            });
            // `,` or `}`
            let mut tok = lex.next();
            if !strict {
                while let Some((Ok(Token::Whitespace), _)) = tok {
                    tok = lex.next();
                }
            }
            match tok {
                Some((Ok(Token::Comma), _)) => after_comma = true,
                Some((Ok(Token::CloseBrace), _)) => return Ok(()),
                Some((_, s)) => return err(s.start, "expected `,` or `}` after a label"),
                None => return err(line.len(), "expected `,` or `}` after a label"),
            }
        }
    }

    fn read_exemplar<I>(
        &self,
        line: &'a str,
        lex: I,
        sample: &mut Sample<'a>,
        hash_end: usize,
    ) -> Result<(), LineError>
    where
        I: Iterator<Item = Spanned>,
    {
        let mut lex = lex.peekable();
        match lex.next() {
            Some((Ok(Token::Whitespace), s)) if s.len() == 1 => {}
            _ => return err(hash_end, "expected one space after `#` of an exemplar"),
        }
        let open = match lex.next() {
            Some((Ok(Token::OpenBrace), s)) => s,
            _ => return err(hash_end + 1, "expected `{` to start the exemplar's labels"),
        };
        let mut labels = Vec::new();
        let mut no_name = None;
        self.read_labels(line, &mut lex, &mut labels, &mut no_name, true)?;
        let chars: usize = labels
            .iter()
            .map(|l| l.name.chars().count() + l.value.chars().count())
            .sum();
        if chars > EXEMPLAR_LABEL_CHARS {
            return err(open.start, format!("exemplar labels hold {chars} characters; at most {EXEMPLAR_LABEL_CHARS} are allowed"));
        }
        match lex.next() {
            Some((Ok(Token::Whitespace), s)) if s.len() == 1 => {}
            Some((_, s)) => return err(s.start, "expected one space before the exemplar's value"),
            None => return err(line.len(), "expected the exemplar's value"),
        }
        let value = match lex.next() {
            Some((Ok(Token::Number | Token::Name), s)) => parse_value(&line[s.clone()])
                .ok_or_else(|| LineError {
                    offset: s.start,
                    message: "expected the exemplar's value as a number".into(),
                })?,
            Some((_, s)) => return err(s.start, "expected the exemplar's value"),
            None => return err(line.len(), "expected the exemplar's value"),
        };
        let mut timestamp = None;
        match lex.next() {
            None => {}
            Some((Ok(Token::Whitespace), s)) if s.len() == 1 => match lex.next() {
                Some((Ok(Token::Number), t)) => {
                    match parse_timestamp(&line[t.clone()], Format::OpenMetrics) {
                        Some(Timestamp::Seconds(secs)) => timestamp = Some(secs),
                        _ => return err(t.start, "invalid exemplar timestamp"),
                    }
                    if let Some((_, rest)) = lex.next() {
                        return err(
                            rest.start,
                            "expected the end of the line after the exemplar",
                        );
                    }
                }
                Some((_, t)) => return err(t.start, "expected the exemplar's timestamp"),
                None => return err(s.start, "trailing whitespace"),
            },
            Some((_, s)) => return err(s.start, "expected the end of the line after the exemplar"),
        }
        sample.exemplar = Some(Box::new(Exemplar {
            labels,
            value,
            timestamp,
        }));
        Ok(())
    }
}

/// String equality that rejects on length, first and last byte before comparing
/// the rest: in wasm, `memcmp` is an out-of-line byte loop, and most of the
/// strings compared here (label names, repeated values) differ early.
#[inline]
pub(crate) fn short_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len()
        && (a.is_empty() || (a[0] == b[0] && a[a.len() - 1] == b[b.len() - 1] && a == b))
}

/// Whether `name` is a sample of the family `family` of type `ty`.
fn belongs(name: &str, family: &str, ty: MetricType, format: Format) -> bool {
    match name.strip_prefix(family) {
        Some(suffix) => ty.suffixes(format).contains(&suffix),
        None => false,
    }
}

/// Checks that hold in both formats: `le` on buckets, `quantile` on summaries.
fn check_sample(
    sample: &Sample<'_>,
    ty: MetricType,
    suffix: &str,
    family: &str,
) -> Result<(), LineError> {
    let required = match (ty, suffix) {
        (MetricType::Histogram | MetricType::GaugeHistogram, "_bucket") => "le",
        (MetricType::Summary, "") => "quantile",
        _ => return Ok(()),
    };
    match sample.label(required) {
        None => err(
            0,
            format!(
                "`{}` of {ty} `{family}` needs a `{required}` label",
                sample.name
            ),
        ),
        Some(v) if parse_value(v).is_none() => {
            err(0, format!("`{required}` label value `{v}` is not a number"))
        }
        Some(_) => Ok(()),
    }
}

fn unexpected_char(line: &str, offset: usize) -> String {
    match line[offset..].chars().next() {
        Some('"') => "unterminated quoted string".into(),
        Some(c) if c.is_control() => format!("unexpected control character U+{:04X}", u32::from(c)),
        Some(c) => format!("unexpected character `{c}`"),
        None => "unexpected end of line".into(),
    }
}

/// Reads a value as Go's `ParseFloat` does for Prometheus: decimal, `NaN`, `±Inf`, `±Infinity`.
///
/// ```
/// use flux_shard_metrics::exposition::parse_value;
/// assert_eq!(parse_value("1.5e3"), Some(1500.0));
/// assert_eq!(parse_value("-Inf"), Some(f64::NEG_INFINITY));
/// assert!(parse_value("nan").unwrap().is_nan());
/// assert_eq!(parse_value("0x10"), None);
/// assert_eq!(parse_value("+NaN"), None);
/// ```
pub fn parse_value(s: &str) -> Option<f64> {
    let bytes = s.as_bytes();
    if !bytes.is_empty() && bytes.len() <= 15 && bytes.iter().all(u8::is_ascii_digit) {
        let n = bytes
            .iter()
            .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
        return Some(n as f64);
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let first = unsigned.as_bytes().first()?;
    if first.is_ascii_digit() || *first == b'.' {
        let digits_ok = unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
        return if digits_ok { s.parse().ok() } else { None };
    }
    if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        return Some(if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if s.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    None
}

fn parse_timestamp(s: &str, format: Format) -> Option<Timestamp> {
    match format {
        Format::Prometheus => s.parse::<i64>().ok().map(Timestamp::Millis),
        Format::OpenMetrics => {
            let v = parse_value(s)?;
            v.is_finite().then_some(Timestamp::Seconds(v))
        }
    }
}
