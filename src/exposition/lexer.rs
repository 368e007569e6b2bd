//! Tokens of one line of the Prometheus / OpenMetrics text formats.
//!
//! The parser splits the input into lines itself (line structure is part of
//! both grammars) and runs this lexer over each sample line and over the
//! name part of `# HELP` / `# TYPE` / `# UNIT` lines. Whitespace is a token,
//! because OpenMetrics allows exactly one space where Prometheus allows any
//! run of blanks, and the parser decides.

use logos::Logos;

/// The error logos produces for input that starts no token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LexError;

/// A token of a sample line.
///
/// # Examples
///
/// ```
/// use flux_shard_metrics::exposition::lexer::Token;
/// use logos::Logos;
///
/// let tokens: Vec<_> = Token::lexer(r#"up{job="a"} 1"#).map(Result::unwrap).collect();
/// assert_eq!(
///     tokens,
///     [Token::Name, Token::OpenBrace, Token::Name, Token::Equals, Token::PlainString,
///      Token::CloseBrace, Token::Whitespace, Token::Number]
/// );
/// ```
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(error = LexError)]
pub enum Token {
    /// A metric or label name, also the words `NaN`, `Inf`, `HELP`, `counter`, ….
    #[regex(r"[a-zA-Z_:][a-zA-Z0-9_:]*")]
    Name,
    /// A double-quoted string with no `\` in it: used as it is.
    #[regex(r#""[^"\\\n]*""#, priority = 10)]
    PlainString,
    /// A double-quoted string with `\`-escapes, still escaped.
    #[regex(r#""([^"\\\n]|\\[^\n])*""#)]
    QuotedString,
    /// A decimal number as Go's `ParseFloat` reads it, or a signed infinity.
    #[regex(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")]
    #[regex(r"[+-]([iI][nN][fF]|[iI][nN][fF][iI][nN][iI][tT][yY])")]
    Number,
    /// `{`
    #[token("{")]
    OpenBrace,
    /// `}`
    #[token("}")]
    CloseBrace,
    /// `,`
    #[token(",")]
    Comma,
    /// `=`
    #[token("=")]
    Equals,
    /// `#`, which starts an OpenMetrics exemplar after a value.
    #[token("#")]
    Hash,
    /// A run of spaces and tabs.
    #[regex(r"[ \t]+")]
    Whitespace,
}

impl Token {
    /// What a person calls this token in an error message.
    pub fn describe(self) -> &'static str {
        match self {
            Token::Name => "a name",
            Token::PlainString | Token::QuotedString => "a quoted string",
            Token::Number => "a number",
            Token::OpenBrace => "`{`",
            Token::CloseBrace => "`}`",
            Token::Comma => "`,`",
            Token::Equals => "`=`",
            Token::Hash => "`#`",
            Token::Whitespace => "whitespace",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks token, slice and span together, as logos' own tests do.
    fn assert_lex(
        source: &str,
        expected: &[(Result<Token, LexError>, &str, std::ops::Range<usize>)],
    ) {
        let mut lex = Token::lexer(source);
        for (token, slice, span) in expected {
            assert_eq!(lex.next(), Some(*token), "token at {span:?}");
            assert_eq!(lex.slice(), *slice);
            assert_eq!(lex.span(), *span);
        }
        assert_eq!(lex.next(), None);
    }

    #[test]
    fn sample_with_labels_and_timestamp() {
        assert_lex(
            r#"a_b:c{le="0.5",x="q\"\\"} -1.5e3 1700000000000"#,
            &[
                (Ok(Token::Name), "a_b:c", 0..5),
                (Ok(Token::OpenBrace), "{", 5..6),
                (Ok(Token::Name), "le", 6..8),
                (Ok(Token::Equals), "=", 8..9),
                (Ok(Token::PlainString), "\"0.5\"", 9..14),
                (Ok(Token::Comma), ",", 14..15),
                (Ok(Token::Name), "x", 15..16),
                (Ok(Token::Equals), "=", 16..17),
                (Ok(Token::QuotedString), r#""q\"\\""#, 17..24),
                (Ok(Token::CloseBrace), "}", 24..25),
                (Ok(Token::Whitespace), " ", 25..26),
                (Ok(Token::Number), "-1.5e3", 26..32),
                (Ok(Token::Whitespace), " ", 32..33),
                (Ok(Token::Number), "1700000000000", 33..46),
            ],
        );
    }

    #[test]
    fn special_values() {
        assert_lex(
            "+Inf -inf NaN .5 1.",
            &[
                (Ok(Token::Number), "+Inf", 0..4),
                (Ok(Token::Whitespace), " ", 4..5),
                (Ok(Token::Number), "-inf", 5..9),
                (Ok(Token::Whitespace), " ", 9..10),
                (Ok(Token::Name), "NaN", 10..13),
                (Ok(Token::Whitespace), " ", 13..14),
                (Ok(Token::Number), ".5", 14..16),
                (Ok(Token::Whitespace), " ", 16..17),
                (Ok(Token::Number), "1.", 17..19),
            ],
        );
    }

    #[test]
    fn hex_is_not_one_number() {
        assert_lex(
            "0x1p3",
            &[
                (Ok(Token::Number), "0", 0..1),
                (Ok(Token::Name), "x1p3", 1..5),
            ],
        );
    }

    #[test]
    fn unterminated_string_is_an_error() {
        let mut lex = Token::lexer("{a=\"b");
        assert_eq!(lex.next(), Some(Ok(Token::OpenBrace)));
        assert_eq!(lex.next(), Some(Ok(Token::Name)));
        assert_eq!(lex.next(), Some(Ok(Token::Equals)));
        assert_eq!(lex.next(), Some(Err(LexError)));
    }
}
