//! Flux's own kinds, and the few fields of a Flux object that say whose it is
//! and how it is doing: its sharding key, its `Ready` condition, `spec.suspend`.

use super::meta::ObjectMeta;
use super::shardset::SHARD_KEY;
use crate::json::{FromJson, Node};

/// A kind Flux's controllers reconcile, with its API group and the controller
/// (Deployment) that reconciles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FluxKind {
    /// `GitRepository`, …
    pub kind: &'static str,
    /// `source.toolkit.fluxcd.io`, …
    pub group: &'static str,
    /// The controller that reconciles it (`source-controller`, …).
    pub controller: &'static str,
}

const fn flux(kind: &'static str, group: &'static str, controller: &'static str) -> FluxKind {
    FluxKind {
        kind,
        group,
        controller,
    }
}

/// Every kind Flux's controllers reconcile.
pub const FLUX_KINDS: [FluxKind; 13] = [
    flux(
        "GitRepository",
        "source.toolkit.fluxcd.io",
        "source-controller",
    ),
    flux(
        "HelmRepository",
        "source.toolkit.fluxcd.io",
        "source-controller",
    ),
    flux("HelmChart", "source.toolkit.fluxcd.io", "source-controller"),
    flux(
        "OCIRepository",
        "source.toolkit.fluxcd.io",
        "source-controller",
    ),
    flux("Bucket", "source.toolkit.fluxcd.io", "source-controller"),
    flux(
        "Kustomization",
        "kustomize.toolkit.fluxcd.io",
        "kustomize-controller",
    ),
    flux("HelmRelease", "helm.toolkit.fluxcd.io", "helm-controller"),
    flux(
        "Alert",
        "notification.toolkit.fluxcd.io",
        "notification-controller",
    ),
    flux(
        "Provider",
        "notification.toolkit.fluxcd.io",
        "notification-controller",
    ),
    flux(
        "Receiver",
        "notification.toolkit.fluxcd.io",
        "notification-controller",
    ),
    flux(
        "ImageRepository",
        "image.toolkit.fluxcd.io",
        "image-reflector-controller",
    ),
    flux(
        "ImagePolicy",
        "image.toolkit.fluxcd.io",
        "image-reflector-controller",
    ),
    flux(
        "ImageUpdateAutomation",
        "image.toolkit.fluxcd.io",
        "image-automation-controller",
    ),
];

/// The Flux kind whose controller-runtime controller is called `controller`
/// (controller-runtime names a controller by its kind in lower case).
///
/// ```
/// use flux_shard_metrics::kube::flux_kind;
/// assert_eq!(flux_kind("gitrepository").map(|k| k.group), Some("source.toolkit.fluxcd.io"));
/// assert_eq!(flux_kind("imageupdateautomation").map(|k| k.kind), Some("ImageUpdateAutomation"));
/// assert_eq!(flux_kind("certificate"), None);
/// ```
pub fn flux_kind(controller: &str) -> Option<FluxKind> {
    FLUX_KINDS
        .iter()
        .find(|k| k.kind.eq_ignore_ascii_case(controller))
        .copied()
}

/// The controller names (lower-case kinds) a Flux controller Deployment
/// reconciles, judged by its name (`source-controller`, `kustomize-controller`, …);
/// empty for a Deployment that is not one of Flux's.
pub fn flux_controllers_of(deployment: &str) -> Vec<String> {
    FLUX_KINDS
        .iter()
        .filter(|k| k.controller == deployment)
        .map(|k| k.kind.to_ascii_lowercase())
        .collect()
}

/// Whether objects of `kind` say whether they are Ready: notification-controller's v1beta3 Alerts
/// and Providers have no status at all, so they are never counted as not Ready.
pub fn reports_ready(kind: &str) -> bool {
    !matches!(kind, "Alert" | "Provider")
}

/// What the view needs of a Flux object (or of any object a controller reconciles).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FluxObject {
    /// Namespace (empty for a cluster-scoped object).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The value of `sharding.fluxcd.io/key`, if labelled.
    pub key: Option<String>,
    /// Every label (a controller's `--watch-label-selector` is matched against them).
    pub labels: Vec<(String, String)>,
    /// Whether its `Ready` condition is `True`.
    pub ready: bool,
    /// `spec.suspend`.
    pub suspended: bool,
    /// What it names that another object of its controller must reconcile (see [`Refs`]).
    pub refs: Refs,
}

/// The references of a Flux object whose target must sit on the same shard: what the
/// dependency rules read (`spec.sourceRef`, `spec.imageRepositoryRef`, `spec.chart`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Refs {
    /// `spec.sourceRef` (a HelmChart's HelmRepository, …): kind, name, namespace (empty: its own).
    pub source: Option<(String, String, String)>,
    /// `spec.imageRepositoryRef` (an ImagePolicy's): name, namespace (empty: its own).
    pub image_repository: Option<(String, String)>,
    /// `spec.chart` (a HelmRelease's chart template): the namespace of `spec.chart.spec.sourceRef`
    /// (empty: its own) and `spec.chart.metadata.labels`, the only labels its HelmChart gets.
    pub chart: Option<(String, Vec<(String, String)>)>,
}

impl FromJson for FluxObject {
    fn from_json(v: Node<'_>) -> Self {
        let metadata: ObjectMeta = v.object("metadata");
        let mut ready = false;
        v.child("status").each("conditions", |c| {
            ready |= c.string("type") == "Ready" && c.string("status") == "True";
        });
        let spec = v.child("spec");
        let refs = Refs {
            source: spec.has("sourceRef").then(|| {
                let r = spec.child("sourceRef");
                (r.string("kind"), r.string("name"), r.string("namespace"))
            }),
            image_repository: spec.has("imageRepositoryRef").then(|| {
                let r = spec.child("imageRepositoryRef");
                (r.string("name"), r.string("namespace"))
            }),
            chart: spec.has("chart").then(|| {
                let chart = spec.child("chart");
                let source = chart.child("spec").child("sourceRef").string("namespace");
                (source, chart.child("metadata").string_map("labels"))
            }),
        };
        FluxObject {
            key: metadata.label(SHARD_KEY).map(str::to_string),
            labels: metadata.labels,
            namespace: metadata.namespace,
            name: metadata.name,
            ready,
            suspended: spec.flag("suspend"),
            refs,
        }
    }
}
