//! The common Prometheus sample line, read without the lexer:
//! `name{label="value",…} value [timestamp]` with single spaces, no blanks in
//! the braces and no escapes. Anything else — including every line with an
//! error — is left to the full grammar (`sample.rs`), which reads it the same
//! way and says what is wrong; `tests/fast_path.rs` checks that both agree.

use std::borrow::Cow;

use super::labels::short_eq;
use super::model::{Label, Timestamp};
use super::sample::SampleLine;
use super::value::parse_value;

/// Up to this many labels the fast path checks duplicates itself.
const MAX_LABELS: usize = 16;

/// What each byte may be: one table lookup per byte instead of a chain of comparisons.
const NAME_START: u8 = 1;
const NAME: u8 = 2;
const COLON: u8 = 4;
const VALUE: u8 = 8;

const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphabetic() || c == b'_' {
            t[b] |= NAME_START | NAME;
        }
        if c.is_ascii_digit() {
            t[b] |= NAME;
        }
        if c == b':' {
            t[b] |= NAME_START | NAME | COLON;
        }
        if c.is_ascii_alphanumeric() || c == b'.' || c == b'+' || c == b'-' {
            t[b] |= VALUE;
        }
        b += 1;
    }
    t
};

/// The end of the name starting at `at` (`at` when there is none), and
/// whether it holds a `:`.
#[inline]
fn name_end(bytes: &[u8], at: usize) -> (usize, bool) {
    match bytes.get(at) {
        Some(&b) if CLASS[b as usize] & NAME_START != 0 => {}
        _ => return (at, false),
    }
    let mut seen = 0;
    let mut i = at;
    while let Some(&b) = bytes.get(i) {
        let class = CLASS[b as usize];
        if class & NAME == 0 {
            break;
        }
        seen |= class;
        i += 1;
    }
    (i, seen & COLON != 0)
}

/// Reads `line` if it is a plain sample line, appending its labels to
/// `labels`; `None` (with `labels` as it was) for anything else.
#[inline]
pub(crate) fn read_plain_sample<'a>(
    line: &'a str,
    labels: &mut Vec<Label<'a>>,
) -> Option<SampleLine<'a>> {
    let first = labels.len();
    let result = read(line, labels, first);
    if result.is_none() {
        labels.truncate(first);
    }
    result
}

fn read<'a>(line: &'a str, labels: &mut Vec<Label<'a>>, first: usize) -> Option<SampleLine<'a>> {
    let bytes = line.as_bytes();
    let (end, _) = name_end(bytes, 0);
    if end == 0 {
        return None;
    }
    let name = &line[..end];
    let mut i = end;
    if bytes.get(i) == Some(&b'{') {
        i = read_labels(line, i + 1, labels, first)?;
    }
    if bytes.get(i) != Some(&b' ') {
        return None;
    }
    i += 1;
    let value_start = i;
    while let Some(&b) = bytes.get(i) {
        if b == b' ' {
            break;
        }
        if CLASS[b as usize] & VALUE == 0 {
            return None;
        }
        i += 1;
    }
    let value = parse_value(&line[value_start..i])?;
    let mut timestamp = None;
    if i < bytes.len() {
        // One space, then integer milliseconds to the end of the line.
        let ts = &line[i + 1..];
        let digits = ts.strip_prefix(['+', '-']).unwrap_or(ts);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        timestamp = Some(Timestamp::Millis(ts.parse().ok()?));
    }
    Some(SampleLine {
        name: Cow::Borrowed(name),
        value,
        timestamp,
        exemplar: None,
    })
}

/// Reads `label="value",…}` from `at`; returns the position after the `}`.
fn read_labels<'a>(
    line: &'a str,
    mut at: usize,
    labels: &mut Vec<Label<'a>>,
    first: usize,
) -> Option<usize> {
    let bytes = line.as_bytes();
    loop {
        if bytes.get(at) == Some(&b'}') {
            return Some(at + 1);
        }
        let (end, colon) = name_end(bytes, at);
        // Label names hold no `:`; the full grammar says so.
        if end == at || colon {
            return None;
        }
        if bytes.get(end) != Some(&b'=') || bytes.get(end + 1) != Some(&b'"') {
            return None;
        }
        let value_start = end + 2;
        let close = value_start + memchr::memchr2(b'"', b'\\', &bytes[value_start..])?;
        if bytes[close] != b'"' {
            return None;
        }
        let name = &line[at..end];
        if labels.len() - first >= MAX_LABELS
            || labels[first..].iter().any(|l| short_eq(&l.name, name))
        {
            return None;
        }
        labels.push(Label {
            name: Cow::Borrowed(name),
            value: Cow::Borrowed(&line[value_start..close]),
        });
        at = close + 1;
        match bytes.get(at) {
            Some(b',') => at += 1,
            Some(b'}') => {}
            _ => return None,
        }
    }
}

// Host only: proptest is a host dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::exposition::model::Format;
    use crate::exposition::sample::read_sample;
    use proptest::prelude::*;

    /// Whatever the fast path reads, the full grammar reads the same way.
    fn agrees(line: &str) -> bool {
        let mut fast_labels = Vec::new();
        let Some(fast) = read_plain_sample(line, &mut fast_labels) else {
            assert!(fast_labels.is_empty(), "labels left behind for {line:?}");
            return false;
        };
        let mut slow_labels = Vec::new();
        let slow = read_sample(line, Format::Prometheus, &mut slow_labels).unwrap_or_else(|e| {
            panic!(
                "{line:?}: fast path read it, the grammar says {}",
                e.message
            )
        });
        assert_eq!(fast.name, slow.name, "{line:?}");
        assert_eq!(fast.value.to_bits(), slow.value.to_bits(), "{line:?}");
        assert_eq!(fast.timestamp, slow.timestamp, "{line:?}");
        assert_eq!(fast_labels, slow_labels, "{line:?}");
        true
    }

    #[test]
    fn the_fixtures_take_the_fast_path() {
        for fixture in [
            include_str!("../../tests/fixtures/source-controller.prom"),
            &include_str!("../../tests/fixtures/kustomize-controller-busy.prom")[..200_000],
        ] {
            // Whole lines only: the large fixture is cut after 200 KB.
            let whole = &fixture[..fixture.rfind('\n').unwrap()];
            let samples: Vec<&str> = whole
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .collect();
            let fast = samples.iter().filter(|l| agrees(l)).count();
            assert_eq!(fast, samples.len());
        }
    }

    #[test]
    fn lines_it_leaves_to_the_grammar() {
        for line in [
            "a  1",
            "a{b=\"c\\\"\"} 1",
            "a{b:c=\"d\"} 1",
            "a{b=\"1\",b=\"2\"} 1",
            "a {b=\"c\"} 1",
            "a{ b=\"c\"} 1",
            "a 1 ",
            "a 0x10",
            "a 1.2.3",
            "a 1 1.5",
            "{\"a.b\"} 1",
            "a{b=\"c\",} 1 -5",
        ] {
            let mut labels = Vec::new();
            let fast = read_plain_sample(line, &mut labels);
            if let Some(f) = fast {
                // Only the last one is plain: a trailing comma and a negative timestamp.
                assert_eq!(
                    (line, f.timestamp),
                    ("a{b=\"c\",} 1 -5", Some(Timestamp::Millis(-5)))
                );
                assert!(agrees(line));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn fast_and_full_grammar_agree(
            name in "[a-zA-Z_:][a-zA-Z0-9_:]{0,8}",
            labels in proptest::collection::vec(("[a-zA-Z_:][a-zA-Z0-9_:]{0,4}", "[a-z0-9 \\\\\"é.]{0,6}"), 0..5),
            open in prop_oneof![Just("{"), Just(" {"), Just("{ ")],
            sep in prop_oneof![Just(","), Just(", "), Just(" ,")],
            close in prop_oneof![Just("}"), Just(",}"), Just(" }")],
            value in prop_oneof!["[0-9]{1,6}", "[+-]?[0-9]{0,3}\\.?[0-9]{0,3}([eE][+-]?[0-9]{1,2})?", "(NaN|nan|[+-]?Inf|[+-]?inf|Infinity|0x1F|1_0)"],
            timestamp in prop_oneof!["", " [0-9]{1,13}", " -[0-9]{1,3}", "  1", " 1.5", " "],
        ) {
            let body: Vec<String> = labels.iter().map(|(n, v)| format!("{n}=\"{v}\"")).collect();
            let line = if labels.is_empty() {
                format!("{name} {value}{timestamp}")
            } else {
                format!("{name}{open}{}{close} {value}{timestamp}", body.join(sep))
            };
            agrees(&line);
        }
    }
}
