//! A slow, flaky or odd API server, through the fake transport: retries like
//! client-go's within the request's deadline, lists read page by page and
//! narrowed by labels, and honest errors for HTML pages and mistyped fields.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use flux_shard_metrics::problem::ProblemKind;
use flux_shard_metrics::transport::{FetchError, Response, TransportError, MAX_ATTEMPTS};
use serde_json::json;
use support::*;

const SET: &str = "source-controller-shardset";
const SET_PATH: &str = "/apis/templates.weave.works/v1alpha1/namespaces/flux-system/fluxshardsets/source-controller-shardset";

fn cluster() -> Cluster {
    let mut c = Cluster::new(&["a"]);
    c.source(vec![FakePod::running(
        "s",
        scrape(&[("gitrepository", 10, 0)], true, NOW - 3600.0),
    )])
    .shard(
        "a",
        vec![FakePod::running(
            "p",
            scrape(&[("gitrepository", 5, 0)], true, NOW - 3600.0),
        )],
    );
    c
}

fn status(code: u16, retry_after: Option<u32>) -> Result<Response, TransportError> {
    let mut r = Response::json(code, json!({"kind": "Status", "message": "the server is currently unable to handle the request", "code": code}).to_string());
    r.retry_after = retry_after;
    Ok(r)
}

fn calls_to(api: &FakeApi, path: &str) -> usize {
    api.paths().iter().filter(|p| p.as_str() == path).count()
}

#[test]
fn a_429_with_retry_after_is_tried_again_after_the_wait() {
    let api = cluster().finish();
    api.first.borrow_mut().insert(
        SET_PATH.into(),
        vec![status(429, Some(1)), status(503, Some(2))],
    );
    let m = api.read(SET).unwrap();
    assert_eq!(m.deployments.len(), 2);
    assert_eq!(calls_to(&api, SET_PATH), 3);
    assert_eq!(*api.sleeps.borrow(), [1000, 2000]);
}

#[test]
fn no_retry_past_the_deadline_nor_without_retry_after() {
    let mut api = cluster().finish();
    api.timeout = Some(5000);
    api.first
        .borrow_mut()
        .insert(SET_PATH.into(), vec![status(503, Some(30))]);
    let e = api.read(SET).unwrap_err();
    assert!(matches!(e, FetchError::Http { status: 503, .. }), "{e}");
    assert!(api.sleeps.borrow().is_empty());
    let api = cluster().finish();
    api.first
        .borrow_mut()
        .insert(SET_PATH.into(), vec![status(500, None)]);
    assert!(matches!(
        api.read(SET).unwrap_err(),
        FetchError::Http { status: 500, .. }
    ));
    assert_eq!(calls_to(&api, SET_PATH), 1);
}

#[test]
fn resets_are_tried_again_with_backoff_a_bounded_number_of_times() {
    let api = cluster().finish();
    let reset = || {
        Err(TransportError::Reset(
            "fetch failed (read ECONNRESET)".into(),
        ))
    };
    api.first.borrow_mut().insert(
        SET_PATH.into(),
        vec![
            reset(),
            Err(TransportError::Interrupted(
                "terminated (other side closed)".into(),
            )),
        ],
    );
    assert!(api.read(SET).is_ok());
    assert_eq!(*api.sleeps.borrow(), [200, 400]);
    let api = cluster().finish();
    api.first
        .borrow_mut()
        .insert(SET_PATH.into(), (0..10).map(|_| reset()).collect());
    let e = api.read(SET).unwrap_err();
    assert_eq!(calls_to(&api, SET_PATH), MAX_ATTEMPTS as usize);
    assert_eq!(
        e.to_string(),
        format!("cannot reach http://127.0.0.1:8001{SET_PATH}: fetch failed (read ECONNRESET)")
    );
    // A body cut short after the answer began is said as such, not as "cannot reach".
    let api = cluster().finish();
    api.first.borrow_mut().insert(
        SET_PATH.into(),
        (0..10)
            .map(|_| {
                Err(TransportError::Interrupted(
                    "terminated (other side closed)".into(),
                ))
            })
            .collect(),
    );
    let e = api.read(SET).unwrap_err();
    assert_eq!(
        flux_shard_metrics::problem::Problem::from(&e).kind,
        ProblemKind::Interrupted
    );
    assert_eq!(e.to_string(), format!("the connection to http://127.0.0.1:8001{SET_PATH} broke while the response was being read: terminated (other side closed)"));
}

#[test]
fn an_html_page_is_called_an_html_page() {
    let mut api = cluster().finish();
    api.routes.insert(
        SET_PATH.into(),
        Ok(Response {
            status: 200,
            content_type: "text/html; charset=utf-8".into(),
            retry_after: None,
            body: "<!DOCTYPE html>\n<html><head><title>Sign in</title>".into(),
        }),
    );
    let e = api.read(SET).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("unexpected response from http://127.0.0.1:8001{SET_PATH}: it is an HTML page, not JSON (it starts with \"<!DOCTYPE html>\\n<html><head><title>Sign \"): is the server setting pointing at the Kubernetes API?")
    );
}

#[test]
fn fields_of_the_wrong_type_are_named_and_the_rest_goes_on() {
    let mut c = cluster();
    c.set["spec"]["shards"] = json!("a");
    c.deployments[1]["spec"]["replicas"] = json!("2");
    c.pods[0]["status"]["containerStatuses"][0]["restartCount"] = json!(-1);
    let api = c.finish();
    let m = api.read(SET).unwrap();
    assert_eq!(m.warnings[0], "FluxShardSet flux-system/source-controller-shardset: spec.shards is \"a\", expected a list; read as its default");
    // Without spec.shards, the inventory still names the shard's Deployment.
    let a = &m.deployments[1];
    assert_eq!(a.name, "source-controller-a");
    let bad: Vec<&str> = a
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::BadField)
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(bad, ["Deployment flux-system/source-controller-a: spec.replicas is \"2\", expected a whole number; read as its default"]);
    let source = &m.deployments[0];
    assert_eq!(source.problems[0].message, format!("pod {}: status.containerStatuses[0].restartCount is -1, expected a whole number; read as its default", source.pods[0].name));
    assert_eq!(source.counts.reconciliations, 10.0);
}

#[test]
fn lists_are_paged_and_pods_narrowed_by_the_labels_every_row_selects() {
    let mut c = cluster();
    let pods = c.pods.clone();
    let api_pods = "/api/v1/namespaces/flux-system/pods";
    // Flux's Deployments select their pods by `app` only (tests/fixtures/real-cluster/deployment-source.json).
    let selector = "labelSelector=app%3Dsource-controller&limit=500";
    let mut api = c.finish();
    api.routes.insert(
        format!("{api_pods}?{selector}"),
        Ok(Response::json(
            200,
            json!({"kind": "PodList", "metadata": {"continue": "next"}, "items": [pods[0]]})
                .to_string(),
        )),
    );
    api.routes.insert(
        format!("{api_pods}?{selector}&continue=next"),
        Ok(Response::json(
            200,
            json!({"kind": "PodList", "metadata": {}, "items": [pods[1]]}).to_string(),
        )),
    );
    let m = api.read(SET).unwrap();
    assert_eq!(
        m.deployments
            .iter()
            .map(|d| d.pods.len())
            .collect::<Vec<_>>(),
        [1, 1]
    );
    let paths = api.paths();
    assert!(
        paths.contains(&"/apis/apps/v1/namespaces/flux-system/deployments?limit=500".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&format!(
            "/apis/apps/v1/namespaces/flux-system/replicasets?{selector}"
        )),
        "{paths:?}"
    );
    assert!(
        paths.contains(&format!("{api_pods}?{selector}&continue=next")),
        "{paths:?}"
    );
}
