//! Which objects each row is assigned: objects without `sharding.fluxcd.io/key`
//! belong to the source, objects with a key to the shard of that name, and
//! objects whose key names no shard are orphaned — reconciled by nobody.

use std::collections::BTreeMap;

use crate::kube::FluxObject;
use crate::report::{Balance, DeploymentMetrics, KindCounts, ObjectCounts, Orphaned, Role};

/// How many orphaned objects are named per key.
pub const ORPHAN_EXAMPLES: usize = 5;

/// The objects of one kind, as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct KindObjects {
    /// The kind (`GitRepository`).
    pub kind: String,
    /// Every object of that kind, cluster-wide.
    pub objects: Vec<FluxObject>,
}

/// Sets each row's `objects` from the lists read (`unread`: kinds whose list
/// failed) and returns the orphaned objects by key. Rows keep `objects: null`
/// when no kind could be read.
///
/// ```
/// use flux_shard_metrics::assignment::{assign, KindObjects};
/// use flux_shard_metrics::kube::FluxObject;
/// use flux_shard_metrics::report::{DeploymentMetrics, Role};
/// let mut rows = vec![
///     DeploymentMetrics::new("source-controller", "flux-system", Role::Source, None, true),
///     DeploymentMetrics::new("source-controller-shard1", "flux-system", Role::Shard, Some("shard1".into()), true),
/// ];
/// let object = |name: &str, key: Option<&str>| FluxObject { namespace: "apps".into(), name: name.into(), key: key.map(String::from), ready: true, suspended: false };
/// let lists = [KindObjects { kind: "GitRepository".into(), objects: vec![object("a", None), object("b", Some("shard1")), object("c", Some("shard9"))] }];
/// let orphaned = assign(&mut rows, &lists, &[]);
/// assert_eq!(rows[0].objects.as_ref().unwrap().assigned, 1);
/// assert_eq!(rows[1].objects.as_ref().unwrap().assigned, 1);
/// assert_eq!((orphaned[0].key.as_str(), orphaned[0].count, orphaned[0].examples[0].as_str()), ("shard9", 1, "apps/c"));
/// ```
pub fn assign(
    rows: &mut [DeploymentMetrics],
    lists: &[KindObjects],
    unread: &[String],
) -> Vec<Orphaned> {
    if lists.is_empty() {
        return Vec::new();
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
    let mut orphans: BTreeMap<String, Orphaned> = BTreeMap::new();
    for list in lists {
        for object in &list.objects {
            let row = rows.iter_mut().find(|r| match (&object.key, r.role) {
                (None, Role::Source) => true,
                (Some(key), Role::Shard) => r.shard.as_deref() == Some(key.as_str()),
                _ => false,
            });
            match (row, &object.key) {
                (Some(row), _) => {
                    let counts = row.objects.as_mut().expect("set above");
                    let kind = counts
                        .by_kind
                        .get_mut(&list.kind)
                        .expect("every kind listed");
                    for (total, per_kind, applies) in [
                        (&mut counts.assigned, &mut kind.assigned, true),
                        (&mut counts.not_ready, &mut kind.not_ready, !object.ready),
                        (&mut counts.suspended, &mut kind.suspended, object.suspended),
                    ] {
                        if applies {
                            *total += 1;
                            *per_kind += 1;
                        }
                    }
                }
                (None, Some(key)) => {
                    let entry = orphans.entry(key.clone()).or_insert_with(|| Orphaned {
                        key: key.clone(),
                        count: 0,
                        by_kind: BTreeMap::new(),
                        examples: Vec::new(),
                    });
                    entry.count += 1;
                    *entry.by_kind.entry(list.kind.clone()).or_default() += 1;
                    entry.examples.push(if object.namespace.is_empty() {
                        object.name.clone()
                    } else {
                        format!("{}/{}", object.namespace, object.name)
                    });
                }
                // No source row to take unlabelled objects: cannot happen, the source is always row 0.
                (None, None) => {}
            }
        }
    }
    orphans
        .into_values()
        .map(|mut o| {
            crate::sort::sort_by(&mut o.examples, |a, b| a.cmp(b));
            o.examples.truncate(ORPHAN_EXAMPLES);
            o
        })
        .collect()
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

    #[test]
    fn not_ready_and_suspended_per_kind_and_examples_sorted() {
        let mut rows = [row(None, 0.0, None), row(Some("a"), 0.0, None)];
        let o = |name: &str, key: Option<&str>, ready: bool, suspended: bool| FluxObject {
            namespace: "ns".into(),
            name: name.into(),
            key: key.map(String::from),
            ready,
            suspended,
        };
        let lists = [
            KindObjects {
                kind: "Kustomization".into(),
                objects: vec![
                    o("k1", Some("a"), false, true),
                    o("k2", Some("a"), true, false),
                ],
            },
            KindObjects {
                kind: "HelmRelease".into(),
                objects: (0..8)
                    .rev()
                    .map(|i| o(&format!("h{i}"), Some("gone"), true, false))
                    .collect(),
            },
        ];
        let orphaned = assign(&mut rows, &lists, &["Bucket".to_string()]);
        let a = rows[1].objects.as_ref().unwrap();
        assert_eq!((a.assigned, a.not_ready, a.suspended), (2, 1, 1));
        assert_eq!(a.by_kind["HelmRelease"], KindCounts::default());
        assert_eq!(a.unread, ["Bucket"]);
        assert_eq!(orphaned.len(), 1);
        assert_eq!(orphaned[0].count, 8);
        assert_eq!(
            orphaned[0].examples,
            ["ns/h0", "ns/h1", "ns/h2", "ns/h3", "ns/h4"]
        );
    }
}
