//! A read that stays open: lists once, then only watches (a short one per resource), folding the
//! events in: a relabel to another shard, an object no longer Ready, one suspended, one deleted —
//! each shown at the next read without a list; a `410 Gone` lists that resource again.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use flux_shard_metrics::options::Target;
use flux_shard_metrics::pipeline::Session;
use flux_shard_metrics::report::ShardMetrics;
use futures::executor::block_on;
use serde_json::json;
use support::*;

const SET: &str = "source-controller-shardset";
const REPOS: &str = "/apis/source.toolkit.fluxcd.io/v1/gitrepositories";

fn cluster() -> Cluster {
    let mut c = Cluster::new(&["a", "b"]);
    let working = |n| {
        vec![FakePod::running(
            "p",
            scrape(&[("gitrepository", n, 0)], true, NOW - 3600.0),
        )]
    };
    c.source(working(10))
        .shard("a", working(5))
        .shard("b", working(7));
    c.objects(vec![
        object("GitRepository", "apps/one", Some("a")),
        object("GitRepository", "apps/two", Some("a")),
        object("GitRepository", "apps/three", None),
    ]);
    c
}

fn watch_path(path: &str, rv: &str) -> String {
    format!("{path}?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion={rv}")
}

fn event(kind: &str, name: &str, rv: u32, key: Option<&str>, ready: bool, suspend: bool) -> String {
    let mut labels = json!({});
    if let Some(k) = key {
        labels[KEY] = json!(k);
    }
    json!({"type": kind, "object": {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
        "metadata": {"namespace": "apps", "name": name, "resourceVersion": rv.to_string(), "labels": labels},
        "spec": {"suspend": suspend},
        "status": {"conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}}})
    .to_string()
}

fn objects(m: &ShardMetrics) -> Vec<(String, u32, u32, u32)> {
    m.deployments
        .iter()
        .map(|d| {
            let o = d.objects.as_ref().unwrap();
            (d.name.clone(), o.assigned, o.not_ready, o.suspended)
        })
        .collect()
}

fn session() -> Session {
    Session::new(NS.into(), Target::ShardSet(SET.into()), 8, None)
}

#[test]
fn the_first_read_lists_the_next_only_watch() {
    let api = cluster().finish();
    let s = session();
    let first = block_on(s.read(&api, None::<&FakeApi>, READ_AT)).unwrap();
    let listed = api.paths().len();
    assert!(api
        .paths()
        .iter()
        .any(|p| p.starts_with(&format!("{REPOS}?limit="))));
    let second = block_on(s.read(&api, None::<&FakeApi>, READ_AT + 10_000.0)).unwrap();
    let paths: Vec<String> = api.paths()[listed..].to_vec();
    // No list of the objects, the Deployments, ReplicaSets, Pods or Services: a watch each.
    assert!(!paths.iter().any(|p| p.contains("limit=")), "{paths:#?}");
    for path in [
        REPOS.to_string(),
        format!("/apis/apps/v1/namespaces/{NS}/deployments"),
        format!("/api/v1/namespaces/{NS}/services"),
    ] {
        assert!(
            paths.contains(&watch_path(&path, RESOURCE_VERSION)),
            "{path} watched: {paths:#?}"
        );
    }
    // The same read, with rates: the session keeps the previous one.
    assert_eq!(objects(&first), objects(&second));
    assert!(second.deployments.iter().all(|d| d.rate.is_some()));
    let stats = s.stats();
    assert_eq!((stats.relists, stats.events), (0, 0));
    // Deployments, ReplicaSets, Pods, Services, GitRepositories: listed once, watched once each.
    assert_eq!((stats.lists, stats.watches), (5, 5), "{stats:?}");
}

#[test]
fn each_change_is_shown_at_the_next_read_without_a_list() {
    let mut c = cluster();
    // Between the reads: one relabelled to shard b, one no longer Ready and suspended, one deleted, a bookmark.
    c.api.routes.insert(
        watch_path(REPOS, RESOURCE_VERSION),
        Ok(flux_shard_metrics::transport::Response::json(
            200,
            [
                event("MODIFIED", "one", 1001, Some("b"), true, false),
                event("MODIFIED", "two", 1002, Some("a"), false, true),
                event("DELETED", "three", 1003, None, true, false),
                json!({"type": "BOOKMARK", "object": {"kind": "GitRepository", "metadata": {"resourceVersion": "1010"}}}).to_string(),
            ]
            .join("\n")
                + "\n",
        )),
    );
    let api = c.finish();
    let s = session();
    let first = block_on(s.read(&api, None::<&FakeApi>, READ_AT)).unwrap();
    assert_eq!(
        objects(&first),
        [
            ("source-controller".to_string(), 1, 0, 0),
            ("source-controller-a".to_string(), 2, 0, 0),
            ("source-controller-b".to_string(), 0, 0, 0),
        ]
    );
    let listed = api.paths().len();
    let second = block_on(s.read(&api, None::<&FakeApi>, READ_AT + 10_000.0)).unwrap();
    assert_eq!(
        objects(&second),
        [
            ("source-controller".to_string(), 0, 0, 0),
            ("source-controller-a".to_string(), 1, 1, 1),
            ("source-controller-b".to_string(), 1, 0, 0),
        ]
    );
    assert!(!api.paths()[listed..]
        .iter()
        .any(|p| p.starts_with(&format!("{REPOS}?limit="))));
    // The next watch starts from the bookmark.
    block_on(s.read(&api, None::<&FakeApi>, READ_AT + 20_000.0)).unwrap();
    assert!(
        api.paths().contains(&watch_path(REPOS, "1010")),
        "{:#?}",
        api.paths()
    );
    assert_eq!(s.stats().events, 4);
}

#[test]
fn a_410_lists_that_resource_again() {
    let mut c = cluster();
    c.api.routes.insert(
        watch_path(REPOS, RESOURCE_VERSION),
        Ok(flux_shard_metrics::transport::Response::json(
            200,
            json!({"type": "ERROR", "object": {"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": "too old resource version: 1000 (1500)", "reason": "Expired", "code": 410}}).to_string() + "\n",
        )),
    );
    let api = c.finish();
    let s = session();
    block_on(s.read(&api, None::<&FakeApi>, READ_AT)).unwrap();
    let listed = api.paths().len();
    let m = block_on(s.read(&api, None::<&FakeApi>, READ_AT + 10_000.0)).unwrap();
    let after = &api.paths()[listed..];
    assert_eq!(
        after
            .iter()
            .filter(|p| p.starts_with(&format!("{REPOS}?limit=")))
            .count(),
        1,
        "{after:#?}"
    );
    assert_eq!(s.stats().relists, 1);
    assert_eq!(objects(&m)[1].1, 2);
}

/// A point per read after the first, in each row: the trend a view draws from its reads.
#[test]
fn each_read_after_the_first_adds_a_point_to_each_row_trend() {
    let api = cluster().finish();
    let s = session();
    let reads: Vec<ShardMetrics> = (0..3)
        .map(|i| {
            block_on(s.read(&api, None::<&FakeApi>, READ_AT + f64::from(i) * 10_000.0)).unwrap()
        })
        .collect();
    assert!(reads[0].deployments.iter().all(|d| d.trend.is_none()));
    for d in &reads[2].deployments {
        let t = d.trend.as_ref().expect("a trend after three reads");
        assert_eq!(t.source, flux_shard_metrics::report::TrendSource::Reads);
        let at: Vec<f64> = t.points.iter().map(|p| p.at).collect();
        assert_eq!(at, [READ_AT + 10_000.0, READ_AT + 20_000.0], "{}", d.name);
    }
}
