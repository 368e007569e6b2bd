//! Reads JSON strings, one per line, and prints for each `ok` or the first error
//! of parsing it as strict OpenMetrics: the Rust side of the cross-check with
//! the reference parser (`tests/crosscheck/openmetrics_reference.py`).
use std::io::{BufRead, Write};

use flux_shard_metrics::exposition::{parse, Format};

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let text: String =
            serde_json::from_str(&line.expect("stdin")).expect("one JSON string per line");
        let parsed = parse(&text, Format::OpenMetrics);
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
