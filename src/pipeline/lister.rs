//! Where a read gets its lists: the [`Lister`] a [`super::Session`] is — listed
//! the first time, then kept up to date by watches (a one-shot read is a
//! session's first). The rest of the pipeline asks for lists, not knowing which.

use std::rc::Rc;

use super::namespace::ShapeIssues;
use crate::json::{FromJson, Issues, Json, Node};
use crate::kube::{ApisDocument, Deployment, FluxObject, Resource};
use crate::transport::{FetchError, Transport};

/// An object read with its reader's complaints about fields of another JSON type.
#[derive(Debug, Clone)]
pub(crate) struct Checked<T> {
    pub item: T,
    pub issues: Vec<String>,
}

impl<T: FromJson> FromJson for Checked<T> {
    fn from_json(node: Node<'_>) -> Self {
        let issues = Issues::default();
        let item = T::from_json(Node::checked(node.value(), &issues));
        Checked {
            item,
            issues: issues.take(),
        }
    }
}

/// What an object's complaints are filed under: its name.
pub(crate) fn issues_of<'a, T: 'a>(
    items: impl Iterator<Item = &'a Checked<T>>,
    name: impl Fn(&T) -> &str,
) -> Vec<ShapeIssues> {
    items
        .filter(|c| !c.issues.is_empty())
        .map(|c| ShapeIssues {
            name: name(&c.item).to_string(),
            issues: c.issues.clone(),
        })
        .collect()
}

/// The lists a read needs.
#[allow(async_fn_in_trait)]
pub(crate) trait Lister {
    /// The namespace's Deployments, and their fields of another type.
    async fn deployments<T: Transport>(
        &self,
        transport: &T,
        namespace: &str,
    ) -> Result<(Vec<Deployment>, Vec<ShapeIssues>), FetchError>;

    /// The ReplicaSets and Pods `selector` selects in `namespace` (every one when `None`).
    async fn replica_sets_and_pods<T: Transport>(
        &self,
        transport: &T,
        namespace: &str,
        selector: Option<&str>,
    ) -> Result<(Vec<Json<'static>>, Vec<Json<'static>>), FetchError>;

    /// The names of the namespace's Services.
    async fn services<T: Transport>(
        &self,
        transport: &T,
        namespace: &str,
    ) -> Result<Vec<String>, FetchError>;

    /// API discovery (`/apis`).
    async fn apis<T: Transport>(&self, transport: &T) -> Result<ApisDocument, FetchError>;

    /// Every object of each resource, cluster-wide.
    async fn objects<T: Transport>(
        &self,
        transport: &T,
        resources: Vec<Resource>,
        concurrency: usize,
    ) -> Vec<(Resource, Result<Vec<Rc<FluxObject>>, FetchError>)>;
}
