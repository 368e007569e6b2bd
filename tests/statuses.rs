//! Each status of a row, produced from the shapes flux-shard-controller and
//! Flux really give (../shared/FLUX-FACTS.md), through the fake API server.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use flux_shard_metrics::pipeline::{get_shard_metrics, Query};
use flux_shard_metrics::problem::ProblemKind;
use flux_shard_metrics::report::PreviousRead;
use flux_shard_metrics::report::Status;
use flux_shard_metrics::report::{DeploymentMetrics, ShardMetrics};
use flux_shard_metrics::transport::{Accept, Response};
use futures::executor::block_on;
use serde_json::json;
use support::*;

const SET: &str = "source-controller-shardset";

fn read(c: &mut Cluster) -> ShardMetrics {
    c.finish().read(SET).unwrap()
}

fn row<'m>(m: &'m ShardMetrics, shard: &str) -> &'m DeploymentMetrics {
    m.deployments
        .iter()
        .find(|d| d.shard.as_deref() == Some(shard) || (shard == "source" && d.shard.is_none()))
        .unwrap()
}

fn working(kind: &str, n: u32) -> Vec<FakePod> {
    vec![FakePod::running(
        "p",
        scrape(&[(kind, n, 0)], true, NOW - 3600.0),
    )]
}

fn base(shards: &[&str]) -> Cluster {
    let mut c = Cluster::new(shards);
    c.source(working("gitrepository", 50));
    c
}

#[test]
fn ok_when_working() {
    let mut c = base(&["a"]);
    c.shard("a", working("gitrepository", 12))
        .objects(vec![object("GitRepository", "apps/x", Some("a"))]);
    let m = read(&mut c);
    let a = row(&m, "a");
    assert_eq!(
        (a.status, a.status_reason.as_str(), a.flags.clone()),
        (
            Status::Ok,
            "reconciling: 12 reconciliations, 0 errors",
            vec![]
        )
    );
}

#[test]
fn missing_quotes_the_shard_sets_own_ready_message() {
    let mut c = base(&["a", "b"]);
    c.inventory(&[&format!("{NS}_source-controller-a_apps_Deployment")]);
    c.set["status"]["conditions"] = json!([{"type": "Ready", "status": "False", "reason": "ReconciliationFailed",
        "message": "failed to create Deployment: deployments.apps \"source-controller-b\" already exists"}]);
    // Someone else's Deployment of that name exists, so the controller cannot create its own.
    c.shard("a", working("gitrepository", 3))
        .shard("b", working("gitrepository", 4));
    let m = read(&mut c);
    let b = row(&m, "b");
    assert_eq!(b.status, Status::Missing);
    assert_eq!(
        b.status_reason,
        "in spec.shards but missing from the shard set's inventory; the FluxShardSet is not Ready: failed to create Deployment: deployments.apps \"source-controller-b\" already exists"
    );
    assert_eq!(
        m.shard_set
            .as_ref()
            .unwrap()
            .ready_condition
            .as_ref()
            .unwrap()
            .status,
        "False"
    );
    assert_eq!(row(&m, "a").status, Status::Ok);
}

#[test]
fn pending_while_the_shard_set_controller_catches_up() {
    let mut c = base(&["a", "new"]);
    c.inventory(&[&format!("{NS}_source-controller-a_apps_Deployment")]);
    c.set["metadata"]["generation"] = json!(2);
    c.shard("a", working("gitrepository", 3));
    let m = read(&mut c);
    let new = row(&m, "new");
    assert_eq!(new.status, Status::Pending);
    assert_eq!(
        new.status_reason,
        "the shard set controller has not acted on the latest spec yet (generation 2, observed 1)"
    );
    assert!(m.shard_set.as_ref().unwrap().is_behind());
}

#[test]
fn pending_without_a_ready_replica_or_right_after_start() {
    let mut c = base(&["a", "b"]);
    c.shard("a", vec![FakePod::phase("p", "Pending")])
        .shard(
            "b",
            vec![
                FakePod::running("p", scrape(&[("gitrepository", 0, 0)], true, NOW - 30.0))
                    .started(NOW - 31.0),
            ],
        )
        .objects(vec![
            object("GitRepository", "apps/x", Some("b")),
            object("GitRepository", "apps/y", Some("b")),
        ]);
    let m = read(&mut c);
    let a = row(&m, "a");
    assert_eq!(
        (a.status, a.status_reason.as_str()),
        (
            Status::Pending,
            "no ready replica yet (0/1): pod source-controller-a-7d9c5b-p is Pending"
        )
    );
    let b = row(&m, "b");
    assert_eq!(
        (b.status, b.status_reason.as_str()),
        (
            Status::Pending,
            "started 30 s ago; 2 objects carry sharding.fluxcd.io/key=b, none reconciled yet"
        )
    );
}

#[test]
fn misconfigured_shard_and_source() {
    let mut c = Cluster::new(&["a", "b", "c"]);
    // The source does not exclude keyed objects (FLUX-FACTS: users add `!sharding.fluxcd.io/key` themselves).
    c.deployment("source-controller", None, working("gitrepository", 50))
        .deployment(
            "source-controller-a",
            Some("sharding.fluxcd.io/key in (b)"),
            working("gitrepository", 5),
        )
        .deployment(
            "source-controller-b",
            Some("sharding.fluxcd.io/key notin (a)"),
            working("gitrepository", 5),
        )
        .deployment(
            "source-controller-c",
            Some("sharding.fluxcd.io/key=c,app=x"),
            working("gitrepository", 5),
        )
        .objects(vec![object("GitRepository", "apps/x", Some("a"))]);
    let m = read(&mut c);
    let source = row(&m, "source");
    assert_eq!(source.status, Status::Misconfigured);
    assert_eq!(source.status_reason, "the source's manager watches no --watch-label-selector, which does not exclude keyed objects (!sharding.fluxcd.io/key): it also reconciles the objects of a, b, c");
    let a = row(&m, "a");
    assert_eq!((a.status, a.status_reason.as_str()), (Status::Misconfigured, "its manager watches --watch-label-selector=sharding.fluxcd.io/key in (b), which does not select its own objects (sharding.fluxcd.io/key=a): nothing reconciles them"));
    assert_eq!(
        a.watch_selector.as_deref(),
        Some("sharding.fluxcd.io/key in (b)")
    );
    let b = row(&m, "b");
    assert_eq!((b.status, b.status_reason.as_str()), (Status::Misconfigured, "its manager watches --watch-label-selector=sharding.fluxcd.io/key notin (a), which also selects objects without sharding.fluxcd.io/key (the source's): both reconcile them"));
    // An equivalent selector with other requirements is fine.
    assert_eq!(row(&m, "c").status, Status::Ok);
}

#[test]
fn unreachable_only_for_running_pods_never_for_finished_or_standby_ones() {
    let mut c = base(&["a", "b"]);
    c.shard(
        "a",
        vec![FakePod::answering(
            "p",
            Ok(Response::json(
                403,
                "{\"kind\":\"Status\",\"message\":\"forbidden\",\"code\":403}",
            )),
        )],
    )
    .shard(
        "b",
        vec![
            FakePod::running(
                "leader",
                scrape(&[("gitrepository", 9, 0)], true, NOW - 600.0),
            ),
            FakePod::running("standby", standby(NOW - 600.0)),
            FakePod::evicted("old"),
            {
                let mut done = FakePod::evicted("done");
                done.phase = "Succeeded";
                done.reason = None;
                done
            },
        ],
    );
    let m = read(&mut c);
    let a = row(&m, "a");
    assert_eq!(a.status, Status::Unreachable);
    assert_eq!(a.problems[0].kind, ProblemKind::Forbidden);
    // Its counts are not known, so neither stuck nor idle can be said of it.
    assert_eq!(a.flags, [Status::Unreachable]);
    let b = row(&m, "b");
    assert_eq!(b.status, Status::Ok, "{}", b.status_reason);
    assert_eq!(b.pods.iter().filter(|p| p.finished).count(), 2);
    assert_eq!(b.pods.iter().filter(|p| p.leader == Some(false)).count(), 1);
    assert!(b.problems.is_empty());
}

#[test]
fn stuck_when_objects_wait_and_nothing_reconciles() {
    let mut c = base(&["a", "b", "c"]);
    c.shard(
        "a",
        vec![
            FakePod::running("p", scrape(&[("gitrepository", 0, 0)], true, NOW - 900.0))
                .started(NOW - 900.0),
        ],
    )
    // Nobody holds the lease: every replica is a standby.
    .shard(
        "b",
        vec![
            FakePod::running("p", standby(NOW - 600.0)).started(NOW - 600.0),
            FakePod::running("q", standby(NOW - 600.0)).started(NOW - 600.0),
        ],
    )
    .shard("c", vec![])
    .objects(vec![
        object("GitRepository", "apps/x", Some("a")),
        object("GitRepository", "apps/y", Some("b")),
        object("GitRepository", "apps/z", Some("c")),
    ]);
    let m = read(&mut c);
    let a = row(&m, "a");
    assert_eq!((a.status, a.status_reason.as_str()), (Status::Stuck, "1 object carries sharding.fluxcd.io/key=a, but none was reconciled in the 15 min since its pods started"));
    let b = row(&m, "b");
    assert_eq!((b.status, b.status_reason.as_str()), (Status::Stuck, "no pod holds the leader lease; 1 object carries sharding.fluxcd.io/key=b, but none was reconciled in the 10 min since its pods started"));
    let c_row = row(&m, "c");
    assert_eq!((c_row.status, c_row.status_reason.as_str()), (Status::Stuck, "scaled to zero replicas, but 1 object carries sharding.fluxcd.io/key=c: nothing reconciles them"));
}

#[test]
fn stuck_when_the_work_queue_grows_with_every_worker_busy() {
    let busy = |depth: u32| {
        format!("{}workqueue_depth{{name=\"gitrepository\"}} {depth}\ncontroller_runtime_active_workers{{controller=\"gitrepository\"}} 4\ncontroller_runtime_max_concurrent_reconciles{{controller=\"gitrepository\"}} 4\n", scrape(&[("gitrepository", 500, 0)], true, NOW - 3600.0))
    };
    let mut first = base(&["a"]);
    first.shard("a", vec![FakePod::running("p", busy(10))]);
    let before = read(&mut first);
    assert_eq!(row(&before, "a").status, Status::Ok);
    assert_eq!(row(&before, "a").counts.workqueue_depth, Some(10.0));
    let mut second = base(&["a"]);
    second.shard("a", vec![FakePod::running("p", busy(250))]);
    let previous = PreviousRead::from(&before);
    let m = block_on(get_shard_metrics(
        &second.finish(),
        &Query {
            previous: Some(&previous),
            ..Query::new(NS, SET, READ_AT + 10_000.0)
        },
    ))
    .unwrap();
    let a = row(&m, "a");
    assert_eq!(
        (a.status, a.status_reason.as_str()),
        (
            Status::Stuck,
            "its work queue grew from 10 to 250 while all 4 workers were busy"
        )
    );
}

#[test]
fn erroring_and_idle() {
    let mut c = base(&["a", "b", "c"]);
    c.shard(
        "a",
        vec![FakePod::running(
            "p",
            scrape(&[("gitrepository", 100, 6)], true, NOW - 3600.0),
        )],
    )
    .shard("b", working("gitrepository", 0))
    .shard("c", working("gitrepository", 0))
    .objects(vec![object("GitRepository", "apps/x", Some("a"))]);
    let m = read(&mut c);
    let a = row(&m, "a");
    assert_eq!(
        (a.status, a.status_reason.as_str()),
        (
            Status::Erroring,
            "errors are 6.0 % of reconciliations (6 of 100), at least 5.0 %"
        )
    );
    let b = row(&m, "b");
    assert_eq!(
        (b.status, b.status_reason.as_str()),
        (Status::Idle, "no objects carry sharding.fluxcd.io/key=b")
    );
}

#[test]
fn every_status_that_applies_is_flagged_most_severe_first() {
    let mut c = base(&["a"]);
    c.deployment(
        "source-controller-a",
        None,
        vec![
            FakePod::running("p", scrape(&[("gitrepository", 10, 5)], true, NOW - 3600.0)),
            FakePod::answering("q", Ok(Response::json(503, "{}"))),
        ],
    );
    let m = read(&mut c);
    let a = row(&m, "a");
    assert_eq!(
        a.flags,
        [Status::Misconfigured, Status::Unreachable, Status::Erroring]
    );
    assert_eq!(a.status, Status::Misconfigured);
}

#[test]
fn orphaned_objects_are_reported_for_the_shard_set() {
    let mut c = base(&["a"]);
    c.shard(
        "a",
        vec![FakePod::running(
            "p",
            scrape(
                &[("gitrepository", 1, 0), ("helmchart", 0, 0)],
                true,
                NOW - 3600.0,
            ),
        )],
    )
    .objects(
        (0..7)
            .map(|i| {
                object(
                    "GitRepository",
                    &format!("team-{i}/repo"),
                    Some("shard-gone"),
                )
            })
            .chain([
                object("HelmChart", "apps/chart", Some("shard-gone")),
                object("GitRepository", "apps/typo", Some("A")),
            ])
            .collect(),
    );
    let c_api = c.finish();
    let m = c_api.read(SET).unwrap();
    let keys: Vec<(&str, u32)> = m
        .orphaned
        .iter()
        .map(|o| (o.key.as_str(), o.count))
        .collect();
    assert_eq!(keys, [("A", 1), ("shard-gone", 8)]);
    assert_eq!(m.orphaned[1].by_kind["GitRepository"], 7);
    assert_eq!(m.orphaned[1].by_kind["HelmChart"], 1);
    assert_eq!(
        m.orphaned[1].examples,
        [
            "apps/chart",
            "team-0/repo",
            "team-1/repo",
            "team-2/repo",
            "team-3/repo"
        ]
    );
}

#[test]
fn objects_that_cannot_be_listed_are_unknown_and_named() {
    let mut c = base(&["a"]);
    c.shard(
        "a",
        vec![FakePod::running(
            "p",
            scrape(
                &[("gitrepository", 0, 0), ("helmchart", 0, 0)],
                true,
                NOW - 3600.0,
            ),
        )],
    );
    let mut api = c.finish();
    api.routes.insert(objects_path("HelmChart"), Ok(Response::json(403, "{\"kind\":\"Status\",\"message\":\"helmcharts.source.toolkit.fluxcd.io is forbidden\",\"code\":403}")));
    let m = api.read(SET).unwrap();
    assert_eq!(m.problems.len(), 1);
    let p = &m.problems[0];
    assert_eq!(p.kind, ProblemKind::Forbidden);
    let permission = p.permission.as_ref().unwrap();
    assert_eq!(
        (
            permission.verb,
            permission.resource.as_str(),
            permission.group.as_str(),
            permission.namespace.as_deref()
        ),
        ("list", "helmcharts", "source.toolkit.fluxcd.io", None)
    );
    assert!(
        m.warnings[0]
            .starts_with("objects of kind HelmChart could not be read: forbidden (HTTP 403)"),
        "{:?}",
        m.warnings
    );
    let a = row(&m, "a");
    assert_eq!(a.objects.as_ref().unwrap().unread, ["HelmChart"]);
    assert_eq!(
        (a.status, a.status_reason.as_str()),
        (
            Status::Idle,
            "no reconciliations; objects of kind HelmChart could not be read"
        )
    );
    // Everything else is intact.
    assert_eq!(row(&m, "source").counts.reconciliations, 50.0);
}

#[test]
fn discovery_falls_back_to_per_group_documents_and_lists_are_paged() {
    let mut c = base(&["a"]);
    c.shard("a", working("gitrepository", 2));
    let mut api = c.finish();
    api.routes.insert("/apis".into(), Ok(Response::json(200, json!({"kind": "APIGroupList", "groups": [
        {"name": "apps", "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}},
        {"name": "source.toolkit.fluxcd.io", "preferredVersion": {"groupVersion": "source.toolkit.fluxcd.io/v1", "version": "v1"}}
    ]}).to_string())));
    api.routes.insert("/apis/source.toolkit.fluxcd.io/v1".into(), Ok(Response::json(200, json!({"kind": "APIResourceList", "groupVersion": "source.toolkit.fluxcd.io/v1", "resources": [
        {"name": "gitrepositories", "kind": "GitRepository", "namespaced": true},
        {"name": "gitrepositories/status", "kind": "GitRepository", "namespaced": true}
    ]}).to_string())));
    let page = |items: serde_json::Value, next: Option<&str>| {
        Ok(Response::json(200, json!({"kind": "GitRepositoryList", "metadata": {"continue": next.unwrap_or("")}, "items": items}).to_string()))
    };
    let repo = |name: &str| json!({"metadata": {"name": name, "namespace": "apps", "labels": {"sharding.fluxcd.io/key": "a"}}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
    api.routes.insert(
        objects_path("GitRepository"),
        page(json!([repo("r1"), repo("r2")]), Some("tok+en/=")),
    );
    // The continue token is escaped; it expired once (410), so the list starts over.
    api.routes.insert("/apis/source.toolkit.fluxcd.io/v1/gitrepositories?limit=500&continue=tok%2Ben%2F%3D".into(), Ok(Response::json(410, "{\"kind\":\"Status\",\"message\":\"The provided continue parameter is too old\",\"reason\":\"Expired\",\"code\":410}")));
    let first = api.read(SET).unwrap();
    // After restarting once it fails for good: objects unknown, named.
    assert_eq!(first.problems[0].http_status, Some(410));
    api.routes.insert(
        "/apis/source.toolkit.fluxcd.io/v1/gitrepositories?limit=500&continue=tok%2Ben%2F%3D"
            .into(),
        page(json!([repo("r3")]), None),
    );
    api.calls.borrow_mut().clear();
    let m = api.read(SET).unwrap();
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert_eq!(row(&m, "a").objects.as_ref().unwrap().assigned, 3);
    let paths = api.paths();
    assert!(paths.contains(&"/apis/source.toolkit.fluxcd.io/v1".to_string()));
    assert!(
        !paths.iter().any(|p| p == "/apis/apps/v1"),
        "only Flux's groups are read: {paths:?}"
    );
    assert_eq!(
        api.calls
            .borrow()
            .iter()
            .find(|(p, _)| p == "/apis")
            .map(|(_, a)| *a),
        Some(Accept::Discovery)
    );
}

#[test]
fn the_kinds_come_from_the_pods_or_else_from_fluxs_own_list() {
    // Every pod unreachable: the kinds of a source-controller are Flux's five.
    let mut c = Cluster::new(&["a"]);
    c.unserved = vec!["HelmRepository"];
    c.source(vec![FakePod::answering("p", Ok(Response::json(503, "{}")))])
        .shard(
            "a",
            vec![FakePod::answering("p", Ok(Response::json(503, "{}")))],
        );
    let api = c.finish();
    let m = api.read(SET).unwrap();
    let kinds: Vec<String> = row(&m, "a")
        .objects
        .as_ref()
        .unwrap()
        .by_kind
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        kinds,
        ["Bucket", "GitRepository", "HelmChart", "OCIRepository"]
    );
    // HelmRepository is not served by the fake: said, not fatal.
    assert_eq!(m.warnings, ["controller \"helmrepository\" reconciles no kind this cluster serves: its objects are not counted"]);
}

/// What a real cluster did during a rollout and a pod deletion (tests/real-cluster/events.test.mjs):
/// the old pod is Terminating and its process gone, the new one Running but not serving yet; the API
/// server's pod proxy answers both with `connection refused`. Neither is a failure of the row.
#[test]
fn terminating_and_starting_pods_are_no_failure() {
    let mut c = base(&["a", "b"]);
    c.shard(
        "a",
        vec![
            FakePod::running("new", scrape(&[("gitrepository", 4, 0)], true, NOW - 60.0)),
            FakePod::running("old", String::new()).terminating(),
        ],
    )
    .shard(
        "b",
        vec![
            FakePod::running(
                "leader",
                scrape(&[("gitrepository", 9, 0)], true, NOW - 600.0),
            ),
            FakePod::starting("next", 3.0),
        ],
    )
    .objects(vec![object("GitRepository", "apps/x", Some("a"))]);
    let m = read(&mut c);
    let a = row(&m, "a");
    assert_eq!(
        (a.status, a.status_reason.as_str()),
        (Status::Ok, "reconciling: 4 reconciliations, 0 errors")
    );
    let old = a.pods.iter().find(|p| p.terminating).unwrap();
    let problem = old.problem.as_ref().unwrap();
    assert_eq!(problem.kind, ProblemKind::Terminating);
    assert!(problem.message.starts_with("terminating (being deleted): its metrics could not be read (the pod did not answer through the API server proxy (HTTP 503)"), "{}", problem.message);
    assert!(problem.message.ends_with("The API server said: error trying to reach service: dial tcp 10.244.0.23:8080: connect: connection refused)"), "{}", problem.message);
    assert_eq!(a.error, None);
    let b = row(&m, "b");
    assert_eq!(b.status, Status::Pending);
    assert!(
        b.status_reason.starts_with("pod source-controller-b-7d9c5b-next: started 3 s ago and not Ready yet: its metrics do not answer yet (the pod did not answer through the API server proxy (HTTP 503)"),
        "{}",
        b.status_reason
    );
    assert_eq!(b.flags, [Status::Pending]);
    assert_eq!(b.error, None);
}

/// Past the start-up grace, a pod that still does not answer is unreachable.
#[test]
fn a_pod_that_never_serves_is_unreachable_after_the_grace() {
    let mut c = base(&["a"]);
    c.shard(
        "a",
        vec![
            FakePod::running(
                "leader",
                scrape(&[("gitrepository", 9, 0)], true, NOW - 600.0),
            ),
            FakePod::starting("slow", 600.0),
        ],
    );
    let m = read(&mut c);
    let a = row(&m, "a");
    assert_eq!(a.status, Status::Unreachable);
    assert_eq!(a.problems[0].kind, ProblemKind::ProxyFailed);
}

/// The shard set controller writes no status while a FluxShardSet is suspended or its source
/// is missing (FLUX-FACTS), so its observedGeneration stays absent: the source is missing all the
/// same, never "pending" for ever (seen on the real cluster, tests/real-cluster/api.test.mjs).
#[test]
fn a_missing_source_is_missing_even_if_the_controller_never_wrote_status() {
    let mut c = Cluster::new(&["a"]);
    c.set["status"] = json!({});
    c.set["metadata"]["generation"] = json!(1);
    let m = read(&mut c);
    assert!(m.shard_set.as_ref().unwrap().is_behind());
    let source = row(&m, "source");
    assert_eq!(
        (source.status, source.status_reason.as_str()),
        (
            Status::Missing,
            "the source Deployment flux-system/source-controller does not exist"
        )
    );
    // A shard not made yet waits for the controller.
    assert_eq!(row(&m, "a").status, Status::Pending);
    c.set["spec"]["suspend"] = json!(true);
    let m = read(&mut c);
    let a = row(&m, "a");
    assert_eq!(a.status, Status::Missing);
    assert_eq!(a.status_reason, "in spec.shards but missing from the shard set's inventory; the FluxShardSet is suspended (spec.suspend), so its controller does nothing");
}
