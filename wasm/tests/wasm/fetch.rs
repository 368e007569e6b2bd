// Shared by tests/node.rs and tests/browser.rs: the fetch transport against the
// simulated cluster, whose URL scripts/test.sh passes as FLUX_SIM_URL at build time.
use flux_shard_metrics::options::ConnectionOptions;
use flux_shard_metrics::pipeline::{get_shard_metrics, list_shard_sets, Query};
use flux_shard_metrics::problem::ProblemKind;
use flux_shard_metrics_wasm::fetch::FetchTransport;
use wasm_bindgen_test::wasm_bindgen_test;

fn transport(edit: impl FnOnce(&mut ConnectionOptions)) -> FetchTransport {
    let Some(server) = option_env!("FLUX_SIM_URL") else {
        panic!("build with FLUX_SIM_URL set to a running simulated cluster (scripts/test.sh does)");
    };
    let mut options = ConnectionOptions {
        server: server.to_string(),
        ..ConnectionOptions::default()
    };
    edit(&mut options);
    FetchTransport::new(&options)
}

fn query<'q>(name: &'q str, concurrency: usize) -> Query<'q> {
    Query {
        concurrency,
        ..Query::new("flux-system", name, js_sys::Date::now())
    }
}

#[wasm_bindgen_test]
async fn shard_metrics_over_fetch() {
    let t = transport(|_| {});
    let m = get_shard_metrics(&t, &query("source-controller-shardset", 4))
        .await
        .unwrap();
    let rows: Vec<_> = m
        .deployments
        .iter()
        .map(|d| (d.name.as_str(), d.counts.reconciliations, d.counts.errors))
        .collect();
    assert_eq!(
        rows,
        [
            ("source-controller", 500.0, 1.0),
            ("source-controller-shard1", 20.0, 0.0),
            ("source-controller-shard2", 100.0, 0.0),
            ("source-controller-shard3", 0.0, 0.0)
        ]
    );
    assert_eq!(m.api_calls, 16); // /apis included: a session reads discovery once
    let sets = list_shard_sets(&t, None).await.unwrap();
    assert_eq!(sets.len(), 4);
}

#[wasm_bindgen_test]
async fn a_slow_pod_is_aborted_at_the_timeout() {
    let t = transport(|o| o.timeout_ms = 400);
    let m = get_shard_metrics(&t, &query("kustomize-controller-shardset", 8))
        .await
        .unwrap();
    let shard4 = m
        .deployments
        .iter()
        .find(|d| d.shard.as_deref() == Some("shard4"))
        .unwrap();
    let error = shard4.error.as_deref().unwrap();
    assert!(error.contains("no answer within 400 ms from "), "{error}");
    assert_eq!(shard4.problems[0].kind, ProblemKind::Timeout);
    assert_eq!(m.deployments[0].counts.reconciliations, 1203.0);
}

#[wasm_bindgen_test]
async fn bodies_over_the_cap_are_not_read() {
    // The lists of team-b are small; its controller's /metrics is not.
    let t = transport(|o| o.max_body_bytes = 20_000);
    let query = Query::new(
        "team-b",
        "notification-controller-shardset",
        js_sys::Date::now(),
    );
    let m = get_shard_metrics(&t, &query).await.unwrap();
    let error = m.deployments[0].error.as_deref().unwrap();
    assert!(
        error.ends_with("/proxy/metrics is larger than 20000 bytes: reading stopped there"),
        "{error}"
    );
    assert_eq!(m.deployments[0].problems[0].kind, ProblemKind::TooLarge);
}

#[wasm_bindgen_test]
async fn unreachable_server_is_one_clear_error() {
    let t = transport(|o| o.server = "http://127.0.0.1:9".into());
    let e = get_shard_metrics(&t, &query("x", 4))
        .await
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("cannot reach http://127.0.0.1:9/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets/x: "), "{e}");
}
