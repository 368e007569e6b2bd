//! `cargo fuzz run parse`: both formats over arbitrary UTF-8; checks that errors
//! point inside the input, that encoding and JSON never fail, and that reading
//! a scrape (the counts of a pod) never fails on what parses.
#![no_main]

use flux_shard_metrics::exposition::{encode, parse, Format};
use flux_shard_metrics::scrape::read_scrape;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for format in [Format::Prometheus, Format::OpenMetrics] {
        let parsed = parse(text, format);
        let lines = text.split('\n').count() as u32 + 1;
        for e in &parsed.errors {
            assert!(e.line >= 1 && e.line <= lines && e.column >= 1, "{e}");
        }
        for family in &parsed.families {
            for sample in &family.samples {
                assert!(sample.labels.range().end <= family.labels.len());
            }
        }
        let encoded = encode(&parsed);
        assert_eq!(encoded.string_lengths.iter().map(|&n| n as usize).sum::<usize>(), encoded.strings.encode_utf16().count());
        let _ = parsed.to_json();
        if let Ok(scrape) = read_scrape(text, format) {
            // Quantiles of one histogram never cross.
            if let (Some(p50), Some(p99)) = (scrape.counts.duration_p50, scrape.counts.duration_p99) {
                assert!(p50 <= p99, "p50 {p50} > p99 {p99}");
            }
        }
    }
});
