//! The Prometheus text format 0.0.4 and OpenMetrics 1.0: tokens, parser, model.
//!
//! [`parse`] borrows from its input and allocates a label value, a name or a
//! help text only when it holds an escape. Both formats are read line by
//! line; a line that does not parse becomes one [`ParseError`] and the parse
//! goes on, so one bad line never hides the others.

mod cursor;
mod encode;
mod errors;
pub mod escape;
mod fast;
mod labels;
pub mod lexer;
mod metadata;
mod model;
mod openmetrics;
mod parser;
mod sample;
mod value;

pub use encode::{encode, type_code, Encoded};
pub use model::{
    format_value, Exemplar, Exposition, Family, Format, Label, LabelSpan, MetricType, ParseError,
    Sample, Timestamp, NAN, NEGATIVE_INFINITY, POSITIVE_INFINITY,
};
pub use parser::parse;
pub use value::parse_value;
