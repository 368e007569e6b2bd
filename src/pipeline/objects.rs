//! The objects the shard set's controllers reconcile: which kinds (from the
//! `controller` labels the pods report, resolved through API discovery), then
//! one cluster-wide list per kind, page by page.

use super::lister::Lister;
use crate::assignment::KindObjects;
use crate::json::Json;
use crate::kube::{
    groups_to_read, read_resource_list, resolve, ApisDocument, Permission, Resource, Served,
};
use crate::pool::run_bounded;
use crate::problem::{Problem, ProblemKind};
use crate::transport::{get_json, FetchError, Transport};

/// What reading the objects gave.
#[derive(Debug, Default)]
pub(crate) struct ObjectsRead {
    /// Every kind that could be listed.
    pub lists: Vec<KindObjects>,
    /// Kinds whose list failed.
    pub unread: Vec<String>,
    /// Why, as data.
    pub problems: Vec<Problem>,
    /// Why, and what could not be matched, for a person.
    pub warnings: Vec<String>,
}

/// The resources of the groups worth reading, when `/apis` gave no aggregated discovery.
async fn served_by_groups<T: Transport>(
    transport: &T,
    groups: &[(String, Vec<String>)],
    controllers: &[String],
    concurrency: usize,
    read: &mut ObjectsRead,
) -> Vec<Served> {
    let wanted = groups_to_read(groups, controllers);
    let lists = run_bounded(wanted, concurrency, |(group, version)| async move {
        let path = Resource::discovered(&group, &version, "", "").group_version_path();
        let result: Result<Json<'static>, FetchError> =
            get_json(transport, &path, &Permission::non_resource(&path)).await;
        (group, version, result)
    })
    .await;
    let mut served: Vec<Served> = Vec::new();
    for (group, version, result) in lists {
        match result {
            // Preferred versions come first: a resource is taken at the first version that serves it.
            Ok(v) => {
                for s in read_resource_list(&v, &group, &version) {
                    let seen = served.iter().any(|x| {
                        x.resource.group == s.resource.group
                            && x.resource.plural == s.resource.plural
                    });
                    if !seen {
                        served.push(s);
                    }
                }
            }
            Err(e) => read.warnings.push(format!(
                "the resources of API group {group}/{version} could not be read: {e}"
            )),
        }
    }
    served
}

/// Lists the objects of every kind the `controllers` reconcile.
pub(crate) async fn read_objects<L: Lister, T: Transport>(
    lister: &L,
    transport: &T,
    controllers: &[String],
    apis: Result<ApisDocument, FetchError>,
    concurrency: usize,
) -> ObjectsRead {
    let mut read = ObjectsRead::default();
    let apis = match apis {
        Ok(apis) => apis,
        Err(e) => {
            read.warnings.push(format!(
                "the objects per shard are not counted: API discovery failed: {e}"
            ));
            read.problems.push(e.into());
            return read;
        }
    };
    let served = match apis {
        ApisDocument::Aggregated(served) => served,
        ApisDocument::Groups(groups) => {
            served_by_groups(transport, &groups, controllers, concurrency, &mut read).await
        }
    };
    let resolution = resolve(controllers, &served);
    for controller in &resolution.unresolved {
        read.warnings.push(format!(
            "controller {controller:?} reconciles no kind this cluster serves: its objects are not counted"
        ));
    }
    for controller in &resolution.ambiguous {
        let chosen = resolution
            .resources
            .iter()
            .find(|(c, _)| c == controller)
            .map(|(_, r)| r.group.to_string())
            .unwrap_or_default();
        read.warnings.push(format!(
            "controller {controller:?} matches a kind of several API groups; counting the one of {chosen}"
        ));
    }
    let resources: Vec<Resource> = resolution.resources.into_iter().map(|(_, r)| r).collect();
    let lists = lister.objects(transport, resources, concurrency).await;
    for (resource, result) in lists {
        let kind = resource.kind.to_string();
        match result {
            Ok(objects) => read.lists.push(KindObjects { kind, objects }),
            Err(e) => {
                let mut problem = Problem::from(&e);
                if let FetchError::Http { status: 404, .. } = e {
                    problem.kind = ProblemKind::NotServed;
                }
                read.warnings
                    .push(format!("objects of kind {kind} could not be read: {e}"));
                read.problems.push(problem);
                read.unread.push(kind);
            }
        }
    }
    read
}
