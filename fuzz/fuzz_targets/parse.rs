//! `cargo fuzz run parse`: both formats over arbitrary UTF-8; checks that errors
//! point inside the input, and that encoding and JSON never fail.
#![no_main]

use flux_shard_metrics::exposition::{encode, parse, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for format in [Format::Prometheus, Format::OpenMetrics] {
        let parsed = parse(text, format);
        let lines = text.split('\n').count() as u32 + 1;
        for e in &parsed.errors {
            assert!(e.line >= 1 && e.line <= lines && e.column >= 1, "{e}");
        }
        let encoded = encode(&parsed);
        assert_eq!(encoded.string_lengths.iter().map(|&n| n as usize).sum::<usize>(), encoded.strings.encode_utf16().count());
        let _ = parsed.to_json();
    }
});
