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
