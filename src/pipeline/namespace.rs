//! What the shard set's namespace holds: its Deployments, then the
//! ReplicaSets and Pods that carry the labels every Deployment of the set
//! selects (shard Deployments copy the source's labels, so the source's
//! `matchLabels` select every shard's pods too; owner references then tell
//! them apart). Every list is read page by page, and the fields read are
//! checked for their JSON types.

use serde_json::Value;

use crate::json::{read_checked, FromJson, Node};
use crate::kube::{Deployment, Pod, ReplicaSet, Resource};
use crate::transport::{list_selected, FetchError, Transport};

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
fn read<T: FromJson>(items: Vec<Value>, issues: &mut Vec<ShapeIssues>) -> Vec<T> {
    items
        .iter()
        .map(|item| {
            let (read, found) = read_checked::<T>(item);
            if !found.is_empty() {
                let name = item
                    .get("metadata")
                    .and_then(|m| m.get("name"))
                    .and_then(Value::as_str)
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

/// The `matchLabels` that every Deployment of `names` has: a selector safe
/// for all of their pods. `None` when they share none (or none exists): then
/// everything is listed.
fn common_selector(deployments: &[Deployment], names: &[&str]) -> Option<String> {
    let mut ours = deployments
        .iter()
        .filter(|d| names.contains(&d.metadata.name.as_str()));
    let first = ours.next()?;
    let mut common = first.spec.match_labels.clone();
    for d in ours {
        common.retain(|pair| d.spec.match_labels.contains(pair));
    }
    if common.is_empty() {
        return None;
    }
    crate::sort::sort_by(&mut common, |a, b| a.0.cmp(&b.0));
    let parts: Vec<String> = common.iter().map(|(k, v)| format!("{k}={v}")).collect();
    Some(parts.join(","))
}

/// Lists the namespace's Deployments, then the ReplicaSets and Pods of the
/// Deployments named `rows` (selected by their common labels).
pub(crate) async fn read_namespace<T: Transport>(
    transport: &T,
    namespace: &str,
    rows: &[&str],
) -> Result<Namespace, FetchError> {
    let ns = Some(namespace);
    let list = |r: &Resource| (r.list_path(ns), r.permission("list", ns));
    let (path, permission) = list(&Resource::DEPLOYMENTS);
    let mut deployment_issues = Vec::new();
    let raw: Vec<Value> = list_selected(transport, &path, None, &permission).await?;
    let deployments: Vec<Deployment> = read(raw, &mut deployment_issues);
    deployment_issues.retain(|i| rows.contains(&i.name.as_str()));
    let selector = common_selector(&deployments, rows);
    let (rs_path, rs_permission) = list(&Resource::REPLICA_SETS);
    let (pod_path, pod_permission) = list(&Resource::PODS);
    let (replica_sets, pods) = futures::future::join(
        list_selected::<_, Value>(transport, &rs_path, selector.as_deref(), &rs_permission),
        list_selected::<_, Value>(transport, &pod_path, selector.as_deref(), &pod_permission),
    )
    .await;
    let mut pod_issues = Vec::new();
    Ok(Namespace {
        replica_sets: replica_sets?
            .iter()
            .map(|rs| ReplicaSet::from_json(Node::new(rs)))
            .collect(),
        pods: read(pods?, &mut pod_issues),
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
        assert_eq!(common_selector(&ds, &["src", "other"]), None);
        assert_eq!(common_selector(&ds, &["missing"]), None);
    }
}
