//! The realistic fixtures parse without error, with the families a Flux controller has.

use flux_shard_metrics::exposition::{parse, Format, MetricType};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn source_controller_fixture() {
    let text = fixture("source-controller.prom");
    let parsed = parse(&text, Format::Prometheus);
    assert_eq!(parsed.errors, []);
    let reconciles = parsed.family("controller_runtime_reconcile_total").unwrap();
    assert_eq!(reconciles.metric_type, MetricType::Counter);
    assert_eq!(reconciles.samples.len(), 20);
    let total: f64 = reconciles.samples.iter().map(|s| s.value).sum();
    assert_eq!(
        total,
        120.0 + 3.0 + 4211.0 + 3.0 + 12.0 + 1850.0 + 1.0 + 960.0 + 310.0 + 2.0
    );
    let gc = parsed.family("go_gc_duration_seconds").unwrap();
    assert_eq!((gc.metric_type, gc.samples.len()), (MetricType::Summary, 7));
    let hist = parsed.family("gotk_reconcile_duration_seconds").unwrap();
    assert_eq!(
        (hist.metric_type, hist.samples.len()),
        (MetricType::Histogram, 5 * 13)
    );
    for prefix in [
        "go_",
        "process_",
        "controller_runtime_",
        "workqueue_",
        "rest_client_",
        "gotk_",
        "leader_election_",
    ] {
        assert!(
            parsed.families.iter().any(|f| f.name.starts_with(prefix)),
            "no {prefix} family"
        );
    }
}

#[test]
fn busy_kustomize_controller_fixture() {
    let text = fixture("kustomize-controller-busy.prom");
    assert!(text.len() > 5_000_000);
    let parsed = parse(&text, Format::Prometheus);
    assert_eq!(parsed.errors, []);
    let hist = parsed.family("gotk_reconcile_duration_seconds").unwrap();
    assert_eq!(hist.samples.len(), 3500 * 13);
    let lines = text.lines().filter(|l| !l.starts_with('#')).count();
    let samples: usize = parsed.families.iter().map(|f| f.samples.len()).sum();
    assert_eq!(samples, lines);
}
