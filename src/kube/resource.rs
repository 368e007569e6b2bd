//! The Kubernetes resources this crate reads: for each one its group,
//! version and plural, so that a request path and the RBAC permission named
//! when the API server answers 403 come from the same place.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// A resource type of the Kubernetes API (`deployments.apps/v1`, `pods/v1`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// API group; `""` for the core group.
    pub group: Cow<'static, str>,
    /// API version (`v1`, `v1alpha1`).
    pub version: Cow<'static, str>,
    /// The plural name used in paths and in RBAC rules (`deployments`).
    pub plural: Cow<'static, str>,
    /// The kind of its objects (`Deployment`).
    pub kind: Cow<'static, str>,
}

const fn fixed(
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    kind: &'static str,
) -> Resource {
    Resource {
        group: Cow::Borrowed(group),
        version: Cow::Borrowed(version),
        plural: Cow::Borrowed(plural),
        kind: Cow::Borrowed(kind),
    }
}

impl Resource {
    /// `fluxshardsets.templates.weave.works/v1alpha1`.
    pub const FLUX_SHARD_SETS: Resource = fixed(
        "templates.weave.works",
        "v1alpha1",
        "fluxshardsets",
        "FluxShardSet",
    );
    /// `fluxinstances.fluxcd.controlplane.io/v1` (the Flux Operator).
    pub const FLUX_INSTANCES: Resource = fixed(
        "fluxcd.controlplane.io",
        "v1",
        "fluxinstances",
        "FluxInstance",
    );
    /// `deployments.apps/v1`.
    pub const DEPLOYMENTS: Resource = fixed("apps", "v1", "deployments", "Deployment");
    /// `replicasets.apps/v1`.
    pub const REPLICA_SETS: Resource = fixed("apps", "v1", "replicasets", "ReplicaSet");
    /// `pods/v1` (core group).
    pub const PODS: Resource = fixed("", "v1", "pods", "Pod");
    /// `v1` Services (only their proxy, to reach Prometheus).
    pub const SERVICES: Resource = fixed("", "v1", "services", "Service");

    /// A resource found through API discovery.
    pub fn discovered(group: &str, version: &str, plural: &str, kind: &str) -> Resource {
        Resource {
            group: Cow::Owned(group.to_string()),
            version: Cow::Owned(version.to_string()),
            plural: Cow::Owned(plural.to_string()),
            kind: Cow::Owned(kind.to_string()),
        }
    }

    /// `/api/v1` for the core group, `/apis/GROUP/VERSION` otherwise.
    pub fn group_version_path(&self) -> String {
        if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        }
    }

    /// The path that lists the objects of `namespace`, or of all namespaces for `None`.
    ///
    /// ```
    /// use flux_shard_metrics::kube::Resource;
    /// assert_eq!(Resource::PODS.list_path(Some("flux-system")), "/api/v1/namespaces/flux-system/pods");
    /// assert_eq!(Resource::FLUX_SHARD_SETS.list_path(None), "/apis/templates.weave.works/v1alpha1/fluxshardsets");
    /// ```
    pub fn list_path(&self, namespace: Option<&str>) -> String {
        match namespace {
            Some(ns) => format!(
                "{}/namespaces/{ns}/{}",
                self.group_version_path(),
                self.plural
            ),
            None => format!("{}/{}", self.group_version_path(), self.plural),
        }
    }

    /// The path of one object (`name` may carry a `:port` for the proxy subresource).
    pub fn object_path(&self, namespace: &str, name: &str) -> String {
        format!("{}/{name}", self.list_path(Some(namespace)))
    }

    /// The permission a request with `verb` on this resource needs.
    pub fn permission(&self, verb: &'static str, namespace: Option<&str>) -> Permission {
        Permission {
            verb,
            resource: self.plural.to_string(),
            group: self.group.to_string(),
            namespace: namespace.map(str::to_string),
        }
    }

    /// The permission a subresource (`pods/proxy`) needs.
    pub fn subresource_permission(
        &self,
        subresource: &str,
        verb: &'static str,
        namespace: Option<&str>,
    ) -> Permission {
        Permission {
            verb,
            resource: format!("{}/{subresource}", self.plural),
            group: self.group.to_string(),
            namespace: namespace.map(str::to_string),
        }
    }

    /// The pod proxy path of `pod`'s `port` and `path`: `/api/v1/namespaces/NS/pods/POD:PORT/proxy/PATH`.
    ///
    /// ```
    /// use flux_shard_metrics::kube::Resource;
    /// assert_eq!(
    ///     Resource::pod_proxy_path("flux-system", "source-controller-7d9c5b-x2x4q", 8080, "metrics"),
    ///     "/api/v1/namespaces/flux-system/pods/source-controller-7d9c5b-x2x4q:8080/proxy/metrics"
    /// );
    /// ```
    pub fn pod_proxy_path(namespace: &str, pod: &str, port: u16, path: &str) -> String {
        format!(
            "{}/proxy/{path}",
            Resource::PODS.object_path(namespace, &format!("{pod}:{port}"))
        )
    }

    /// The permission the pod proxy needs: `get` on `pods/proxy`.
    pub fn pod_proxy_permission(namespace: &str) -> Permission {
        Resource::PODS.subresource_permission("proxy", "get", Some(namespace))
    }

    /// `path` on a Service's port through the API server's service proxy (port: a number or its name).
    ///
    /// ```
    /// use flux_shard_metrics::kube::Resource;
    /// assert_eq!(
    ///     Resource::service_proxy_path("monitoring", "prometheus-operated", "9090", "api/v1/query?query=up"),
    ///     "/api/v1/namespaces/monitoring/services/prometheus-operated:9090/proxy/api/v1/query?query=up"
    /// );
    /// ```
    pub fn service_proxy_path(namespace: &str, service: &str, port: &str, path: &str) -> String {
        format!(
            "{}/proxy/{path}",
            Resource::SERVICES.object_path(namespace, &format!("{service}:{port}"))
        )
    }

    /// The permission the service proxy needs: `get` on `services/proxy`.
    pub fn service_proxy_permission(namespace: &str) -> Permission {
        Resource::SERVICES.subresource_permission("proxy", "get", Some(namespace))
    }
}

/// The RBAC permission a request needs: named when the API server answers 403.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Permission {
    /// `get` or `list`.
    pub verb: &'static str,
    /// `fluxshardsets`, `deployments`, `pods/proxy`, …
    pub resource: String,
    /// API group (`""` for core).
    pub group: String,
    /// The namespace, or `null` for all namespaces (a ClusterRole).
    pub namespace: Option<String>,
}

impl Permission {
    /// `get` on a non-resource URL such as `/apis` (API discovery; every
    /// authenticated user has it through `system:discovery` unless removed).
    pub fn non_resource(path: &str) -> Permission {
        Permission {
            verb: "get",
            resource: path.to_string(),
            group: String::new(),
            namespace: None,
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.resource.starts_with('/') {
            return write!(
                f,
                "`{}` on the non-resource URL `{}` (a ClusterRole)",
                self.verb, self.resource
            );
        }
        let group = if self.group.is_empty() {
            "core"
        } else {
            &self.group
        };
        write!(
            f,
            "`{}` on `{}` (API group {group})",
            self.verb, self.resource
        )?;
        match &self.namespace {
            Some(ns) => write!(f, " in namespace `{ns}`"),
            None => write!(f, " in all namespaces (a ClusterRole)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_permissions_agree() {
        let r = Resource::DEPLOYMENTS;
        assert_eq!(
            r.list_path(Some("ns")),
            "/apis/apps/v1/namespaces/ns/deployments"
        );
        assert_eq!(
            r.permission("list", Some("ns")).to_string(),
            "`list` on `deployments` (API group apps) in namespace `ns`"
        );
        assert_eq!(
            Resource::pod_proxy_permission("ns").to_string(),
            "`get` on `pods/proxy` (API group core) in namespace `ns`"
        );
        assert_eq!(
            Resource::FLUX_SHARD_SETS.object_path("ns", "x"),
            "/apis/templates.weave.works/v1alpha1/namespaces/ns/fluxshardsets/x"
        );
        assert_eq!(
            Resource::FLUX_SHARD_SETS
                .permission("list", None)
                .to_string(),
            "`list` on `fluxshardsets` (API group templates.weave.works) in all namespaces (a ClusterRole)"
        );
    }
}
