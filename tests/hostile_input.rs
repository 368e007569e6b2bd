//! Inputs built to be slow: every check here would take minutes if a path
//! were quadratic in the number of labels, samples or controllers.
#![cfg(not(target_arch = "wasm32"))]

use flux_shard_metrics::exposition::{parse, Format};
use flux_shard_metrics::scrape::read_scrape;

#[test]
fn a_line_with_very_many_labels_and_a_late_duplicate() {
    let n = 100_000;
    let mut line = String::from("m{");
    for i in 0..n {
        line.push_str(&format!("l{i}=\"v\","));
    }
    let duplicate_at = line.chars().count() + 1;
    line.push_str("l7=\"again\"} 1\nok 2\n");
    let parsed = parse(&line, Format::Prometheus);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(
        parsed.errors[0].to_string(),
        format!("label `l7` appears twice at 1:{duplicate_at}")
    );
    assert_eq!(parsed.families.len(), 1);
    assert_eq!(parsed.families[0].name, "ok");

    let ok = line
        .replace("l7=\"again\",", "")
        .replace(",l7=\"again\"}", "}");
    let parsed = parse(&ok, Format::Prometheus);
    assert_eq!(parsed.errors, []);
    assert_eq!(parsed.families[0].samples[0].labels.len as usize, n);
}

#[test]
fn openmetrics_series_keys_with_very_many_labels() {
    let mut text = String::from("m{");
    for i in (0..50_000).rev() {
        text.push_str(&format!("l{i}=\"v\""));
        text.push(if i == 0 { '}' } else { ',' });
    }
    text.push_str(" 1\n# EOF\n");
    let parsed = parse(&text, Format::OpenMetrics);
    assert_eq!(parsed.errors, []);
}

#[test]
fn a_scrape_with_very_many_controllers() {
    let n = 50_000;
    let mut body = String::new();
    for i in (0..n).rev() {
        body.push_str(&format!(
            "controller_runtime_reconcile_total{{controller=\"c{i:05}\",result=\"success\"}} 2\n"
        ));
        body.push_str(&format!(
            "controller_runtime_reconcile_total{{controller=\"c{i:05}\",result=\"error\"}} 1\n"
        ));
    }
    let counts = read_scrape(&body, Format::Prometheus).unwrap().counts;
    assert_eq!(counts.by_controller.len(), n);
    assert_eq!(counts.by_controller[0].controller, "c00000");
    assert_eq!(
        counts.by_controller[n - 1].controller,
        format!("c{:05}", n - 1)
    );
    assert_eq!(
        (counts.reconciliations, counts.errors),
        (3.0 * n as f64, n as f64)
    );
}

#[test]
fn very_many_bad_lines_in_both_formats() {
    let text = "bad{\n".repeat(200_000);
    assert_eq!(parse(&text, Format::Prometheus).errors.len(), 200_000);
    // Family-level errors (buckets out of order) are found at the end of the family and must be
    // merged among the line errors: the worst case for a simple sort.
    let mut om = "# TYPE h histogram\n".to_string();
    for i in 0..50_000 {
        om.push_str(&format!(
            "h_bucket{{le=\"{}\"}} 0\nh_bucket{{le=\"1\"}} x\n",
            50_000 - i
        ));
    }
    om.push_str("# EOF\n");
    let parsed = parse(&om, Format::OpenMetrics);
    assert_eq!(parsed.errors.len(), 100_000);
    assert!(parsed
        .errors
        .windows(2)
        .all(|w| (w[0].line, w[0].column) <= (w[1].line, w[1].column)));
    assert_eq!(
        parsed.errors[0].to_string(),
        "histogram `h` has no `le=\"+Inf\"` bucket at 2:1"
    );
    assert_eq!(
        parsed.errors[1].to_string(),
        "expected a number, `NaN`, `+Inf` or `-Inf`, found `x` at 3:18"
    );
}

#[test]
fn a_duration_histogram_with_very_many_bounds_merges_linearly() {
    let n = 50_000;
    let mut body = String::from("# TYPE controller_runtime_reconcile_time_seconds histogram\n");
    for i in (0..n).rev() {
        body.push_str(&format!(
            "controller_runtime_reconcile_time_seconds_bucket{{controller=\"a\",le=\"{}\"}} {}\n",
            i + 1,
            i + 1
        ));
    }
    body.push_str(
        "controller_runtime_reconcile_time_seconds_bucket{controller=\"a\",le=\"+Inf\"} 50000\n",
    );
    let mut a = read_scrape(&body, Format::Prometheus).unwrap().counts;
    let b = read_scrape(&body.replace("le=\"", "le=\"0."), Format::Prometheus)
        .unwrap()
        .counts;
    a.merge(&b);
    assert!(a.duration_p99.is_some());
}

/// FxHash (`rustc-hash`'s hasher, which this crate used to hash keys with) as it hashes a `str`:
/// each 8-byte chunk, then each remaining byte, then `0xff`; from a state of zero.
mod fx {
    pub const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    pub fn step(h: u64, word: u64) -> u64 {
        (h.rotate_left(5) ^ word).wrapping_mul(K)
    }

    pub fn hash(s: &str) -> u64 {
        let mut h = 0;
        let mut chunks = s.as_bytes().chunks_exact(8);
        for c in &mut chunks {
            h = step(h, u64::from_le_bytes(c.try_into().unwrap()));
        }
        for &b in chunks.remainder() {
            h = step(h, u64::from(b));
        }
        step(h, 0xff)
    }

    /// `n` distinct 16-byte strings of printable ASCII (no `"` or `\`) with one FxHash: each step
    /// is invertible, so for any first chunk the second chunk that reaches a chosen state is known;
    /// about one first chunk in 3,300 gives a printable one.
    pub fn colliding(n: usize) -> Vec<String> {
        // K's inverse modulo 2^64, by Newton's iteration.
        let mut inverse: u64 = 1;
        for _ in 0..6 {
            inverse = inverse.wrapping_mul(2u64.wrapping_sub(K.wrapping_mul(inverse)));
        }
        let target = 0x0123_4567_89ab_cdef_u64;
        let printable = |b: u8| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
        let mut keys = Vec::with_capacity(n);
        let mut counter: u64 = 0;
        while keys.len() < n {
            counter += 1;
            // The first chunk: the counter in base 64 over [0-9A-Za-z_-], 8 characters.
            let digits = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";
            let first: [u8; 8] =
                std::array::from_fn(|i| digits[((counter >> (6 * i)) & 63) as usize]);
            let h1 = step(0, u64::from_le_bytes(first));
            let second = (target.wrapping_mul(inverse) ^ h1.rotate_left(5)).to_le_bytes();
            if second.iter().all(|&b| printable(b)) {
                let mut key = String::from_utf8(first.to_vec()).unwrap();
                key.push_str(std::str::from_utf8(&second).unwrap());
                keys.push(key);
            }
        }
        keys
    }
}

#[test]
fn keys_that_collide_under_fxhash() {
    // No hash map is left in the crate (every lookup is ordered: `BTreeMap`, or sorted and
    // binary-searched), so colliding keys are keys like any other; with the FxHash map it had,
    // each of these inserts compared the key with every earlier one.
    let keys = fx::colliding(4000);
    assert!(keys.iter().all(|k| fx::hash(k) == fx::hash(&keys[0])));
    let mut distinct = keys.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), keys.len());
    // As label values (interned by the encoder), controller names (summed per controller),
    // family names (the parser's index) and OpenMetrics series (duplicate points).
    let mut text = String::new();
    for k in &keys {
        text.push_str(&format!(
            "controller_runtime_reconcile_total{{controller=\"{k}\",result=\"success\"}} 1\n"
        ));
    }
    let parsed = parse(&text, Format::Prometheus);
    assert_eq!(parsed.errors, []);
    let encoded = flux_shard_metrics::exposition::encode(&parsed);
    assert_eq!(encoded.string_lengths.len(), keys.len() + 4);
    let counts = read_scrape(&text, Format::Prometheus).unwrap().counts;
    assert_eq!(counts.by_controller.len(), keys.len());
    let names: String = keys
        .iter()
        .map(|k| {
            format!(
                "f{}_x 1\n",
                k.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            )
        })
        .collect();
    assert_eq!(parse(&names, Format::Prometheus).errors, []);
    let mut om = String::from("# TYPE g gauge\n");
    for k in &keys {
        om.push_str(&format!("g{{k=\"{k}\"}} 1\n"));
    }
    om.push_str("# EOF\n");
    assert_eq!(parse(&om, Format::OpenMetrics).errors, []);
}

#[test]
fn no_hash_map_in_the_crate() {
    fn scan(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                scan(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for word in ["HashMap", "HashSet", "BuildHasher", "impl Hasher"] {
                    if text.contains(word) {
                        found.push(format!("{}: {word}", path.display()));
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    scan(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(
        found.is_empty(),
        "a hash map hashes keys taken from an untrusted pod's text; use an ordered map: {found:?}"
    );
}
