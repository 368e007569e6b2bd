//! API discovery: which resources the API server serves, read from one
//! aggregated discovery document (`/apis` as `APIGroupDiscoveryList`, Kubernetes
//! 1.26+) or, from older servers, from `/apis` and one `APIResourceList` per
//! group; and which resource a controller-runtime controller reconciles.

use super::flux::flux_kind;
use super::resource::Resource;
use crate::json::{FromJson, Json, Node};

/// The `Accept` header that asks `/apis` for aggregated discovery, with plain JSON as fallback.
pub const AGGREGATED_DISCOVERY: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

/// A resource the API server serves, at its group's preferred version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// Group, version, plural and kind.
    pub resource: Resource,
    /// Whether its objects live in namespaces.
    pub namespaced: bool,
}

/// What `/apis` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApisDocument {
    /// Aggregated discovery: every resource of every group.
    Aggregated(Vec<Served>),
    /// A plain `APIGroupList`: each group and its versions, preferred first; resources need one more request per group version.
    Groups(Vec<(String, Vec<String>)>),
}

impl FromJson for ApisDocument {
    fn from_json(v: Node<'_>) -> Self {
        read_apis(v.value())
    }
}

/// Reads the answer of `/apis`.
pub fn read_apis(v: &Json<'_>) -> ApisDocument {
    let v = Node::new(v);
    if v.string("kind") == "APIGroupDiscoveryList" {
        let mut served: Vec<Served> = Vec::new();
        v.each("items", |group| {
            let name = group.child("metadata").string("name");
            // Versions are listed in order of preference; a resource is taken at the first version that serves it
            // (notification.toolkit.fluxcd.io prefers v1, which has Receivers, while Alerts are only in v1beta3).
            let first_of_group = served.len();
            group.each("versions", |version| {
                let version_name = version.string("version");
                version.each("resources", |r| {
                    let plural = r.string("resource");
                    if served[first_of_group..]
                        .iter()
                        .any(|s| s.resource.plural == plural)
                    {
                        return;
                    }
                    let kind = r.child("responseKind").string("kind");
                    served.push(Served {
                        resource: Resource::discovered(&name, &version_name, &plural, &kind),
                        namespaced: r.string("scope") != "Cluster",
                    });
                });
            });
        });
        return ApisDocument::Aggregated(served);
    }
    let mut groups = Vec::new();
    v.each("groups", |g| {
        let preferred = g.child("preferredVersion").string("version");
        let mut versions = vec![preferred];
        g.each("versions", |other| {
            let other = other.string("version");
            if !versions.contains(&other) {
                versions.push(other);
            }
        });
        versions.retain(|v| !v.is_empty());
        let name = g.string("name");
        if !name.is_empty() && !versions.is_empty() {
            groups.push((name, versions));
        }
    });
    ApisDocument::Groups(groups)
}

/// Reads an `APIResourceList` of `group`/`version` (subresources left out).
pub fn read_resource_list(v: &Json<'_>, group: &str, version: &str) -> Vec<Served> {
    let mut served = Vec::new();
    Node::new(v).each("resources", |r| {
        let name = r.string("name");
        if !name.contains('/') {
            served.push(Served {
                resource: Resource::discovered(group, version, &name, &r.string("kind")),
                namespaced: r.flag_or("namespaced", true),
            });
        }
    });
    served
}

/// The group versions worth asking for resources when aggregated discovery is
/// not available, preferred versions first: Flux's own groups when every
/// controller is one of Flux's, else all.
pub fn groups_to_read(
    groups: &[(String, Vec<String>)],
    controllers: &[String],
) -> Vec<(String, String)> {
    let flux_groups: Vec<&str> = controllers
        .iter()
        .filter_map(|c| flux_kind(c))
        .map(|k| k.group)
        .collect();
    let all_flux = flux_groups.len() == controllers.len();
    groups
        .iter()
        .filter(|(g, _)| !all_flux || flux_groups.contains(&g.as_str()))
        .flat_map(|(g, versions)| versions.iter().map(move |v| (g.clone(), v.clone())))
        .collect()
}

/// Which resource each controller reconciles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolution {
    /// `(controller, resource)`, in the order of the controllers.
    pub resources: Vec<(String, Resource)>,
    /// Controllers no served resource matches.
    pub unresolved: Vec<String>,
    /// Controllers several groups could match; the one chosen is said.
    pub ambiguous: Vec<String>,
}

/// Matches each controller name to the served resource of that kind
/// (controller-runtime names a controller by its kind in lower case). Flux's
/// own kinds resolve in Flux's groups; another kind served by several groups
/// resolves to the first group by name, and is reported.
///
/// ```
/// use flux_shard_metrics::kube::{resolve, Resource, Served};
/// let served = vec![
///     Served { resource: Resource::discovered("source.toolkit.fluxcd.io", "v1", "buckets", "Bucket"), namespaced: true },
///     Served { resource: Resource::discovered("s3.aws.example.com", "v1", "buckets", "Bucket"), namespaced: false },
/// ];
/// let r = resolve(&["bucket".to_string(), "certificate".to_string()], &served);
/// assert_eq!(r.resources[0].1.group, "source.toolkit.fluxcd.io");
/// assert_eq!(r.unresolved, ["certificate"]);
/// ```
pub fn resolve(controllers: &[String], served: &[Served]) -> Resolution {
    let mut out = Resolution::default();
    for controller in controllers {
        let mut candidates: Vec<&Served> = served
            .iter()
            .filter(|s| s.resource.kind.eq_ignore_ascii_case(controller))
            .collect();
        if let Some(flux) = flux_kind(controller) {
            if candidates.iter().any(|s| s.resource.group == flux.group) {
                candidates.retain(|s| s.resource.group == flux.group);
            }
        }
        crate::sort::sort_by(&mut candidates, |a, b| {
            a.resource.group.cmp(&b.resource.group)
        });
        match candidates.first() {
            None => out.unresolved.push(controller.clone()),
            Some(first) => {
                if candidates.len() > 1 {
                    out.ambiguous.push(controller.clone());
                }
                out.resources
                    .push((controller.clone(), first.resource.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn aggregated_and_plain_documents() {
        let aggregated = json!({"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "items": [
            {"metadata": {"name": "kustomize.toolkit.fluxcd.io"}, "versions": [
                {"version": "v1", "resources": [{"resource": "kustomizations", "responseKind": {"group": "kustomize.toolkit.fluxcd.io", "version": "v1", "kind": "Kustomization"}, "scope": "Namespaced", "subresources": [{"subresource": "status"}]}]},
                {"version": "v1beta2", "resources": []}
            ]}
        ]});
        let ApisDocument::Aggregated(served) = read_apis(&Json::from(&aggregated)) else {
            panic!("aggregated")
        };
        assert_eq!(served.len(), 1);
        assert_eq!(
            served[0].resource.list_path(None),
            "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations"
        );
        let plain = json!({"kind": "APIGroupList", "groups": [{"name": "apps", "versions": [{"version": "v1beta1"}, {"version": "v1"}], "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}]});
        assert_eq!(
            read_apis(&Json::from(&plain)),
            ApisDocument::Groups(vec![("apps".into(), vec!["v1".into(), "v1beta1".into()])])
        );
        let list = json!({"kind": "APIResourceList", "groupVersion": "apps/v1", "resources": [
            {"name": "deployments", "kind": "Deployment", "namespaced": true},
            {"name": "deployments/scale", "kind": "Scale", "namespaced": true}
        ]});
        assert_eq!(
            read_resource_list(&Json::from(&list), "apps", "v1").len(),
            1
        );
    }

    #[test]
    fn groups_to_read_narrow_to_flux_when_they_can() {
        let groups = vec![
            ("apps".to_string(), vec!["v1".to_string()]),
            (
                "source.toolkit.fluxcd.io".to_string(),
                vec!["v1".to_string(), "v1beta2".to_string()],
            ),
        ];
        assert_eq!(groups_to_read(&groups, &["gitrepository".into()]).len(), 2);
        assert_eq!(
            groups_to_read(&groups, &["gitrepository".into(), "widget".into()]).len(),
            3
        );
    }

    #[test]
    fn a_resource_is_taken_at_the_first_version_that_serves_it() {
        let doc = json!({"kind": "APIGroupDiscoveryList", "items": [{"metadata": {"name": "notification.toolkit.fluxcd.io"}, "versions": [
            {"version": "v1", "resources": [{"resource": "receivers", "responseKind": {"kind": "Receiver"}}]},
            {"version": "v1beta3", "resources": [{"resource": "receivers", "responseKind": {"kind": "Receiver"}}, {"resource": "alerts", "responseKind": {"kind": "Alert"}}]}
        ]}]});
        let ApisDocument::Aggregated(served) = read_apis(&Json::from(&doc)) else {
            panic!("aggregated")
        };
        let paths: Vec<String> = served.iter().map(|s| s.resource.list_path(None)).collect();
        assert_eq!(
            paths,
            [
                "/apis/notification.toolkit.fluxcd.io/v1/receivers",
                "/apis/notification.toolkit.fluxcd.io/v1beta3/alerts"
            ]
        );
    }
}
