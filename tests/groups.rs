//! Shard groups made every way Flux is sharded — the Flux Operator's FluxInstance,
//! overlays made by hand, a FluxShardSet — found from the Deployments themselves
//! (../shared/FLUX-FACTS.md has their shapes), and the verdicts that hold for
//! every kind of group: overlapping selectors, dependencies split across shards,
//! artifact servers; each with its exact reason.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use flux_shard_metrics::pipeline::{get_shard_metrics, list_shard_groups, Query};
use flux_shard_metrics::report::{Flag, GroupKind, ShardMetrics, Status};
use futures::executor::block_on;
use serde_json::json;
use support::*;

const OPERATOR: (&str, &str) = ("app.kubernetes.io/managed-by", "flux-operator");

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn working(kind: &str, n: u32) -> Vec<FakePod> {
    // controller-runtime starts every controller of the process: a source-controller reports its
    // HelmRepositories too, an image-reflector-controller its ImageRepositories.
    let kinds: &[(&str, u32, u32)] = match kind {
        "helmchart" => &[("helmchart", n, 0), ("helmrepository", 0, 0)],
        "imagepolicy" => &[("imagepolicy", n, 0), ("imagerepository", 0, 0)],
        _ => &[(kind, n, 0)],
    };
    vec![FakePod::running("p", scrape(kinds, true, NOW - 3600.0))]
}

/// A Deployment as the Flux Operator renders it: `app: <name>`, its labels, a shard's annotation,
/// `--watch-label-selector` appended (and, for a source-controller shard, its own `--storage-adv-addr`
/// after the main one).
fn operator_deployment(
    controller: &str,
    shard: Option<&str>,
    key: &str,
    pods: Vec<FakePod>,
) -> FakeDeployment {
    let name = shard.map_or(controller.to_string(), |s| format!("{controller}-{s}"));
    let mut args = vec![
        "--watch-all-namespaces=true".to_string(),
        format!("--storage-adv-addr={controller}.$(RUNTIME_NAMESPACE).svc.cluster.local."),
    ];
    match shard {
        Some(s) => {
            args.push(format!(
                "--storage-adv-addr={name}.$(RUNTIME_NAMESPACE).svc.cluster.local."
            ));
            args.push(format!("--watch-label-selector={key}={s}"));
        }
        None => args.push(format!("--watch-label-selector=!{key}")),
    }
    FakeDeployment {
        app: name.clone(),
        name,
        labels: vec![
            pair(OPERATOR.0, OPERATOR.1),
            pair("app.kubernetes.io/component", controller),
        ],
        annotations: shard
            .map(|_| vec![pair("sharding.fluxcd.io/role", "shard")])
            .unwrap_or_default(),
        args,
        pods,
    }
}

fn instance(
    key: Option<&str>,
    shards: &[&str],
    ready: bool,
    reconciling: bool,
) -> serde_json::Value {
    let mut sharding = json!({"shards": shards});
    if let Some(k) = key {
        sharding["key"] = json!(k);
    }
    json!({
        "apiVersion": "fluxcd.controlplane.io/v1", "kind": "FluxInstance",
        "metadata": {"name": "flux", "namespace": NS, "generation": 2},
        "spec": {"distribution": {"version": "2.9.x"}, "components": ["source-controller", "kustomize-controller"], "sharding": sharding},
        "status": {"conditions": [
            {"type": "Ready", "status": if ready { "True" } else { "False" }, "reason": if ready { "ReconciliationSucceeded" } else { "HealthCheckFailed" },
             "message": if ready { "Reconciliation finished in 3s" } else { "timeout waiting for: [Deployment/flux-system/kustomize-controller-shard2 status: 'InProgress']" }, "observedGeneration": 2},
            {"type": "Reconciling", "status": if reconciling { "True" } else { "False" }, "reason": "Progressing", "message": ""}
        ]}
    })
}

fn read(c: &mut Cluster, controller: &str) -> ShardMetrics {
    block_on(get_shard_metrics(
        &c.finish(),
        &Query::controller(NS, controller, READ_AT),
    ))
    .unwrap()
}

fn row<'m>(m: &'m ShardMetrics, name: &str) -> &'m flux_shard_metrics::report::DeploymentMetrics {
    m.deployments.iter().find(|d| d.name == name).unwrap()
}

#[test]
fn a_flux_instance_group_as_the_operator_renders_it() {
    let mut c = Cluster::bare();
    c.instance = Some(instance(None, &["shard1", "shard2"], true, false));
    for (shard, n) in [(None, 40), (Some("shard1"), 12), (Some("shard2"), 7)] {
        c.deploy(operator_deployment(
            "kustomize-controller",
            shard,
            KEY,
            working("kustomization", n),
        ));
    }
    c.objects(vec![
        object("Kustomization", "apps/a", None),
        object("Kustomization", "apps/b", Some("shard1")),
        object("Kustomization", "apps/c", Some("shard2")),
    ]);
    // Asked for by a shard's Deployment: the same group.
    let m = read(&mut c, "kustomize-controller-shard2");
    let g = &m.group;
    assert_eq!(
        (
            g.kind,
            g.name.as_str(),
            g.controller.as_str(),
            g.key.as_str(),
            g.shards.clone()
        ),
        (
            GroupKind::FluxInstance,
            "flux",
            "kustomize-controller",
            KEY,
            vec!["shard1".to_string(), "shard2".to_string()]
        )
    );
    assert_eq!(
        (g.ready, g.message.as_deref()),
        (Some(true), Some("Reconciliation finished in 3s"))
    );
    assert!(m.shard_set.is_none());
    assert_eq!(
        m.deployments
            .iter()
            .map(|d| (
                d.name.as_str(),
                d.counts.reconciliations,
                d.status,
                d.objects.as_ref().unwrap().assigned
            ))
            .collect::<Vec<_>>(),
        [
            ("kustomize-controller", 40.0, Status::Ok, 1),
            ("kustomize-controller-shard1", 12.0, Status::Ok, 1),
            ("kustomize-controller-shard2", 7.0, Status::Ok, 1),
        ]
    );
    assert!(m.overlaps.is_empty() && m.orphaned.is_empty() && m.check_failures.is_empty());
    // The pods of Deployments with their own `app` are listed with a set-based selector.
    // The instance also shards source-controller, whose Deployments it has not made (yet).
    let groups = block_on(list_shard_groups(&c.finish(), None)).unwrap();
    assert_eq!(
        groups
            .iter()
            .map(|g| (
                g.kind,
                g.name.as_str(),
                g.controller.as_str(),
                g.deployments.len(),
                g.inventory
            ))
            .collect::<Vec<_>>(),
        [
            (
                GroupKind::FluxInstance,
                "flux",
                "kustomize-controller",
                3,
                2
            ),
            (GroupKind::FluxInstance, "flux", "source-controller", 3, 0)
        ]
    );
}

#[test]
fn a_shard_of_the_instance_without_a_deployment_is_missing_or_pending() {
    let shard = || {
        operator_deployment(
            "kustomize-controller",
            Some("shard1"),
            KEY,
            working("kustomization", 3),
        )
    };
    let main = || {
        operator_deployment(
            "kustomize-controller",
            None,
            KEY,
            working("kustomization", 3),
        )
    };
    let mut c = Cluster::bare();
    c.instance = Some(instance(None, &["shard1", "shard2"], false, false));
    c.deploy(main()).deploy(shard());
    let m = read(&mut c, "kustomize-controller");
    let s2 = row(&m, "kustomize-controller-shard2");
    assert_eq!(s2.status, Status::Missing);
    assert_eq!(s2.status_reason, "in spec.sharding.shards of FluxInstance flux-system/flux, but Deployment flux-system/kustomize-controller-shard2 does not exist; the FluxInstance is not Ready: timeout waiting for: [Deployment/flux-system/kustomize-controller-shard2 status: 'InProgress']");
    // While the operator reconciles, it is on its way.
    let mut c = Cluster::bare();
    c.instance = Some(instance(None, &["shard1", "shard2"], true, true));
    c.deploy(main()).deploy(shard());
    let m = read(&mut c, "kustomize-controller");
    let s2 = row(&m, "kustomize-controller-shard2");
    assert_eq!((s2.status, s2.status_reason.as_str()), (Status::Pending, "the Flux Operator has not acted on the latest spec of FluxInstance flux-system/flux yet (generation 2, observed 2)"));
}

#[test]
fn an_instance_with_another_key_is_read_by_that_key() {
    let key = "example.com/shard";
    let mut c = Cluster::bare();
    c.instance = Some(instance(Some(key), &["a"], true, false));
    c.deploy(operator_deployment(
        "kustomize-controller",
        None,
        key,
        working("kustomization", 5),
    ))
    .deploy(operator_deployment(
        "kustomize-controller",
        Some("a"),
        key,
        working("kustomization", 2),
    ));
    c.objects(vec![
        object("Kustomization", "apps/x", Some("a")).keyed_by(key),
        // The default key means nothing here: the main controller reconciles it.
        object("Kustomization", "apps/y", Some("a")),
        object("Kustomization", "apps/z", Some("gone")).keyed_by(key),
    ]);
    let m = read(&mut c, "kustomize-controller");
    assert_eq!(m.group.key, key);
    assert_eq!(
        row(&m, "kustomize-controller")
            .objects
            .as_ref()
            .unwrap()
            .assigned,
        1
    );
    assert_eq!(
        row(&m, "kustomize-controller-a")
            .objects
            .as_ref()
            .unwrap()
            .assigned,
        1
    );
    assert_eq!(m.orphaned[0].key, "gone");
    assert_eq!(
        m.check_failures,
        ["1 object(s) carry a example.com/shard that names no shard (gone)"]
    );
    assert_eq!(
        row(&m, "kustomize-controller-a").status_reason,
        "reconciling: 2 reconciliations, 0 errors"
    );
}

/// Flux's sharding guide: an overlay per shard (`nameSuffix: -shard1`, the role annotation, the `app`
/// labels set to `<controller>-shard1`), the main controller's selector inserted as its first arg.
fn manual(controller: &str, main_selector: &str, shards: &[(&str, &str)]) -> Cluster {
    let kind = match controller {
        "kustomize-controller" => "kustomization",
        "image-reflector-controller" => "imagepolicy",
        _ => "helmrelease",
    };
    let mut c = Cluster::bare();
    c.deploy(FakeDeployment {
        name: controller.to_string(),
        app: controller.to_string(),
        labels: vec![pair("app.kubernetes.io/component", controller)],
        annotations: vec![],
        args: vec![
            format!("--watch-label-selector={main_selector}"),
            "--watch-all-namespaces=true".into(),
            "--log-level=info".into(),
        ],
        pods: working(kind, 30),
    });
    for (shard, selector) in shards {
        let name = format!("{controller}-{shard}");
        c.deploy(FakeDeployment {
            app: name.clone(),
            name,
            labels: vec![pair("app.kubernetes.io/component", controller)],
            annotations: vec![pair("sharding.fluxcd.io/role", "shard")],
            args: vec![
                "--watch-all-namespaces=true".into(),
                "--log-level=info".into(),
                format!("--watch-label-selector={selector}"),
            ],
            pods: working(kind, 6),
        });
    }
    c
}

#[test]
fn shards_made_by_hand_are_a_manual_group() {
    let mut c = manual(
        "helm-controller",
        "!sharding.fluxcd.io/key",
        &[("shard1", "sharding.fluxcd.io/key=shard1")],
    );
    c.objects(vec![
        object("HelmRelease", "apps/a", None),
        object("HelmRelease", "apps/b", Some("shard1")),
        object("HelmRelease", "apps/c", Some("shard9")),
    ]);
    let m = read(&mut c, "helm-controller");
    let g = &m.group;
    assert_eq!(
        (
            g.kind,
            g.name.as_str(),
            g.controller.as_str(),
            g.shards.clone(),
            g.ready
        ),
        (
            GroupKind::Manual,
            "helm-controller",
            "helm-controller",
            vec!["shard1".to_string()],
            None
        )
    );
    assert_eq!(
        m.deployments.iter().map(|d| d.status).collect::<Vec<_>>(),
        [Status::Ok, Status::Ok]
    );
    // With `!key`, an object whose key names no shard is reconciled by nobody.
    assert_eq!(
        (m.orphaned[0].key.as_str(), m.orphaned[0].examples.clone()),
        ("shard9", vec!["apps/c".to_string()])
    );
}

#[test]
fn a_controller_that_watches_only_its_namespace_is_given_only_its_objects() {
    // `flux install --watch-all-namespaces=false` (the last occurrence wins over the overlay's =true).
    let mut c = manual(
        "helm-controller",
        "!sharding.fluxcd.io/key",
        &[("shard1", "sharding.fluxcd.io/key=shard1")],
    );
    c.deployments[0]["spec"]["template"]["spec"]["containers"][0]["args"]
        .as_array_mut()
        .unwrap()
        .push("--watch-all-namespaces=false".into());
    c.objects(vec![
        object("HelmRelease", "flux-system/a", None),
        object("HelmRelease", "apps/b", None),
        object("HelmRelease", "apps/c", Some("shard1")),
    ]);
    let m = read(&mut c, "helm-controller");
    let assigned = |name: &str| row(&m, name).objects.as_ref().unwrap().assigned;
    assert_eq!(
        (
            assigned("helm-controller"),
            assigned("helm-controller-shard1")
        ),
        (1, 1)
    );
    // apps/b carries no key, and the only Deployment that takes such objects watches flux-system alone.
    assert_eq!(
        (m.orphaned[0].key.as_str(), m.orphaned[0].examples.clone()),
        ("", vec!["apps/b".to_string()])
    );
    assert!(m.check_failures.contains(&"1 object(s) without sharding.fluxcd.io/key are selected by no Deployment of this group (e.g. apps/b)".to_string()), "{:?}", m.check_failures);
    // When every Deployment watches only its namespace, the objects of others are another group's.
    c.deployments[1]["spec"]["template"]["spec"]["containers"][0]["args"]
        .as_array_mut()
        .unwrap()
        .push("--watch-all-namespaces=false".into());
    let m = read(&mut c, "helm-controller");
    assert_eq!(
        row(&m, "helm-controller-shard1")
            .objects
            .as_ref()
            .unwrap()
            .assigned,
        0
    );
    assert!(m.orphaned.is_empty(), "{:?}", m.orphaned);
}

#[test]
fn a_legacy_notin_main_takes_unknown_keys_and_overlaps_with_a_shard_it_leaves_in() {
    // Written before shard2 was added: the main still reconciles shard2's objects.
    let mut c = manual(
        "helm-controller",
        "sharding.fluxcd.io/key notin (shard1)",
        &[
            ("shard1", "sharding.fluxcd.io/key=shard1"),
            ("shard2", "sharding.fluxcd.io/key=shard2"),
        ],
    );
    c.objects(vec![
        object("HelmRelease", "apps/a", None),
        object("HelmRelease", "apps/b", Some("shard9")),
        object("HelmRelease", "apps/c", Some("shard2")),
        object("HelmRelease", "apps/d", Some("shard2")),
    ]);
    let m = read(&mut c, "helm-controller-shard1");
    assert!(
        m.orphaned.is_empty(),
        "notin: a key that names no shard goes to the main controller"
    );
    assert_eq!(
        row(&m, "helm-controller")
            .objects
            .as_ref()
            .unwrap()
            .assigned,
        4
    );
    assert_eq!(m.overlaps.len(), 1);
    let o = &m.overlaps[0];
    assert_eq!(
        (o.deployments.clone(), o.count, o.examples.clone()),
        (
            vec![
                "helm-controller".to_string(),
                "helm-controller-shard2".to_string()
            ],
            2,
            vec!["apps/c".to_string(), "apps/d".to_string()]
        )
    );
    let main = row(&m, "helm-controller");
    assert_eq!(main.status, Status::Misconfigured);
    assert_eq!(main.flags, [Flag::Misconfigured, Flag::Overlapping]);
    assert_eq!(main.status_reason, "the main controller's manager watches --watch-label-selector=sharding.fluxcd.io/key notin (shard1), which does not exclude keyed objects (!sharding.fluxcd.io/key): it also reconciles the objects of shard2; 2 objects it selects are also selected by helm-controller-shard2, so they are reconciled twice (e.g. apps/c, apps/d)");
    let s2 = row(&m, "helm-controller-shard2");
    assert_eq!(s2.flags, [Flag::Misconfigured, Flag::Overlapping]);
    assert_eq!(s2.status_reason, "2 objects it selects are also selected by helm-controller, so they are reconciled twice (e.g. apps/c, apps/d)");
    assert_eq!(row(&m, "helm-controller-shard1").status, Status::Ok);
    assert!(m.check_failures.contains(
        &"2 object(s) are reconciled by each of helm-controller, helm-controller-shard2"
            .to_string()
    ));
}

#[test]
fn two_shards_with_one_key_reconcile_its_objects_twice() {
    let mut c = manual(
        "kustomize-controller",
        "!sharding.fluxcd.io/key",
        &[
            ("shard1", "sharding.fluxcd.io/key=shard1"),
            ("shard1b", "sharding.fluxcd.io/key in (shard1)"),
        ],
    );
    c.objects(vec![object("Kustomization", "apps/x", Some("shard1"))]);
    let m = read(&mut c, "kustomize-controller");
    for name in [
        "kustomize-controller-shard1",
        "kustomize-controller-shard1b",
    ] {
        assert_eq!(row(&m, name).status, Status::Misconfigured, "{name}");
        assert!(row(&m, name).flags.contains(&Flag::Overlapping));
    }
    // shard1b's own key (its name) is not what it selects: said as well.
    assert!(row(&m, "kustomize-controller-shard1b").status_reason.starts_with("its manager watches --watch-label-selector=sharding.fluxcd.io/key in (shard1), which does not select its own objects (sharding.fluxcd.io/key=shard1b)"));
}

#[test]
fn source_controller_shards_of_a_flux_shard_set_advertise_the_main_artifact_server() {
    // flux-shard-controller copies the source's args, --storage-adv-addr included (FLUX-FACTS).
    let mut c = Cluster::new(&["a"]);
    c.own_storage_addr = false;
    c.source(working("gitrepository", 50))
        .shard("a", working("gitrepository", 5));
    let m = block_on(get_shard_metrics(
        &c.finish(),
        &Query::new(NS, "source-controller-shardset", READ_AT),
    ))
    .unwrap();
    let a = row(&m, "source-controller-a");
    assert_eq!(
        (a.status, a.flags.clone()),
        (
            Status::Misconfigured,
            vec![Flag::Misconfigured, Flag::ArtifactServer]
        )
    );
    assert_eq!(a.status_reason, "its --storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local. names the Service source-controller, not its own (source-controller-a): the artifacts of its objects would be fetched from another Deployment's artifact server");
    assert_eq!(
        a.storage_adv_addr.as_deref(),
        Some("source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.")
    );
    assert_eq!(row(&m, "source-controller").status, Status::Ok);
    assert_eq!(m.group.kind, GroupKind::FluxShardSet);
    assert!(m
        .check_failures
        .contains(&"source-controller-a is misconfigured".to_string()));
}

#[test]
fn the_last_storage_adv_addr_wins_and_its_service_must_exist() {
    // The Flux Operator appends the shard's own address after the main one: the last wins.
    let mut c = Cluster::bare();
    c.instance = Some(instance(None, &["shard1", "shard2"], true, false));
    c.services = Some(vec![
        "source-controller".into(),
        "source-controller-shard1".into(),
    ]);
    for shard in [None, Some("shard1"), Some("shard2")] {
        c.deploy(operator_deployment(
            "source-controller",
            shard,
            KEY,
            working("gitrepository", 3),
        ));
    }
    let m = read(&mut c, "source-controller");
    assert_eq!(row(&m, "source-controller-shard1").status, Status::Ok);
    let s2 = row(&m, "source-controller-shard2");
    assert_eq!(
        (s2.status, s2.flags.clone()),
        (
            Status::Misconfigured,
            vec![Flag::Misconfigured, Flag::ArtifactServer]
        )
    );
    assert_eq!(s2.status_reason, "its Service flux-system/source-controller-shard2 does not exist, so nothing can fetch its artifacts");
}

#[test]
fn dependencies_split_across_shards_are_named() {
    let mut c = Cluster::bare();
    c.instance = Some(instance(None, &["shard1", "shard2"], true, false));
    for shard in [None, Some("shard1"), Some("shard2")] {
        c.deploy(operator_deployment(
            "source-controller",
            shard,
            KEY,
            working("helmchart", 3),
        ));
    }
    let source_ref = |name: &str| json!({"sourceRef": {"kind": "HelmRepository", "name": name}});
    c.objects(vec![
        object("HelmRepository", "apps/charts", Some("shard2")),
        object("HelmRepository", "apps/local", Some("shard1")),
        object("HelmChart", "apps/apps-podinfo", Some("shard1")).with_spec(source_ref("charts")),
        object("HelmChart", "apps/apps-fine", Some("shard1")).with_spec(source_ref("local")),
    ]);
    let m = read(&mut c, "source-controller");
    assert_eq!(m.split_dependencies.len(), 1);
    let s = &m.split_dependencies[0];
    assert_eq!(
        (
            s.kind.as_str(),
            s.namespace.as_str(),
            s.name.as_str(),
            s.key.as_deref(),
            s.dependency.kind.as_str(),
            s.dependency.name.as_str(),
            s.dependency.key.as_deref()
        ),
        (
            "HelmChart",
            "apps",
            "apps-podinfo",
            Some("shard1"),
            "HelmRepository",
            "charts",
            Some("shard2")
        )
    );
    assert_eq!(s.reason, "HelmChart apps/apps-podinfo is reconciled by source-controller-shard1, but its HelmRepository apps/charts by source-controller-shard2, whose objects a shard's cache does not hold: it is never found (NotFound, source-controller#2114)");
    assert!(m.check_failures.contains(&s.reason));
}

#[test]
fn a_keyed_helm_release_whose_chart_lacks_the_key() {
    // helm-controller and source-controller sharded by the Flux Operator, alike.
    let mut c = Cluster::bare();
    c.instance = Some(json!({
        "apiVersion": "fluxcd.controlplane.io/v1", "kind": "FluxInstance",
        "metadata": {"name": "flux", "namespace": NS, "generation": 1},
        "spec": {"components": ["source-controller", "helm-controller"], "sharding": {"shards": ["shard1"]}},
        "status": {"conditions": [{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded", "message": "ok", "observedGeneration": 1}]}
    }));
    for controller in ["source-controller", "helm-controller"] {
        let kind = if controller == "helm-controller" {
            "helmrelease"
        } else {
            "helmchart"
        };
        for shard in [None, Some("shard1")] {
            c.deploy(operator_deployment(
                controller,
                shard,
                KEY,
                working(kind, 4),
            ));
        }
    }
    let chart = |labels: serde_json::Value| json!({"chart": {"spec": {"chart": "podinfo", "sourceRef": {"kind": "HelmRepository", "name": "charts"}}, "metadata": {"labels": labels}}});
    c.objects(vec![
        // Its chart template carries no key: the HelmChart helm-controller made has none either.
        object("HelmRelease", "apps/web", Some("shard1")).with_spec(chart(json!({}))),
        object("HelmRelease", "apps/api", Some("shard1")).with_spec(chart(json!({KEY: "shard1"}))),
        object("HelmChart", "apps/apps-web", None),
    ]);
    let m = read(&mut c, "helm-controller");
    assert_eq!(m.split_dependencies.len(), 1, "{:?}", m.split_dependencies);
    let s = &m.split_dependencies[0];
    assert_eq!(
        (
            s.name.as_str(),
            s.dependency.kind.as_str(),
            s.dependency.name.as_str(),
            s.dependency.key.as_deref()
        ),
        ("web", "HelmChart", "apps-web", None)
    );
    assert_eq!(s.reason, "HelmRelease apps/web carries sharding.fluxcd.io/key=shard1, but its HelmChart apps/apps-web does not (a HelmChart gets only the labels of .spec.chart.metadata.labels): source-controller reconciles it, not source-controller-shard1 (helm-controller#658)");
}

#[test]
fn an_image_policy_beside_its_repository_on_another_shard() {
    let mut c = manual(
        "image-reflector-controller",
        "!sharding.fluxcd.io/key",
        &[("a", "sharding.fluxcd.io/key=a")],
    );
    c.objects(vec![
        object("ImageRepository", "apps/podinfo", None),
        object("ImagePolicy", "apps/podinfo", Some("a"))
            .with_spec(json!({"imageRepositoryRef": {"name": "podinfo"}})),
    ]);
    let m = read(&mut c, "image-reflector-controller");
    let reasons: Vec<&str> = m
        .split_dependencies
        .iter()
        .map(|s| s.reason.as_str())
        .collect();
    assert_eq!(reasons, ["ImagePolicy apps/podinfo is reconciled by image-reflector-controller-a, but its ImageRepository apps/podinfo by image-reflector-controller, whose objects a shard's cache does not hold: it is never found (never Ready, image-reflector-controller#365)"]);
}

#[test]
fn a_deployment_of_no_group_is_said_so() {
    let mut c = manual(
        "helm-controller",
        "!sharding.fluxcd.io/key",
        &[("shard1", "sharding.fluxcd.io/key=shard1")],
    );
    c.deploy(FakeDeployment {
        name: "notification-controller".into(),
        app: "notification-controller".into(),
        labels: vec![],
        annotations: vec![],
        args: vec![],
        pods: working("alert", 1),
    });
    let api = c.finish();
    let e = block_on(get_shard_metrics(
        &api,
        &Query::controller(NS, "notification-controller", READ_AT),
    ))
    .unwrap_err();
    assert_eq!(e.to_string(), "a shard group of Deployment flux-system/notification-controller (no Deployment shards it, or is its shard) does not exist (HTTP 404 for http://127.0.0.1:8001/apis/apps/v1/namespaces/flux-system/deployments/notification-controller)");
    let e = block_on(get_shard_metrics(
        &api,
        &Query::controller(NS, "nope", READ_AT),
    ))
    .unwrap_err();
    assert_eq!(e.to_string(), "Deployment flux-system/nope does not exist (HTTP 404 for http://127.0.0.1:8001/apis/apps/v1/namespaces/flux-system/deployments/nope)");
}
