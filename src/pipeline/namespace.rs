//! What the group's namespace holds: its Deployments, then the ReplicaSets and
//! Pods that carry the labels every Deployment of the group selects (a
//! FluxShardSet's shard Deployments copy the source's labels, so the source's
//! `matchLabels` select every shard's pods too; the Flux Operator's have an `app`
//! each; owner references then tell them apart). Every list is read page by page, and the fields read are
//! checked for their JSON types.

use super::lister::Lister;
use crate::json::{read_checked, FromJson, Json, Node};
use crate::kube::{Deployment, Pod, ReplicaSet};
use crate::transport::{FetchError, Transport};

/// An object whose fields had the wrong JSON type: its name and what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShapeIssues {
    pub name: String,
    pub issues: Vec<String>,
}

/// The namespace's objects that matter for the shard set.
pub(crate) struct Namespace {
    pub deployments: Vec<Deployment>,
    pub replica_sets: Vec<ReplicaSet>,
    pub pods: Vec<Pod>,
    pub deployment_issues: Vec<ShapeIssues>,
    pub pod_issues: Vec<ShapeIssues>,
}

/// Reads `items` as `T`, noting each object's fields of another JSON type than its reader declares.
fn read<T: FromJson>(items: Vec<Json<'static>>, issues: &mut Vec<ShapeIssues>) -> Vec<T> {
    items
        .iter()
        .map(|item| {
            let (read, found) = read_checked::<T>(item);
            if !found.is_empty() {
                let name = item
                    .get("metadata")
                    .and_then(|m| m.get("name"))
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string();
                issues.push(ShapeIssues {
                    name,
                    issues: found,
                });
            }
            read
        })
        .collect()
}

/// A selector that selects the pods of every Deployment of `names`: for each label every one of
/// them selects by (`matchLabels`), the value, or the values (`app in (source-controller,
/// source-controller-shard1)`: the Flux Operator's shards have their own `app`). `None` when they
/// share no label (or none exists): then everything is listed.
fn common_selector(deployments: &[Deployment], names: &[&str]) -> Option<String> {
    let ours: Vec<&Deployment> = deployments
        .iter()
        .filter(|d| names.contains(&d.metadata.name.as_str()))
        .collect();
    let first = ours.first()?;
    let mut parts = Vec::new();
    let mut keys: Vec<&String> = first.spec.match_labels.iter().map(|(k, _)| k).collect();
    crate::sort::sort_by(&mut keys, |a, b| a.cmp(b));
    for key in keys {
        let mut values: Vec<&str> = Vec::new();
        for d in &ours {
            match d.spec.match_labels.iter().find(|(k, _)| k == key) {
                Some((_, v)) if !values.contains(&v.as_str()) => values.push(v),
                Some(_) => {}
                None => {
                    values.clear();
                    break;
                }
            }
        }
        crate::sort::sort_by(&mut values, |a, b| a.cmp(b));
        match values.as_slice() {
            [] => {}
            [one] => parts.push(format!("{key}={one}")),
            many => parts.push(format!("{key} in ({})", many.join(","))),
        }
    }
    (!parts.is_empty()).then(|| parts.join(","))
}

/// The ReplicaSets and Pods of the Deployments named `rows` (selected by their common labels),
/// beside the namespace's `deployments`, from `lister`.
pub(crate) async fn read_pods_of<L: Lister, T: Transport>(
    lister: &L,
    transport: &T,
    namespace: &str,
    (deployments, mut deployment_issues): (Vec<Deployment>, Vec<ShapeIssues>),
    rows: &[&str],
) -> Result<Namespace, FetchError> {
    deployment_issues.retain(|i| rows.contains(&i.name.as_str()));
    let selector = common_selector(&deployments, rows);
    let (replica_sets, pods) = lister
        .replica_sets_and_pods(transport, namespace, selector.as_deref())
        .await?;
    let mut pod_issues = Vec::new();
    Ok(Namespace {
        replica_sets: replica_sets
            .iter()
            .map(|rs| ReplicaSet::from_json(Node::new(rs)))
            .collect(),
        pods: read(pods, &mut pod_issues),
        deployments,
        deployment_issues,
        pod_issues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(name: &str, labels: &[(&str, &str)]) -> Deployment {
        let mut d = Deployment::default();
        d.metadata.name = name.into();
        d.spec.match_labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        d
    }

    #[test]
    fn the_selector_is_what_every_row_selects() {
        let ds = [
            deployment("src", &[("app", "source-controller")]),
            deployment(
                "src-a",
                &[
                    ("app", "source-controller"),
                    ("templates.weave.works/shard", "a"),
                ],
            ),
            deployment("other", &[("app", "other")]),
        ];
        assert_eq!(
            common_selector(&ds, &["src", "src-a"]).as_deref(),
            Some("app=source-controller")
        );
        // Their own `app` each (the Flux Operator's shards): both values.
        assert_eq!(
            common_selector(&ds, &["src", "other"]).as_deref(),
            Some("app in (other,source-controller)")
        );
        assert_eq!(common_selector(&ds, &["missing"]), None);
    }
}
