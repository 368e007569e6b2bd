//! Dependencies split across shards: an object whose dependency is reconciled
//! by another Deployment than the one that needs it, or by nobody. A shard's
//! cache holds only its own objects, so a HelmChart on one source-controller
//! shard cannot find a HelmRepository on another (NotFound,
//! source-controller#2114), an ImagePolicy never becomes Ready beside an
//! ImageRepository elsewhere (image-reflector-controller#365), and the HelmChart
//! helm-controller makes for a HelmRelease carries only the labels of
//! `.spec.chart.metadata.labels`, so a keyed HelmRelease's chart is reconciled
//! by the main source-controller (helm-controller#658). Pure: no I/O.

use std::collections::BTreeMap;

use crate::assignment::KindObjects;
use crate::kube::{FluxObject, Selection};
use crate::report::{ObjectRef, SplitDependency};

/// The Deployments of a group, with what each selects.
#[derive(Debug, Clone, Copy)]
pub struct Reconcilers<'g> {
    /// Row names, in the group's order.
    pub names: &'g [String],
    /// What each selects.
    pub selections: &'g [Selection],
    /// The group's sharding key.
    pub key: &'g str,
}

impl Reconcilers<'_> {
    /// The Deployments that select an object of `namespace` with these labels.
    fn of(&self, namespace: &str, labels: &[(String, String)]) -> Vec<&str> {
        self.names
            .iter()
            .zip(self.selections)
            .filter(|(_, s)| s.selects(namespace, labels))
            .map(|(n, _)| n.as_str())
            .collect()
    }

    fn key_of(&self, labels: &[(String, String)]) -> Option<String> {
        labels
            .iter()
            .find(|(k, _)| k == self.key)
            .map(|(_, v)| v.clone())
    }
}

fn who(names: &[&str]) -> String {
    match names {
        [] => "nobody".to_string(),
        _ => names.join(" and "),
    }
}

/// The objects of some lists, found by kind, namespace and name in `O(log n)`: each kind indexed when
/// first asked for (a group's lists can hold tens of thousands of objects, and every HelmChart,
/// ImagePolicy and HelmRelease asks once). The first of two objects with one name wins.
struct Finder<'l> {
    lists: &'l [KindObjects],
    by_kind: Vec<(String, ByName<'l>)>,
}

/// A kind's objects by namespace and name.
type ByName<'l> = BTreeMap<(&'l str, &'l str), &'l FluxObject>;

impl<'l> Finder<'l> {
    fn new(lists: &'l [KindObjects]) -> Self {
        Finder {
            lists,
            by_kind: Vec::new(),
        }
    }

    fn find(&mut self, kind: &str, namespace: &str, name: &str) -> Option<&'l FluxObject> {
        let at = match self.by_kind.iter().position(|(k, _)| *k == kind) {
            Some(at) => at,
            None => {
                let mut index = BTreeMap::new();
                for list in self.lists.iter().filter(|l| l.kind == kind) {
                    for o in &list.objects {
                        index
                            .entry((o.namespace.as_str(), o.name.as_str()))
                            .or_insert(&**o);
                    }
                }
                self.by_kind.push((kind.to_string(), index));
                self.by_kind.len() - 1
            }
        };
        self.by_kind[at].1.get(&(namespace, name)).copied()
    }
}

/// The split dependencies among the objects of a group's own kinds (`lists`): HelmCharts and
/// their sources, ImagePolicies and their ImageRepositories. `helm` adds, for a helm-controller
/// group, the HelmReleases whose HelmChart (in `charts`, else as `.spec.chart.metadata.labels`
/// would make it) is not reconciled by the source-controller shard of its key (`source`).
///
/// ```
/// use flux_shard_metrics::assignment::KindObjects;
/// use flux_shard_metrics::dependencies::{split_dependencies, Reconcilers};
/// use flux_shard_metrics::kube::{FluxObject, Refs, Selection, Selector};
/// let key = "sharding.fluxcd.io/key";
/// let o = |name: &str, shard: &str, refs: Refs| FluxObject { namespace: "apps".into(), name: name.into(),
///     labels: vec![(key.to_string(), shard.to_string())], refs, ..FluxObject::default() };
/// let chart = o("podinfo", "shard1", Refs { source: Some(("HelmRepository".into(), "charts".into(), String::new())), ..Refs::default() });
/// let lists = [KindObjects::new("HelmChart", vec![chart]),
///              KindObjects::new("HelmRepository", vec![o("charts", "shard2", Refs::default())])];
/// let names = ["source-controller-shard1".to_string(), "source-controller-shard2".to_string()];
/// let selections = ["sharding.fluxcd.io/key=shard1", "sharding.fluxcd.io/key=shard2"].map(|s| Selection::everywhere(Selector::parse(s).unwrap()));
/// let split = split_dependencies(&lists, Reconcilers { names: &names, selections: &selections, key }, None);
/// assert_eq!(split[0].reason, "HelmChart apps/podinfo is reconciled by source-controller-shard1, but its HelmRepository apps/charts by source-controller-shard2, whose objects a shard's cache does not hold: it is never found (NotFound, source-controller#2114)");
/// ```
pub fn split_dependencies(
    lists: &[KindObjects],
    own: Reconcilers<'_>,
    helm: Option<(Reconcilers<'_>, &[KindObjects])>,
) -> Vec<SplitDependency> {
    let mut out = Vec::new();
    let mut objects = Finder::new(lists);
    let mut charts = helm.map(|(source, charts)| (source, Finder::new(charts)));
    for list in lists {
        for o in &list.objects {
            let (dep_kind, dep_name, dep_ns, issue) = match (list.kind.as_str(), &o.refs) {
                ("HelmChart", refs) => match &refs.source {
                    Some((kind, name, ns)) => (
                        kind.clone(),
                        name.clone(),
                        ns.clone(),
                        "NotFound, source-controller#2114",
                    ),
                    None => continue,
                },
                ("ImagePolicy", refs) => match &refs.image_repository {
                    Some((name, ns)) => (
                        "ImageRepository".to_string(),
                        name.clone(),
                        ns.clone(),
                        "never Ready, image-reflector-controller#365",
                    ),
                    None => continue,
                },
                ("HelmRelease", _) => {
                    if let Some((source, charts)) = &mut charts {
                        out.extend(chart_split(o, own.key, *source, charts));
                    }
                    continue;
                }
                _ => continue,
            };
            let dep_ns = if dep_ns.is_empty() {
                o.namespace.clone()
            } else {
                dep_ns
            };
            let Some(dep) = objects.find(&dep_kind, &dep_ns, &dep_name) else {
                continue;
            };
            let (mine, theirs) = (
                own.of(&o.namespace, &o.labels),
                own.of(&dep.namespace, &dep.labels),
            );
            if mine.is_empty() || mine == theirs {
                continue;
            }
            out.push(SplitDependency {
                kind: list.kind.clone(),
                namespace: o.namespace.clone(),
                name: o.name.clone(),
                key: own.key_of(&o.labels),
                dependency: ObjectRef {
                    kind: dep_kind.clone(),
                    namespace: dep_ns.clone(),
                    name: dep_name.clone(),
                    key: own.key_of(&dep.labels),
                },
                reason: format!(
                    "{} {}/{} is reconciled by {}, but its {dep_kind} {dep_ns}/{dep_name} by {}, whose objects a shard's cache does not hold: it is never found ({issue})",
                    list.kind,
                    o.namespace,
                    o.name,
                    who(&mine),
                    who(&theirs)
                ),
            });
        }
    }
    crate::sort::sort_by(&mut out, |a, b| {
        (a.kind.as_str(), a.namespace.as_str(), a.name.as_str()).cmp(&(
            b.kind.as_str(),
            b.namespace.as_str(),
            b.name.as_str(),
        ))
    });
    out
}

/// A keyed HelmRelease whose HelmChart is not reconciled by the source-controller shard of its key.
fn chart_split(
    hr: &FluxObject,
    key: &str,
    source: Reconcilers<'_>,
    charts: &mut Finder<'_>,
) -> Option<SplitDependency> {
    let (source_ns, template) = hr.refs.chart.as_ref()?;
    let shard = hr
        .labels
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())?;
    // The source-controller Deployment that reconciles what carries this key, if it is sharded so.
    let namespace = if source_ns.is_empty() {
        hr.namespace.clone()
    } else {
        source_ns.clone()
    };
    let keyed = [(source.key.to_string(), shard.clone())];
    let meant = source.of(&namespace, &keyed);
    if meant.is_empty() || meant == source.of(&namespace, &[]) {
        return None;
    }
    let name = format!("{}-{}", hr.namespace, hr.name);
    let labels = charts
        .find("HelmChart", &namespace, &name)
        .map_or(template.as_slice(), |c| c.labels.as_slice());
    let actual = source.of(&namespace, labels);
    if actual == meant {
        return None;
    }
    Some(SplitDependency {
        kind: "HelmRelease".into(),
        namespace: hr.namespace.clone(),
        name: hr.name.clone(),
        key: Some(shard.clone()),
        dependency: ObjectRef {
            kind: "HelmChart".into(),
            namespace: namespace.clone(),
            name: name.clone(),
            key: source.key_of(labels),
        },
        reason: format!(
            "HelmRelease {}/{} carries {key}={shard}, but its HelmChart {namespace}/{name} does not (a HelmChart gets only the labels of .spec.chart.metadata.labels): {} reconciles it, not {} (helm-controller#658)",
            hr.namespace,
            hr.name,
            who(&actual),
            who(&meant)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::{Refs, Selector};

    const KEY: &str = "sharding.fluxcd.io/key";

    fn object(name: &str, shard: &str, refs: Refs) -> FluxObject {
        FluxObject {
            namespace: "apps".into(),
            name: name.into(),
            labels: vec![(KEY.to_string(), shard.to_string())],
            refs,
            ..FluxObject::default()
        }
    }

    fn chart(name: &str, shard: &str, kind: &str, source: &str) -> FluxObject {
        let source = Some((kind.to_string(), source.to_string(), String::new()));
        object(
            name,
            shard,
            Refs {
                source,
                ..Refs::default()
            },
        )
    }

    #[test]
    fn each_chart_finds_its_own_source_among_many_and_a_missing_kind_finds_nothing() {
        // 2,000 HelmRepositories; each chart points at one by name, on the other shard for odd ones.
        let repos: Vec<FluxObject> = (0..2000)
            .map(|i| {
                object(
                    &format!("repo-{i}"),
                    if i % 2 == 0 { "shard1" } else { "shard2" },
                    Refs::default(),
                )
            })
            .collect();
        let mut charts: Vec<FluxObject> = (0..2000)
            .map(|i| {
                chart(
                    &format!("chart-{i}"),
                    "shard1",
                    "HelmRepository",
                    &format!("repo-{i}"),
                )
            })
            .collect();
        // A source of a kind the group has no list of, and one of a name that does not exist.
        charts.push(chart("bucketed", "shard1", "Bucket", "repo-1"));
        charts.push(chart("dangling", "shard1", "HelmRepository", "repo-none"));
        let lists = [
            KindObjects::new("HelmChart", charts),
            KindObjects::new("HelmRepository", repos),
        ];
        let names = ["s1".to_string(), "s2".to_string()];
        let selections = [format!("{KEY}=shard1"), format!("{KEY}=shard2")]
            .map(|s| Selection::everywhere(Selector::parse(&s).unwrap()));
        let own = Reconcilers {
            names: &names,
            selections: &selections,
            key: KEY,
        };
        let split = split_dependencies(&lists, own, None);
        assert_eq!(split.len(), 1000);
        assert!(split.iter().all(|s| {
            let i: usize = s.name["chart-".len()..].parse().unwrap();
            i % 2 == 1
                && s.dependency.name == format!("repo-{i}")
                && s.dependency.key.as_deref() == Some("shard2")
        }));
    }

    #[test]
    fn the_first_of_two_objects_of_one_name_is_found() {
        let lists = [KindObjects::new(
            "HelmRepository",
            vec![
                object("twin", "shard1", Refs::default()),
                object("twin", "shard2", Refs::default()),
            ],
        )];
        let mut finder = Finder::new(&lists);
        let found = finder.find("HelmRepository", "apps", "twin").unwrap();
        assert_eq!(found.labels[0].1, "shard1");
        assert!(finder.find("HelmRepository", "other", "twin").is_none());
        assert!(finder.find("Bucket", "apps", "twin").is_none());
        assert!(finder.find("Bucket", "apps", "twin").is_none());
        assert_eq!(
            finder.by_kind.len(),
            2,
            "a kind is indexed once, found or not"
        );
    }
}
