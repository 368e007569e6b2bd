//! What every API object and answer has: `metadata`, conditions, lists and
//! the API server's error `Status`, with only the fields used here.

use crate::json::{FromJson, Node};

/// A list response: `{"kind": "…List", "metadata": {"continue": …}, "items": […]}`.
#[derive(Debug, Clone)]
pub struct List<T> {
    /// The objects.
    pub items: Vec<T>,
    /// `metadata.continue`: there are more pages; `None` on the last.
    pub continue_token: Option<String>,
    /// `metadata.resourceVersion`: the list's snapshot, where a watch of it starts.
    pub resource_version: String,
}

/// `metadata` of any object.
#[derive(Debug, Clone, Default)]
pub struct ObjectMeta {
    /// The name.
    pub name: String,
    /// The namespace.
    pub namespace: String,
    /// The unique id.
    pub uid: String,
    /// Labels.
    pub labels: Vec<(String, String)>,
    /// Annotations.
    pub annotations: Vec<(String, String)>,
    /// Owners (Pod → ReplicaSet → Deployment).
    pub owner_references: Vec<OwnerReference>,
    /// `metadata.generation`: bumped on each change of the spec.
    pub generation: Option<u64>,
    /// `metadata.deletionTimestamp`, seconds since the epoch: the object is being deleted
    /// (a pod is Terminating until its containers have stopped).
    pub deletion_timestamp: Option<f64>,
}

/// One `metadata.ownerReferences` entry.
#[derive(Debug, Clone)]
pub struct OwnerReference {
    /// `apps/v1`, …
    pub api_version: String,
    /// `ReplicaSet`, `Deployment`, …
    pub kind: String,
    /// The owner's name.
    pub name: String,
    /// The owner's uid.
    pub uid: String,
}

impl ObjectMeta {
    /// The value of label `name`.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `owner` (kind, name, uid) owns this object. The uid decides when both have one.
    pub fn is_owned_by(&self, kind: &str, owner: &ObjectMeta) -> bool {
        self.owner_references.iter().any(|r| {
            r.kind == kind
                && if r.uid.is_empty() || owner.uid.is_empty() {
                    r.name == owner.name
                } else {
                    r.uid == owner.uid
                }
        })
    }
}

/// `status.conditions[]`.
#[derive(Debug, Clone, Default)]
pub struct Condition {
    /// `Ready`, `Available`, …
    pub condition_type: String,
    /// `True`, `False`, `Unknown`.
    pub status: String,
    /// Machine-readable reason.
    pub reason: String,
    /// Human-readable message.
    pub message: String,
    /// The `metadata.generation` it was set for (`metav1.Condition`); `None` when not given.
    pub observed_generation: Option<u64>,
}

/// The API server's error body: `{"kind":"Status","message":…,"reason":…,"code":…}`.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// What went wrong, for a person.
    pub message: String,
    /// `NotFound`, `Forbidden`, …
    pub reason: String,
    /// The HTTP status code.
    pub code: u16,
}

impl<T: FromJson> FromJson for List<T> {
    fn from_json(v: Node<'_>) -> Self {
        let metadata = v.child("metadata");
        let token = metadata.string("continue");
        List {
            items: v.list("items"),
            continue_token: Some(token).filter(|t| !t.is_empty()),
            resource_version: metadata.string("resourceVersion"),
        }
    }
}

impl FromJson for ObjectMeta {
    fn from_json(v: Node<'_>) -> Self {
        ObjectMeta {
            name: v.string("name"),
            namespace: v.string("namespace"),
            uid: v.string("uid"),
            labels: v.string_map("labels"),
            annotations: v.string_map("annotations"),
            owner_references: v.list("ownerReferences"),
            generation: v.count("generation"),
            deletion_timestamp: super::time::parse_time(&v.string("deletionTimestamp")),
        }
    }
}

impl FromJson for OwnerReference {
    fn from_json(v: Node<'_>) -> Self {
        OwnerReference {
            api_version: v.string("apiVersion"),
            kind: v.string("kind"),
            name: v.string("name"),
            uid: v.string("uid"),
        }
    }
}

impl FromJson for Condition {
    fn from_json(v: Node<'_>) -> Self {
        Condition {
            condition_type: v.string("type"),
            status: v.string("status"),
            reason: v.string("reason"),
            message: v.string("message"),
            observed_generation: v.count("observedGeneration"),
        }
    }
}

impl FromJson for Status {
    fn from_json(v: Node<'_>) -> Self {
        Status {
            message: v.string("message"),
            reason: v.string("reason"),
            code: v.count_u16("code").unwrap_or(0),
        }
    }
}
