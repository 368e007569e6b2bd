//! A small cursor over the tokens of one line: the next token (lexer errors
//! included or turned into a line error), one token of look-ahead, and the
//! one rule for blanks inside braces, which Prometheus text allows between
//! tokens and OpenMetrics does not.

use logos::Logos;

use super::errors::{fail, unexpected_char, LineResult};
use super::lexer::{LexError, Token};

/// A token (or a character no token starts with) and its byte range in the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    pub token: Result<Token, LexError>,
    pub start: usize,
    pub end: usize,
}

impl Tok {
    /// Whether it is `token`.
    #[inline]
    pub fn is(self, token: Token) -> bool {
        self.token == Ok(token)
    }

    /// Its length in bytes.
    #[inline]
    pub fn len(self) -> usize {
        self.end - self.start
    }
}

pub(crate) struct Cursor<'a> {
    line: &'a str,
    lex: logos::Lexer<'a, Token>,
    peeked: Option<Option<Tok>>,
    /// Prometheus text: blanks may stand between the tokens inside braces.
    blanks_in_braces: bool,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `line`; `strict` for OpenMetrics.
    #[inline]
    pub fn new(line: &'a str, strict: bool) -> Cursor<'a> {
        Cursor {
            line,
            lex: Token::lexer(line),
            peeked: None,
            blanks_in_braces: !strict,
        }
    }

    /// The whole line.
    #[inline]
    pub fn line(&self) -> &'a str {
        self.line
    }

    /// The text of `tok`.
    #[inline]
    pub fn text(&self, tok: Tok) -> &'a str {
        &self.line[tok.start..tok.end]
    }

    /// The next token or lexer error; `None` at the end of the line.
    #[inline]
    pub fn raw(&mut self) -> Option<Tok> {
        if let Some(peeked) = self.peeked.take() {
            return peeked;
        }
        let token = self.lex.next()?;
        let span = self.lex.span();
        Some(Tok {
            token,
            start: span.start,
            end: span.end,
        })
    }

    /// The next token without taking it.
    #[inline]
    pub fn peek(&mut self) -> Option<Tok> {
        if self.peeked.is_none() {
            let next = self.raw();
            self.peeked = Some(next);
        }
        self.peeked.expect("just set")
    }

    /// The next token; a character no token starts with is an error there.
    #[inline]
    pub fn next(&mut self) -> LineResult<Option<Tok>> {
        match self.raw() {
            Some(t) if t.token.is_err() => fail(t.start, unexpected_char(self.line, t.start)),
            other => Ok(other),
        }
    }

    /// The next token inside braces, past any blanks the format allows there.
    #[inline]
    pub fn raw_in_braces(&mut self) -> Option<Tok> {
        let mut tok = self.raw();
        if self.blanks_in_braces {
            while let Some(t) = tok.filter(|t| t.is(Token::Whitespace)) {
                let _ = t;
                tok = self.raw();
            }
        }
        tok
    }

    /// Takes the blanks before the next token inside braces, where the format allows them.
    #[inline]
    pub fn skip_blanks_in_braces(&mut self) {
        if self.blanks_in_braces {
            while self.peek().is_some_and(|t| t.is(Token::Whitespace)) {
                self.raw();
            }
        }
    }
}
