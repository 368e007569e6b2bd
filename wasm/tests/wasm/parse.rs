// Shared by tests/node.rs and tests/browser.rs, so every test runs in both.
use flux_shard_metrics::exposition::type_code;
use flux_shard_metrics::exposition::MetricType;
use flux_shard_metrics_wasm::parse_exposition_encoded;
use wasm_bindgen_test::wasm_bindgen_test;

const SOURCE_CONTROLLER: &str = include_str!("../../../tests/fixtures/source-controller.prom");

#[wasm_bindgen_test]
fn parses_the_fixture_through_the_bindings() {
    let mut encoded = parse_exposition_encoded(SOURCE_CONTROLLER.as_bytes(), "prometheus").unwrap();
    let ops = encoded.take_ops();
    assert_eq!(ops[0], 54, "families");
    assert_eq!(*ops.last().unwrap(), 0, "no errors");
    let strings = encoded.take_strings();
    assert!(strings.starts_with("controller_runtime_active_workers"));
    assert_eq!(ops[2], type_code(MetricType::Gauge));
    let numbers = encoded.take_numbers();
    assert_eq!(numbers.len(), 477);
}

#[wasm_bindgen_test]
fn errors_come_back_with_positions() {
    let mut encoded = parse_exposition_encoded(b"ok 1\nbad{\n", "prometheus").unwrap();
    let ops = encoded.take_ops();
    // 1 family, then 1 error at 2:5.
    assert_eq!(&ops[ops.len() - 4..ops.len() - 1], [1, 2, 5]);
    assert!(encoded
        .take_strings()
        .ends_with("expected a label name or `}`"));
}

#[wasm_bindgen_test]
fn openmetrics_is_strict_in_wasm_too() {
    let mut encoded = parse_exposition_encoded(b"a 1\n", "openmetrics").unwrap();
    assert!(encoded
        .take_strings()
        .contains("missing `# EOF` at the end"));
}

#[wasm_bindgen_test]
fn unknown_format_and_bad_utf8_are_errors() {
    assert!(parse_exposition_encoded(b"a 1\n", "json").is_err());
    assert!(parse_exposition_encoded(&[0xff, 0xfe], "prometheus").is_err());
}
