//! The Prometheus text format 0.0.4, case by case, with exact expectations.

use flux_shard_metrics::exposition::{parse, Format, MetricType, Timestamp};

fn errors(text: &str) -> Vec<String> {
    parse(text, Format::Prometheus)
        .errors
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn help_type_and_samples_group_into_a_family() {
    let text = "# HELP http_requests_total The total number of HTTP requests.\n\
                # TYPE http_requests_total counter\n\
                http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n\
                http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n";
    let parsed = parse(text, Format::Prometheus);
    assert_eq!(parsed.errors, []);
    assert_eq!(parsed.families.len(), 1);
    let f = &parsed.families[0];
    assert_eq!(f.name, "http_requests_total");
    assert_eq!(f.metric_type, MetricType::Counter);
    assert_eq!(
        f.help.as_deref(),
        Some("The total number of HTTP requests.")
    );
    assert_eq!(f.unit, None);
    assert_eq!(f.samples.len(), 2);
    assert_eq!(f.label_of(&f.samples[1], "code"), Some("400"));
    assert_eq!(f.samples[1].value, 3.0);
    assert_eq!(
        f.samples[1].timestamp,
        Some(Timestamp::Millis(1395066363000))
    );
    assert_eq!(f.samples[1].line, 4);
}

#[test]
fn escapes_in_help_and_label_values() {
    let text = "# HELP msdos_file_access_time_seconds Help with \\\\ and \\n newline.\n\
                msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n";
    let parsed = parse(text, Format::Prometheus);
    assert_eq!(parsed.errors, []);
    let f = &parsed.families[0];
    assert_eq!(f.help.as_deref(), Some("Help with \\ and \n newline."));
    assert_eq!(f.label_of(&f.samples[0], "path"), Some("C:\\DIR\\FILE.TXT"));
    assert_eq!(
        f.label_of(&f.samples[0], "error"),
        Some("Cannot find file:\n\"FILE.TXT\"")
    );
    assert_eq!(f.samples[0].value, 1.458255915e9);
}

#[test]
fn special_values_and_timestamps() {
    let text = "a NaN\nb +Inf\nc -Inf\nd -1.5e-3 -1000\ne Infinity\nf .5\ng 1.\n";
    let parsed = parse(text, Format::Prometheus);
    assert_eq!(parsed.errors, []);
    let values: Vec<f64> = parsed.families.iter().map(|f| f.samples[0].value).collect();
    assert!(values[0].is_nan());
    assert_eq!(
        &values[1..],
        [
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0015,
            f64::INFINITY,
            0.5,
            1.0
        ]
    );
    assert_eq!(
        parsed.families[3].samples[0].timestamp,
        Some(Timestamp::Millis(-1000))
    );
    assert!(parsed
        .families
        .iter()
        .all(|f| f.metric_type == MetricType::Untyped));
}

#[test]
fn histogram_and_summary_series_join_their_family() {
    let text = "# TYPE rpc histogram\n\
                rpc_bucket{le=\"0.05\"} 24054\n\
                rpc_bucket{le=\"+Inf\"} 144320\n\
                rpc_sum 53423\n\
                rpc_count 144320\n\
                # TYPE lat summary\n\
                lat{quantile=\"0.5\"} 4773\n\
                lat_sum 1.7560473e+07\n\
                lat_count 2693\n";
    let parsed = parse(text, Format::Prometheus);
    assert_eq!(parsed.errors, []);
    let names: Vec<_> = parsed
        .families
        .iter()
        .map(|f| (f.name.to_string(), f.samples.len()))
        .collect();
    assert_eq!(names, [("rpc".to_string(), 4), ("lat".to_string(), 3)]);
}

#[test]
fn empty_braces_trailing_comma_blanks_crlf_and_no_final_newline() {
    let text = "# a free comment\r\n\r\n  metric_without_timestamp_and_labels{} 12.47\r\nx{a=\"1\",} 2\r\ny { a = \"1\" , b=\"2\" } 3 \t\nlast 4";
    let parsed = parse(text, Format::Prometheus);
    assert_eq!(parsed.errors, []);
    let count: Vec<_> = parsed
        .families
        .iter()
        .map(|f| {
            (
                f.name.to_string(),
                f.samples[0].labels.len as usize,
                f.samples[0].value,
            )
        })
        .collect();
    assert_eq!(
        count,
        [
            ("metric_without_timestamp_and_labels".into(), 0, 12.47),
            ("x".into(), 1, 2.0),
            ("y".into(), 2, 3.0),
            ("last".into(), 0, 4.0)
        ]
    );
}

#[test]
fn utf8_quoted_names_as_prometheus_3_writes_them() {
    let text = "# HELP \"my.metric\" dotted\n# TYPE \"my.metric\" gauge\n{\"my.metric\",\"label.with.dots\"=\"x\",plain=\"y\"} 1\n{\"only.name\"} 2\n";
    let parsed = parse(text, Format::Prometheus);
    assert_eq!(parsed.errors, []);
    let f = &parsed.families[0];
    assert_eq!(f.name, "my.metric");
    assert_eq!(f.metric_type, MetricType::Gauge);
    assert_eq!(f.label_of(&f.samples[0], "label.with.dots"), Some("x"));
    assert_eq!(f.label_of(&f.samples[0], "plain"), Some("y"));
    assert_eq!(parsed.families[1].name, "only.name");
}

#[test]
fn bad_lines_are_reported_with_position_and_the_rest_survives() {
    let text = "good 1\n\
                bad{a=1} 2\n\
                bad2{a \"x\"} 3\n\
                bad3 0x1A\n\
                bad4{a=\"\\t\"} 1\n\
                bad5 1 1.5\n\
                bad6{a=\"x\",a=\"y\"} 1\n\
                bad7{a:b=\"x\"} 1\n\
                bad8 1 2 3\n\
                bad9{a=\"open} 1\n\
                bad10\n\
                also_good 2\n";
    let parsed = parse(text, Format::Prometheus);
    assert_eq!(
        parsed
            .errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>(),
        [
            "expected a quoted label value for `a` at 2:7",
            "expected `=` after label name `a` at 3:8",
            "expected whitespace after the value, found a name at 4:7",
            "invalid escape in label value: only `\\\\`, `\\\"` and `\\n` are allowed at 5:9",
            "invalid timestamp `1.5`: expected integer milliseconds at 6:8",
            "label `a` appears twice at 7:12",
            "label name `a:b` contains `:`, which label names may not at 8:7",
            "expected the end of the line, found a number at 9:10",
            "unterminated label value for `a` at 10:8",
            "expected a value after the metric name at 11:6",
        ]
    );
    let names: Vec<_> = parsed.families.iter().map(|f| f.name.to_string()).collect();
    assert_eq!(names, ["good", "also_good"]);
}

#[test]
fn metadata_errors() {
    assert_eq!(
        errors("# TYPE a gauge\n# TYPE a counter\n"),
        ["second TYPE line for `a` at 2:1"]
    );
    assert_eq!(
        errors("# HELP a x\n# HELP a y\n"),
        ["second HELP line for `a` at 2:1"]
    );
    assert_eq!(
        errors("a 1\n# TYPE a gauge\n"),
        ["TYPE for `a` comes after its samples; metadata must come first at 2:1"]
    );
    assert_eq!(
        errors("# TYPE a gaugehistogram\n"),
        ["unknown metric type `gaugehistogram`: expected counter, gauge, histogram, summary or untyped at 1:10"]
    );
    assert_eq!(
        errors("# TYPE\n"),
        ["expected a metric name after `# TYPE` at 1:7"]
    );
    assert_eq!(
        errors("# HELP a bad \\q escape\n"),
        ["invalid escape in help text: only `\\\\` and `\\n` are allowed at 1:14"]
    );
}

#[test]
fn histogram_needs_le_and_summary_needs_quantile() {
    assert_eq!(
        errors("# TYPE h histogram\nh_bucket 1\n"),
        ["`h_bucket` of histogram `h` needs a `le` label at 2:1"]
    );
    assert_eq!(
        errors("# TYPE s summary\ns 1\n"),
        ["`s` of summary `s` needs a `quantile` label at 2:1"]
    );
    assert_eq!(
        errors("# TYPE h histogram\nh 1\n"),
        ["a histogram named `h` has samples `h_bucket`, `h_count`, `h_sum`, not `h` at 2:1"]
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    assert_eq!(
        errors("x{a=\"é\",b=c} 1\n"),
        ["expected a quoted label value for `b` at 1:11"]
    );
}

#[test]
fn non_contiguous_samples_rejoin_their_family() {
    let parsed = parse(
        "# TYPE a counter\na 1\nb 2\na{x=\"y\"} 3\n",
        Format::Prometheus,
    );
    assert_eq!(parsed.errors, []);
    assert_eq!(parsed.families[0].samples.len(), 2);
}

#[test]
fn json_shape_for_the_js_api() {
    let parsed = parse(
        "# HELP up Is it up\n# TYPE up gauge\nup{job=\"a\\\"b\"} +Inf 123\n",
        Format::Prometheus,
    );
    assert_eq!(
        parsed.to_json(),
        r#"{"families":[{"name":"up","type":"gauge","help":"Is it up","unit":null,"samples":[{"name":"up","labels":{"job":"a\"b"},"value":"+Inf","timestamp":123}]}],"errors":[]}"#
    );
}
