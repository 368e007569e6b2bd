//! Unescaping of quoted strings and help text, borrowing when there is nothing to unescape.

use std::borrow::Cow;

/// Which `\`-sequences a piece of text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escapes {
    /// `\\`, `\"`, `\n` and nothing else: Prometheus label values and quoted
    /// names (as Go's `expfmt` reads them).
    Quoted,
    /// `\\`, `\n` and nothing else: Prometheus help text.
    Help,
    /// OpenMetrics label values and help text: `\\`, `\"`, `\n` are
    /// translated, any other `\` is kept as written (as the OpenMetrics
    /// project's parsers and conformance cases read them); never an error.
    KeepUnknown,
}

/// A `\`-sequence that is not allowed, at `offset` bytes into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadEscape {
    /// Byte offset of the backslash.
    pub offset: usize,
}

/// Unescapes `text`, allocating only when it holds a backslash.
///
/// ```
/// use flux_shard_metrics::exposition::escape::{unescape, Escapes};
/// assert!(matches!(unescape("plain", Escapes::Quoted), Ok(std::borrow::Cow::Borrowed("plain"))));
/// assert_eq!(unescape(r#"a\"b\\c\nd"#, Escapes::Quoted).unwrap(), "a\"b\\c\nd");
/// assert_eq!(unescape(r"a\tb", Escapes::Quoted).unwrap_err().offset, 1);
/// assert_eq!(unescape(r"a\tb\\z\z", Escapes::KeepUnknown).unwrap(), r"a\tb\z\z");
/// ```
pub fn unescape(text: &str, escapes: Escapes) -> Result<Cow<'_, str>, BadEscape> {
    let Some(first) = text.find('\\') else {
        return Ok(Cow::Borrowed(text));
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut chars = text[first..].char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let offset = first + i;
        match chars.next().map(|(_, c)| c) {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('"') if escapes != Escapes::Help => out.push('"'),
            Some(other) if escapes == Escapes::KeepUnknown => {
                out.push('\\');
                out.push(other);
            }
            None if escapes == Escapes::KeepUnknown => out.push('\\'),
            _ => return Err(BadEscape { offset }),
        }
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_allows_no_quote_escape() {
        assert_eq!(unescape(r"a\\b\nc", Escapes::Help).unwrap(), "a\\b\nc");
        assert_eq!(
            unescape(r#"say \"x\""#, Escapes::Help),
            Err(BadEscape { offset: 4 })
        );
    }

    #[test]
    fn trailing_backslash_is_bad_unless_kept() {
        assert_eq!(
            unescape("abc\\", Escapes::Quoted),
            Err(BadEscape { offset: 3 })
        );
        assert_eq!(unescape("abc\\", Escapes::KeepUnknown).unwrap(), "abc\\");
    }

    #[test]
    fn multibyte_text_keeps_offsets_in_bytes() {
        assert_eq!(
            unescape("é\\x", Escapes::Quoted),
            Err(BadEscape { offset: 2 })
        );
        assert_eq!(unescape("é\\n", Escapes::Quoted).unwrap(), "é\n");
        assert_eq!(unescape("é\\é", Escapes::KeepUnknown).unwrap(), "é\\é");
    }
}
