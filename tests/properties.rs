//! Properties over arbitrary input: the parser never panics, every error points
//! inside the input, and families do not depend on how lines are ordered.
#![cfg(not(target_arch = "wasm32"))]

use flux_shard_metrics::exposition::{parse, Format};
use proptest::prelude::*;

/// Lines that look like exposition text, to reach deep into the grammar.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_]{1,6}(\\{([a-z]{1,3}=\"[a-z\\\\\"]{0,4}\",?){0,3}\\})? [-+]?[0-9.eE]{1,6}( [0-9]{1,4})?",
        "# (HELP|TYPE|UNIT) [a-z_]{1,6} [a-z ]{0,10}",
        "# EOF",
        "[ -~]{0,30}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_input_never_panics(text in any::<String>(), om in any::<bool>()) {
        let format = if om { Format::OpenMetrics } else { Format::Prometheus };
        let parsed = parse(&text, format);
        let lines = text.split('\n').count() as u32 + 1;
        for e in &parsed.errors {
            prop_assert!(e.line >= 1 && e.line <= lines, "{e} outside {lines} lines");
            prop_assert!(e.column >= 1);
        }
        let _ = parsed.to_json();
    }

    #[test]
    fn exposition_like_input_never_panics(lines in prop::collection::vec(line(), 0..20), om in any::<bool>()) {
        let text = lines.join("\n");
        let format = if om { Format::OpenMetrics } else { Format::Prometheus };
        let parsed = parse(&text, format);
        let samples: usize = parsed.families.iter().map(|f| f.samples.len()).sum();
        prop_assert!(samples + parsed.errors.len() <= lines.len() + 2);
    }

    /// Untyped families in Prometheus text: the set of (name, labels, value) does
    /// not depend on the order of lines.
    #[test]
    fn sample_set_is_independent_of_line_order(
        lines in prop::collection::vec("[a-c]\\{x=\"[0-9]\"\\} [0-9]{1,3}", 1..12),
        seed in any::<u64>(),
    ) {
        let forward = lines.join("\n");
        let mut shuffled = lines.clone();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let backward = shuffled.join("\n");
        let collect = |text: &str| {
            let parsed = parse(text, Format::Prometheus);
            let mut all: Vec<(String, String, u64)> = parsed.families.iter()
                .flat_map(|f| f.samples.iter().map(move |s| (s.name.to_string(), f.labels_of(s)[0].value.to_string(), s.value as u64)))
                .collect();
            all.sort();
            (all, parsed.errors.len())
        };
        prop_assert_eq!(collect(&forward), collect(&backward));
    }
}
