//! OpenMetrics 1.0, strict: cases written from the specification's text.
//! Each invalid case names the rule it breaks and the exact first error.

use flux_shard_metrics::exposition::{parse, Format, MetricType};

fn first_error(text: &str) -> Option<String> {
    parse(text, Format::OpenMetrics)
        .errors
        .first()
        .map(|e| e.to_string())
}

#[test]
fn the_specification_example_is_valid() {
    let text = "# TYPE acme_http_router_request_seconds summary\n\
# UNIT acme_http_router_request_seconds seconds\n\
# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.\n\
acme_http_router_request_seconds_sum{path=\"/api/v1\",method=\"GET\"} 9036.32\n\
acme_http_router_request_seconds_count{path=\"/api/v1\",method=\"GET\"} 807283.0\n\
acme_http_router_request_seconds_created{path=\"/api/v1\",method=\"GET\"} 1605281325.0\n\
# TYPE go_goroutines gauge\n\
go_goroutines 69\n\
# TYPE process_cpu_seconds counter\n\
# UNIT process_cpu_seconds seconds\n\
process_cpu_seconds_total 4.20072246e+06\n\
# TYPE foo histogram\n\
foo_bucket{le=\"0.0\"} 0\n\
foo_bucket{le=\"1e-05\"} 0 # {trace_id=\"KOO5S4vxi0o\"} 0.67\n\
foo_bucket{le=\"+Inf\"} 17 # {trace_id=\"oHg5SJYRHA0\"} 9.8 1520879607.789\n\
foo_count 17\n\
foo_sum 324789.3\n\
foo_created 1520430000.123\n\
# TYPE build info\n\
build_info{version=\"1.2\"} 1\n\
# TYPE state stateset\n\
state{state=\"a\"} 1\n\
state{state=\"b\"} 0\n\
# TYPE g gaugehistogram\n\
g_bucket{le=\"-1\"} 1\n\
g_bucket{le=\"+Inf\"} 2\n\
g_gcount 2\n\
g_gsum -3\n\
# TYPE u unknown\n\
u 1\n\
no_metadata_is_unknown{a=\"\"} -0.5\n\
# EOF\n";
    let parsed = parse(text, Format::OpenMetrics);
    assert_eq!(parsed.errors, []);
    let kinds: Vec<_> = parsed
        .families
        .iter()
        .map(|f| (f.name.to_string(), f.metric_type, f.samples.len()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "acme_http_router_request_seconds".into(),
                MetricType::Summary,
                3
            ),
            ("go_goroutines".into(), MetricType::Gauge, 1),
            ("process_cpu_seconds".into(), MetricType::Counter, 1),
            ("foo".into(), MetricType::Histogram, 6),
            ("build".into(), MetricType::Info, 1),
            ("state".into(), MetricType::StateSet, 2),
            ("g".into(), MetricType::GaugeHistogram, 4),
            ("u".into(), MetricType::Unknown, 1),
            ("no_metadata_is_unknown".into(), MetricType::Unknown, 1),
        ]
    );
    assert_eq!(parsed.families[0].unit.as_deref(), Some("seconds"));
    let bucket = &parsed.families[3].samples[1];
    assert_eq!(bucket.timestamp, None);
    let exemplar = bucket.exemplar.as_ref().unwrap();
    assert_eq!(exemplar.labels[0].value, "KOO5S4vxi0o");
    assert_eq!(exemplar.value, 0.67);
    assert_eq!(
        parsed.families[3].samples[2]
            .exemplar
            .as_ref()
            .unwrap()
            .timestamp,
        Some(1520879607.789)
    );
}

#[test]
fn eof_is_required_and_final() {
    assert_eq!(
        first_error("a 1\n"),
        Some("missing `# EOF` at the end at 2:1".into())
    );
    assert_eq!(first_error("a 1\n# EOF"), None);
    assert_eq!(
        first_error("a 1\n# EOF\n\n"),
        Some("unexpected text after `# EOF` at 3:1".into())
    );
    assert_eq!(
        first_error("# EOF\nb 1\n"),
        Some("unexpected text after `# EOF` at 2:1".into())
    );
    assert_eq!(
        first_error(""),
        Some("missing `# EOF` at the end at 1:1".into())
    );
}

/// (rule, input, first error) for inputs the specification rules invalid.
const INVALID: &[(&str, &str, &str)] = &[
    ("no blank lines", "a 1\n\n# EOF\n", "empty line: OpenMetrics allows none at 2:1"),
    ("LF line ends only", "a 1\r\n# EOF\n", "carriage return: OpenMetrics lines end with `\\n` alone at 1:4"),
    ("no free comments", "# hello\n# EOF\n", "expected `# HELP`, `# TYPE`, `# UNIT` or `# EOF`: OpenMetrics has no other comments at 1:1"),
    ("one space between tokens", "a  1\n# EOF\n", "expected exactly one space before the value at 1:3"),
    ("no trailing whitespace", "a 1 \n# EOF\n", "trailing whitespace at 1:4"),
    ("no space in label sets", "a{b=\"c\", d=\"e\"} 1\n# EOF\n", "expected a label name or `}`, found whitespace at 1:9"),
    ("no trailing comma", "a{b=\"c\",} 1\n# EOF\n", "expected a label name after `,`: OpenMetrics allows no trailing comma at 1:9"),
    ("untyped is not a type", "# TYPE a untyped\n# EOF\n", "unknown metric type `untyped`: expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown at 1:10"),
    ("TYPE once", "# TYPE a gauge\n# TYPE a gauge\n# EOF\n", "second TYPE line for `a` at 2:1"),
    ("HELP once", "# HELP a x\n# HELP a y\n# EOF\n", "second HELP line for `a` at 2:1"),
    ("UNIT once", "# UNIT a_s s\n# UNIT a_s s\n# EOF\n", "second UNIT line for `a_s` at 2:1"),
    ("metadata before samples", "# TYPE a gauge\na 1\n# HELP a x\n# EOF\n", "HELP for `a` comes after its samples; metadata must come first at 3:1"),
    ("families not interleaved", "a 1\nb 1\na{x=\"1\"} 1\n# EOF\n", "metric family `a` was already given at line 1; a family's lines must not be split at 3:1"),
    ("metadata not split", "# TYPE a gauge\nb 1\n# HELP a x\n# EOF\n", "metric family `a` was already given at line 1; a family's lines must not be split at 3:1"),
    ("unit is a name suffix", "# UNIT a_bytes seconds\n# EOF\n", "metric family `a_bytes` must end with the unit `_seconds` at 1:8"),
    ("no unit on info", "# TYPE a_x info\n# UNIT a_x x\n# EOF\n", "UNIT is not allowed for the info `a_x` at 2:1"),
    ("no unit on stateset", "# UNIT a_x x\n# TYPE a_x stateset\n# EOF\n", "UNIT is not allowed for the stateset `a_x` at 2:1"),
    ("counter samples end in _total", "# TYPE a counter\na 1\n# EOF\n", "a counter named `a` has samples `a_total`, `a_created`, not `a` at 2:1"),
    ("counter not negative", "# TYPE a counter\na_total -1\n# EOF\n", "a counter's total must not be negative or NaN, found -1 at 2:1"),
    ("counter not NaN", "# TYPE a counter\na_total NaN\n# EOF\n", "a counter's total must not be negative or NaN, found NaN at 2:1"),
    ("info samples end in _info", "# TYPE a info\na 1\n# EOF\n", "a info named `a` has samples `a_info`, not `a` at 2:1"),
    ("info value is 1", "# TYPE a info\na_info{x=\"y\"} 2\n# EOF\n", "an info sample's value must be 1, found 2 at 2:1"),
    ("stateset value 0 or 1", "# TYPE a stateset\na{a=\"x\"} 2\n# EOF\n", "a stateset sample's value must be 0 or 1, found 2 at 2:1"),
    ("stateset label", "# TYPE a stateset\na{b=\"x\"} 1\n# EOF\n", "a stateset sample needs a label named `a` for its state at 2:1"),
    ("bucket needs le", "# TYPE h histogram\nh_bucket 1\n# EOF\n", "`h_bucket` of histogram `h` needs a `le` label at 2:1"),
    ("buckets ascending", "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n# EOF\n", "bucket le=\"1\" follows le=\"2\": buckets must be in increasing order of `le` at 3:1"),
    ("buckets cumulative", "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n# EOF\n", "bucket le=\"+Inf\" counts 1 after 2: bucket counts are cumulative and must not decrease at 3:1"),
    ("+Inf bucket required", "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_count 2\n# EOF\n", "histogram `h` has no `le=\"+Inf\"` bucket at 2:1"),
    ("count equals +Inf bucket", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n# EOF\n", "`h_count` is 3 but the `+Inf` bucket counts 2; they must be equal at 3:1"),
    ("no sum with negative buckets", "# TYPE h histogram\nh_bucket{le=\"-1\"} 0\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\n# EOF\n", "histogram `h` has buckets below zero, so it must not have `_sum` at 4:1"),
    ("bucket counts not negative", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} -2\n# EOF\n", "a bucket count must not be negative or NaN, found -2 at 2:1"),
    ("gaugehistogram gcount", "# TYPE g gaugehistogram\ng_bucket{le=\"+Inf\"} 2\ng_gcount 1\n# EOF\n", "`g_gcount` is 1 but the `+Inf` bucket counts 2; they must be equal at 3:1"),
    ("summary quantile range", "# TYPE s summary\ns{quantile=\"1.5\"} 1\n# EOF\n", "a summary quantile must be between 0 and 1 at 2:1"),
    ("summary count not negative", "# TYPE s summary\ns_count -1\n# EOF\n", "a count must not be negative or NaN, found -1 at 2:1"),
    ("exemplar only on total or bucket", "# TYPE a gauge\na 1 # {x=\"y\"} 1\n# EOF\n", "an exemplar is allowed only on a counter's `_total` or a histogram's `_bucket` sample, not on `a` at 2:1"),
    ("exemplar labels at most 128 characters", "# TYPE a counter\na_total 1 # {x=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"} 1\n# EOF\n", "exemplar labels hold 129 characters; at most 128 are allowed at 2:13"),
    ("exemplar needs a value", "# TYPE a counter\na_total 1 # {x=\"y\"}\n# EOF\n", "expected the exemplar's value at 2:20"),
    ("timestamps are numbers", "a 1 NaN\n# EOF\n", "expected a timestamp or the end of the line, found a name at 1:5"),
    ("timestamps are finite", "a 1 +Inf\n# EOF\n", "invalid timestamp `+Inf`: expected seconds as a decimal number at 1:5"),
    ("no quoted names", "{\"a.b\"} 1\n# EOF\n", "expected a label name or `}`, found a quoted string at 1:2"),
    ("a metric's samples stand together", "# TYPE h histogram\nh_bucket{a=\"1\",le=\"+Inf\"} 1\nh_bucket{a=\"2\",le=\"+Inf\"} 1\nh_count{a=\"1\"} 1\n# EOF\n", "`h_count` belongs with earlier samples of the same labels in family `h`: a metric's samples must stand together at 4:1"),
    ("label set unique", "a{x=\"1\"} 1\na{x=\"1\"} 2\n# EOF\n", "`a` with these labels appears twice in family `a` at 2:1"),
    ("names must not clash", "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1\n# TYPE a_count gauge\na_count 1\n# EOF\n", "metric family `a_count` clashes with histogram `a` of line 1: both could have samples named `a_count` at 3:1"),
    ("bucket counts are whole numbers", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1.5\n# EOF\n", "a bucket count must be a whole number, found 1.5 at 2:1"),
    ("quantile values not negative", "# TYPE s summary\ns{quantile=\"0.5\"} -1\n# EOF\n", "a quantile's value must not be negative, found -1 at 2:1"),
    ("gsum not NaN", "# TYPE g gaugehistogram\ng_bucket{le=\"+Inf\"} 1\ng_gsum NaN\ng_gcount 1\n# EOF\n", "a gauge histogram's sum must not be NaN at 3:1"),
    ("sum needs count", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 2\n# EOF\n", "`h_sum` needs `h_count` beside it at 3:1"),
    ("count needs sum", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n# EOF\n", "`h_count` needs `h_sum` beside it at 3:1"),
    ("negative gsum needs a negative bucket", "# TYPE g gaugehistogram\ng_bucket{le=\"1\"} 0\ng_bucket{le=\"+Inf\"} 1\ng_gcount 1\ng_gsum -2\n# EOF\n", "`g_gsum` is negative, which needs a bucket below zero at 5:1"),
    ("timestamps on all samples of a metric or none", "# TYPE a counter\na_total 1\na_created 2 3\n# EOF\n", "`a_created` mixes samples with and without a timestamp in one metric of family `a` at 3:1"),
    ("timestamps do not go backwards", "a 1 2\na 1 1\n# EOF\n", "`a`'s timestamp goes backwards within one metric of family `a` at 2:1"),
    ("HELP needs a space after the name", "# HELP a\n# EOF\n", "expected a space after the metric name in `# HELP` at 1:9"),
    ("+Inf is spelt +Inf", "# TYPE a histogram\na_bucket{le=\"+INF\"} 0\n# EOF\n", "le=\"+INF\": an infinite bucket bound is written `+Inf` at 2:1"),
    ("a point without a timestamp is given once", "a{b=\"1\"} 1\na{b=\"1\"} 2\n# EOF\n", "`a` with these labels appears twice in family `a` at 2:1"),
    ("hex is not a number", "a 0x1\n# EOF\n", "expected whitespace after the value, found a name at 1:4"),
    ("TYPE needs a known word", "# TYPE a Counter\n# EOF\n", "unknown metric type `Counter`: expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown at 1:10"),
];

#[test]
fn invalid_inputs_each_give_their_error() {
    let mut wrong = Vec::new();
    for (rule, input, expected) in INVALID {
        let got = first_error(input);
        if got.as_deref() != Some(*expected) {
            wrong.push(format!(
                "{rule}:\n  expected {expected}\n  got      {got:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases wrong:\n{}",
        wrong.len(),
        INVALID.len(),
        wrong.join("\n")
    );
}

/// Inputs the specification allows, some of them at its edges.
const VALID: &[(&str, &str)] = &[
    ("empty exposition", "# EOF\n"),
    // As the OpenMetrics conformance cases `escaping`, `label_escaping` and `help_escaping`: only
    // `\\`, `\"` and `\n` are translated, any other `\` is kept as written.
    ("unknown escapes are kept", "# HELP a he\\tl\\fp\n# TYPE a counter\na_total{b=\"\\t\\z\"} 1\n# EOF\n"),
    // As `duplicate_timestamps_1`: points of one series may share a timestamp.
    ("repeated points with timestamps", "a{b=\"1\"} 1 0\na{b=\"1\"} 2 0\n# EOF\n"),
    ("EOF without newline", "# EOF"),
    ("empty label set", "a{} 1\n# EOF\n"),
    ("empty help", "# HELP a \n# EOF\n"),
    ("help escapes", "# HELP a \\\\ \\\" \\n\n# EOF\n"),
    ("case-insensitive specials", "a nan\nb +inf\nc -INFINITY\n# EOF\n"),
    ("float timestamp", "a 1 1520879607.789\n# EOF\n"),
    ("negative timestamp", "a 1 -1\n# EOF\n"),
    ("exponent values", "a 1E+3\nb .5e-2\n# EOF\n"),
    ("counter with created and exemplar", "# TYPE c counter\nc_total 3 # {} 1\nc_created 1.5e9\n# EOF\n"),
    ("gauge may be negative", "# TYPE g gauge\ng -5\n# EOF\n"),
    ("quantile NaN value", "# TYPE s summary\ns{quantile=\"0.9\"} NaN\ns_count 0\ns_sum 0\n# EOF\n"),
    ("histogram per label set", "# TYPE h histogram\nh_bucket{a=\"1\",le=\"+Inf\"} 1\nh_count{a=\"1\"} 1\nh_sum{a=\"1\"} 0.5\nh_bucket{a=\"2\",le=\"1\"} 0\nh_bucket{a=\"2\",le=\"+Inf\"} 1\n# EOF\n"),
    ("same labels at other times", "a 1 1\na 2 2\n# EOF\n"),
    ("unicode label values", "a{b=\"日本\"} 1\n# EOF\n"),
    ("metadata only", "# TYPE a gauge\n# HELP a x\n# EOF\n"),
];

#[test]
fn valid_inputs_give_no_error() {
    let mut wrong = Vec::new();
    for (rule, input) in VALID {
        let parsed = parse(input, Format::OpenMetrics);
        if !parsed.errors.is_empty() {
            wrong.push(format!(
                "{rule}: {:?}",
                parsed
                    .errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} valid cases rejected:\n{}",
        wrong.len(),
        VALID.len(),
        wrong.join("\n")
    );
}
