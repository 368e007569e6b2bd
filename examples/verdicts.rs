//! Reads JSON strings, one per line, and prints for each `ok` or the first error
//! of parsing it (strict OpenMetrics by default, `--format prometheus` for the
//! text format): the Rust side of the cross-checks with the reference parsers
//! in `tests/crosscheck/`.
use std::io::{BufRead, Write};

use flux_shard_metrics::exposition::{parse, Format};

fn main() {
    let format = match std::env::args().nth(1).as_deref() {
        None => Format::OpenMetrics,
        Some("--format") => Format::from_name(&std::env::args().nth(2).unwrap_or_default())
            .expect("--format prometheus|openmetrics"),
        Some(other) => {
            panic!("unknown argument {other}: usage: verdicts [--format prometheus|openmetrics]")
        }
    };
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let text: String =
            serde_json::from_str(&line.expect("stdin")).expect("one JSON string per line");
        let parsed = parse(&text, format);
        let verdict = parsed
            .errors
            .first()
            .map_or_else(|| "ok".to_string(), ToString::to_string);
        writeln!(
            out,
            "{}",
            serde_json::to_string(&verdict).expect("a string")
        )
        .expect("stdout");
    }
}
