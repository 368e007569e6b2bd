//! Which objects each row reconciles: those its `--watch-label-selector` selects
//! (for a row without a `manager` to judge, or without a Deployment, what its
//! place intends: the main controller the objects without the group's key, a
//! shard its own). Objects no row selects are orphaned — reconciled by nobody;
//! objects two rows select are reconciled twice (an overlap).

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::kube::{reports_ready, FluxObject, Selection};
use crate::report::{
    Balance, DeploymentMetrics, Flag, KindCounts, ObjectCounts, Orphaned, Overlap, Role,
};

/// How many objects are named per orphaned key or overlap.
pub const ORPHAN_EXAMPLES: usize = 5;

/// The objects of one kind, as listed (shared with what a session keeps: a read clones no object).
#[derive(Debug, Clone, PartialEq)]
pub struct KindObjects {
    /// The kind (`GitRepository`).
    pub kind: String,
    /// Every object of that kind, cluster-wide.
    pub objects: Vec<Rc<FluxObject>>,
}

impl KindObjects {
    /// The `objects` of `kind`.
    pub fn new(kind: &str, objects: Vec<FluxObject>) -> KindObjects {
        KindObjects {
            kind: kind.to_string(),
            objects: objects.into_iter().map(Rc::new).collect(),
        }
    }
}

/// What the objects' assignment found beyond each row's counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assigned {
    /// Objects no row selects, by the value of the group's key (`""`: without the key).
    pub orphaned: Vec<Orphaned>,
    /// Objects several rows select, by the set of rows.
    pub overlaps: Vec<Overlap>,
}

/// `namespace/name`, or `name` for a cluster-scoped object.
pub fn shown(o: &FluxObject) -> String {
    if o.namespace.is_empty() {
        o.name.clone()
    } else {
        format!("{}/{}", o.namespace, o.name)
    }
}

/// Sets each row's `objects` from the lists read (`unread`: kinds whose list failed), by what
/// `selections[i]` selects for row `i`, and returns the orphaned objects (of the namespaces the
/// rows watch: all of them unless every row watches only its own) and the overlapping ones;
/// each row in an overlap gets the finding `overlapping`. Rows keep `objects: null` when no kind
/// could be read. `key` is the group's sharding label.
///
/// ```
/// use flux_shard_metrics::assignment::{assign, KindObjects};
/// use flux_shard_metrics::kube::{FluxObject, Selection, Selector};
/// use flux_shard_metrics::report::{DeploymentMetrics, Role};
/// let mut rows = vec![
///     DeploymentMetrics::new("source-controller", "flux-system", Role::Source, None, true),
///     DeploymentMetrics::new("source-controller-shard1", "flux-system", Role::Shard, Some("shard1".into()), true),
/// ];
/// let selections = ["!sharding.fluxcd.io/key", "sharding.fluxcd.io/key=shard1"].map(|s| Selection::everywhere(Selector::parse(s).unwrap()));
/// let object = |name: &str, key: Option<&str>| FluxObject { namespace: "apps".into(), name: name.into(), key: key.map(String::from),
///     labels: key.map(|k| vec![("sharding.fluxcd.io/key".to_string(), k.to_string())]).unwrap_or_default(), ready: true, ..FluxObject::default() };
/// let lists = [KindObjects::new("GitRepository", vec![object("a", None), object("b", Some("shard1")), object("c", Some("shard9"))])];
/// let found = assign(&mut rows, &selections, "sharding.fluxcd.io/key", &lists, &[]);
/// assert_eq!(rows[0].objects.as_ref().unwrap().assigned, 1);
/// assert_eq!(rows[1].objects.as_ref().unwrap().assigned, 1);
/// let o = &found.orphaned[0];
/// assert_eq!((o.key.as_str(), o.count, o.examples[0].as_str()), ("shard9", 1, "apps/c"));
/// ```
pub fn assign(
    rows: &mut [DeploymentMetrics],
    selections: &[Selection],
    key: &str,
    lists: &[KindObjects],
    unread: &[String],
) -> Assigned {
    if lists.is_empty() {
        return Assigned::default();
    }
    // Inserted one by one: collecting into a BTreeMap instantiates a whole sort.
    let mut empty: BTreeMap<String, KindCounts> = BTreeMap::new();
    for l in lists {
        empty.insert(l.kind.clone(), KindCounts::default());
    }
    for row in rows.iter_mut() {
        row.objects = Some(ObjectCounts {
            by_kind: empty.clone(),
            unread: unread.to_vec(),
            ..ObjectCounts::default()
        });
    }
    // Objects of a namespace no row watches are another group's: never orphaned here.
    let watched: Option<Vec<&str>> = selections
        .iter()
        .take(rows.len())
        .map(|s| s.namespace.as_deref())
        .collect();
    let mut orphans: BTreeMap<String, Orphaned> = BTreeMap::new();
    let mut overlaps: Vec<(Vec<usize>, Overlap)> = Vec::new();
    let mut selecting: Vec<usize> = Vec::new();
    for list in lists {
        // Kinds without a status (Alerts, Providers) are never not Ready.
        let has_ready = reports_ready(&list.kind);
        for object in &list.objects {
            selecting.clear();
            selecting.extend(
                selections
                    .iter()
                    .enumerate()
                    .filter(|(i, s)| {
                        *i < rows.len() && s.selects(&object.namespace, &object.labels)
                    })
                    .map(|(i, _)| i),
            );
            for &i in &selecting {
                let counts = rows[i].objects.as_mut().expect("set above");
                let kind = counts
                    .by_kind
                    .get_mut(&list.kind)
                    .expect("every kind listed");
                for (total, per_kind, applies) in [
                    (&mut counts.assigned, &mut kind.assigned, true),
                    (
                        &mut counts.not_ready,
                        &mut kind.not_ready,
                        has_ready && !object.ready,
                    ),
                    (&mut counts.suspended, &mut kind.suspended, object.suspended),
                ] {
                    if applies {
                        *total += 1;
                        *per_kind += 1;
                    }
                }
            }
            match selecting.len() {
                0 if watched
                    .as_ref()
                    .is_some_and(|w| !w.contains(&object.namespace.as_str())) => {}
                0 => {
                    let value = object
                        .labels
                        .iter()
                        .find(|(k, _)| k == key)
                        .map_or(String::new(), |(_, v)| v.clone());
                    let entry = orphans.entry(value.clone()).or_insert_with(|| Orphaned {
                        key: value,
                        count: 0,
                        by_kind: BTreeMap::new(),
                        examples: Vec::new(),
                    });
                    entry.count += 1;
                    *entry.by_kind.entry(list.kind.clone()).or_default() += 1;
                    entry.examples.push(shown(object));
                }
                1 => {}
                _ => {
                    let at = match overlaps.iter().position(|(set, _)| *set == selecting) {
                        Some(at) => at,
                        None => {
                            let deployments =
                                selecting.iter().map(|&i| rows[i].name.clone()).collect();
                            overlaps.push((
                                selecting.clone(),
                                Overlap {
                                    deployments,
                                    count: 0,
                                    by_kind: BTreeMap::new(),
                                    examples: Vec::new(),
                                },
                            ));
                            overlaps.len() - 1
                        }
                    };
                    let o = &mut overlaps[at].1;
                    o.count += 1;
                    *o.by_kind.entry(list.kind.clone()).or_default() += 1;
                    o.examples.push(shown(object));
                }
            }
        }
    }
    let mut overlaps: Vec<(Vec<usize>, Overlap)> = overlaps
        .into_iter()
        .map(|(set, mut o)| {
            crate::sort::sort_by(&mut o.examples, |a, b| a.cmp(b));
            o.examples.truncate(ORPHAN_EXAMPLES);
            (set, o)
        })
        .collect();
    crate::sort::sort_by(&mut overlaps, |a, b| a.0.cmp(&b.0));
    for (set, o) in &overlaps {
        for &i in set {
            let others: Vec<&str> = o
                .deployments
                .iter()
                .filter(|d| **d != rows[i].name)
                .map(String::as_str)
                .collect();
            let n = o.count;
            rows[i].findings.push((
                Flag::Overlapping,
                format!(
                    "{n} object{} it selects {} also selected by {}, so {} reconciled twice (e.g. {})",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" },
                    others.join(" and "),
                    if n == 1 { "it is" } else { "they are" },
                    o.examples.join(", ")
                ),
            ));
        }
    }
    Assigned {
        orphaned: orphans
            .into_values()
            .map(|mut o| {
                crate::sort::sort_by(&mut o.examples, |a, b| a.cmp(b));
                o.examples.truncate(ORPHAN_EXAMPLES);
                o
            })
            .collect(),
        overlaps: overlaps.into_iter().map(|(_, o)| o).collect(),
    }
}

/// The largest shard's part over the mean, for objects and for reconciliations.
pub fn balance(rows: &[DeploymentMetrics]) -> Balance {
    let shards: Vec<&DeploymentMetrics> = rows
        .iter()
        .filter(|r| r.role == Role::Shard && r.found)
        .collect();
    let skew = |values: Vec<f64>| -> Option<f64> {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let max = values.iter().copied().fold(f64::MIN, f64::max);
        (mean > 0.0 && !values.is_empty()).then(|| max / mean)
    };
    let objects: Option<Vec<f64>> = shards
        .iter()
        .map(|r| r.objects.as_ref().map(|o| f64::from(o.assigned)))
        .collect();
    Balance {
        objects: objects.and_then(skew),
        reconciliations: skew(shards.iter().map(|r| r.counts.reconciliations).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(shard: Option<&str>, reconciliations: f64, assigned: Option<u32>) -> DeploymentMetrics {
        let role = if shard.is_some() {
            Role::Shard
        } else {
            Role::Source
        };
        let mut r = DeploymentMetrics::new("x", "ns", role, shard.map(String::from), true);
        r.found = true;
        r.counts.reconciliations = reconciliations;
        r.objects = assigned.map(|assigned| ObjectCounts {
            assigned,
            ..ObjectCounts::default()
        });
        r
    }

    #[test]
    fn balance_is_max_over_mean_over_the_shards() {
        let rows = [
            row(None, 1000.0, Some(70)),
            row(Some("a"), 30.0, Some(10)),
            row(Some("b"), 10.0, Some(30)),
            row(Some("c"), 20.0, Some(20)),
        ];
        let b = balance(&rows);
        assert_eq!(b.objects, Some(1.5));
        assert_eq!(b.reconciliations, Some(1.5));
        assert_eq!(balance(&[row(Some("a"), 0.0, None)]), Balance::default());
    }

    const KEY: &str = "sharding.fluxcd.io/key";

    fn object(name: &str, key: Option<&str>, ready: bool, suspended: bool) -> FluxObject {
        FluxObject {
            namespace: "ns".into(),
            name: name.into(),
            key: key.map(String::from),
            labels: key
                .map(|k| vec![(KEY.to_string(), k.to_string())])
                .unwrap_or_default(),
            ready,
            suspended,
            ..FluxObject::default()
        }
    }

    fn selectors(texts: &[&str]) -> Vec<Selection> {
        texts
            .iter()
            .map(|t| Selection::everywhere(crate::kube::Selector::parse(t).unwrap()))
            .collect()
    }

    #[test]
    fn not_ready_and_suspended_per_kind_and_examples_sorted() {
        let mut rows = [row(None, 0.0, None), row(Some("a"), 0.0, None)];
        let lists = [
            KindObjects::new(
                "Kustomization",
                vec![
                    object("k1", Some("a"), false, true),
                    object("k2", Some("a"), true, false),
                ],
            ),
            KindObjects::new(
                "HelmRelease",
                (0..8)
                    .rev()
                    .map(|i| object(&format!("h{i}"), Some("gone"), true, false))
                    .collect(),
            ),
        ];
        let found = assign(
            &mut rows,
            &selectors(&["!sharding.fluxcd.io/key", "sharding.fluxcd.io/key=a"]),
            KEY,
            &lists,
            &["Bucket".to_string()],
        );
        let a = rows[1].objects.as_ref().unwrap();
        assert_eq!((a.assigned, a.not_ready, a.suspended), (2, 1, 1));
        assert_eq!(a.by_kind["HelmRelease"], KindCounts::default());
        assert_eq!(a.unread, ["Bucket"]);
        let orphaned = found.orphaned;
        assert_eq!(orphaned.len(), 1);
        assert_eq!(orphaned[0].count, 8);
        assert_eq!(
            orphaned[0].examples,
            ["ns/h0", "ns/h1", "ns/h2", "ns/h3", "ns/h4"]
        );
        assert!(found.overlaps.is_empty());
    }

    /// The legacy `notin` main takes the objects whose key names no shard; `!key` leaves them to nobody.
    #[test]
    fn notin_takes_unknown_keys_and_overlaps_are_named() {
        let lists = [KindObjects::new(
            "HelmRelease",
            vec![
                object("free", None, true, false),
                object("x", Some("shard9"), true, false),
                object("y", Some("b"), true, false),
            ],
        )];
        let mut rows = [
            row(None, 0.0, None),
            row(Some("a"), 0.0, None),
            row(Some("b"), 0.0, None),
        ];
        rows[0].name = "helm-controller".into();
        rows[1].name = "helm-controller-a".into();
        rows[2].name = "helm-controller-b".into();
        // The main's legacy selector leaves out shard a only: b's object is reconciled twice.
        let found = assign(
            &mut rows,
            &selectors(&[
                "sharding.fluxcd.io/key notin (a)",
                "sharding.fluxcd.io/key=a",
                "sharding.fluxcd.io/key in (b)",
            ]),
            KEY,
            &lists,
            &[],
        );
        assert!(found.orphaned.is_empty());
        assert_eq!(rows[0].objects.as_ref().unwrap().assigned, 3);
        assert_eq!(found.overlaps.len(), 1);
        let o = &found.overlaps[0];
        assert_eq!(
            (o.deployments.clone(), o.count, o.examples.clone()),
            (
                vec![
                    "helm-controller".to_string(),
                    "helm-controller-b".to_string()
                ],
                1,
                vec!["ns/y".to_string()]
            )
        );
        assert_eq!(rows[2].findings, [(Flag::Overlapping, "1 object it selects is also selected by helm-controller, so it is reconciled twice (e.g. ns/y)".to_string())]);
        assert!(rows[1].findings.is_empty());
        let mut rows = [row(None, 0.0, None), row(Some("a"), 0.0, None)];
        let found = assign(
            &mut rows,
            &selectors(&["!sharding.fluxcd.io/key", "sharding.fluxcd.io/key=a"]),
            KEY,
            &lists,
            &[],
        );
        assert_eq!(
            found
                .orphaned
                .iter()
                .map(|o| o.key.as_str())
                .collect::<Vec<_>>(),
            ["b", "shard9"]
        );
    }
}
