//! A view that stays open (the page, the element, `get --watch`): it lists each
//! resource once, then on every read asks only for what changed since — a
//! watch from the list's `resourceVersion` with `allowWatchBookmarks`, which the
//! API server ends after [`WATCH_SECONDS`] — and folds the events into what it
//! keeps ([`crate::store`]). A `410 Gone` (the version is too old), an error
//! event or a failed watch lists that resource again from scratch. So a read
//! costs the scrapes (or the Prometheus queries), a few small GETs (the shard
//! set, the FluxInstance) and one short watch per resource, whatever the number
//! of objects; and no connection is held between reads, so a browser's six
//! connections per origin are never taken from the scrapes.

use std::cell::RefCell;
use std::rc::Rc;

use super::lister::{issues_of, Checked, Lister};
use super::namespace::ShapeIssues;
use super::read_with;
use crate::json::{FromJson, Json};
use crate::kube::{ApisDocument, Deployment, FluxObject, ObjectMeta, Permission, Resource};
use crate::options::{PrometheusOptions, Target};
use crate::pool::run_bounded;
use crate::report::{PreviousRead, ShardMetrics};
use crate::store::{parse_events, Applied, Keyed, Store};
use crate::transport::{get, get_json_as, list_at, Accept, FetchError, Transport};
use crate::trend::History;
use crate::url::query_escape;

use super::Query;

/// How long the API server holds each watch of a read open when nothing changes, in seconds.
pub const WATCH_SECONDS: u32 = 1;

/// An object kept as its JSON (ReplicaSets and Pods are read from it on each read).
#[derive(Debug, Clone)]
struct Raw(Json<'static>);

impl FromJson for Raw {
    fn from_json(node: crate::json::Node<'_>) -> Self {
        Raw(node.value().to_owned_json())
    }
}

impl Keyed for Raw {
    fn key(&self) -> (String, String) {
        let m = self.0.get("metadata");
        let s = |k: &str| {
            m.and_then(|m| m.get(k))
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string()
        };
        (s("namespace"), s("name"))
    }
}

/// An object of which only its metadata is kept (a Service: its name is all that matters).
#[derive(Debug, Clone)]
struct Meta(ObjectMeta);

impl FromJson for Meta {
    fn from_json(node: crate::json::Node<'_>) -> Self {
        Meta(node.object("metadata"))
    }
}

impl Keyed for Meta {
    fn key(&self) -> (String, String) {
        self.0.key()
    }
}

impl<T: Keyed> Keyed for Checked<T> {
    fn key(&self) -> (String, String) {
        self.item.key()
    }
}

/// One resource as kept: what was listed (path and selector), and its store.
struct Cached<T> {
    at: Option<(String, Option<String>)>,
    store: Store<T>,
    /// The API server refused to watch it (403: the Role grants `list`, not `watch`): listed every read.
    unwatchable: bool,
}

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Cached {
            at: None,
            store: Store::default(),
            unwatchable: false,
        }
    }
}

/// How often a session had to list, and what it watched, since it was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionStats {
    /// Lists (each page counts once per list): the first of each resource, and every relist.
    pub lists: u32,
    /// Watches made.
    pub watches: u32,
    /// Relists because the watch said `410 Gone`, failed or ended with an error.
    pub relists: u32,
    /// Events folded in.
    pub events: u64,
}

#[derive(Default)]
struct Kept {
    deployments: Cached<Checked<Deployment>>,
    replica_sets: Cached<Raw>,
    pods: Cached<Raw>,
    services: Cached<Meta>,
    objects: Vec<(String, Cached<FluxObject>)>,
    apis: Option<ApisDocument>,
    stats: SessionStats,
    /// The list paths whose watch was forbidden, for the read's warning.
    unwatchable: Vec<String>,
}

/// A read that stays open; see the module.
pub struct Session {
    namespace: String,
    target: Target,
    concurrency: usize,
    prometheus: Option<PrometheusOptions>,
    kept: RefCell<Kept>,
    previous: RefCell<Option<PreviousRead>>,
    history: RefCell<History>,
}

impl Session {
    /// A session of the group `target` in `namespace`.
    pub fn new(
        namespace: String,
        target: Target,
        concurrency: usize,
        prometheus: Option<PrometheusOptions>,
    ) -> Session {
        Session {
            namespace,
            target,
            concurrency,
            prometheus,
            kept: RefCell::new(Kept::default()),
            previous: RefCell::new(None),
            history: RefCell::new(History::default()),
        }
    }

    /// What it listed and watched so far.
    pub fn stats(&self) -> SessionStats {
        self.kept.borrow().stats
    }

    /// Reads the group at `read_at`: the first time with lists, then from what changed; rates
    /// (scrapes) against the previous read of this session, and each row's trend from its reads
    /// (with Prometheus, from its range queries).
    pub async fn read<T: Transport, P: Transport>(
        &self,
        transport: &T,
        prometheus: Option<&P>,
        read_at: f64,
    ) -> Result<ShardMetrics, FetchError> {
        let previous = self.previous.borrow().clone();
        let mut m = self
            .read_once(transport, prometheus, read_at, previous.as_ref())
            .await?;
        if let Some(w) = unwatchable_warning(&self.kept.borrow().unwatchable) {
            m.warnings.push(w);
        }
        *self.previous.borrow_mut() = Some(PreviousRead::from(&m));
        self.history
            .borrow_mut()
            .record(&mut m.deployments, read_at);
        Ok(m)
    }

    /// One read at `read_at`, with rates against `previous` (a one-shot read: the session's first).
    pub(crate) async fn read_once<T: Transport, P: Transport>(
        &self,
        transport: &T,
        prometheus: Option<&P>,
        read_at: f64,
        previous: Option<&PreviousRead>,
    ) -> Result<ShardMetrics, FetchError> {
        let query = Query {
            namespace: &self.namespace,
            target: self.target.clone(),
            concurrency: self.concurrency,
            read_at,
            previous,
            prometheus: self.prometheus.as_ref(),
        };
        read_with(self, transport, prometheus, &query).await
    }

    /// Brings `cell` up to date with the API server: a list the first time (or when the selector
    /// changed, or after a watch that could not go on), else a short watch; returns its objects.
    async fn sync<T: Transport, D: FromJson + Keyed + Clone>(
        &self,
        transport: &T,
        cell: impl Fn(&mut Kept) -> &mut Cached<D>,
        path: &str,
        selector: Option<&str>,
        permission: &Permission,
    ) -> Result<Vec<Rc<D>>, FetchError> {
        let at = (path.to_string(), selector.map(str::to_string));
        let watch_from = {
            let mut kept = self.kept.borrow_mut();
            let c = cell(&mut kept);
            (c.at.as_ref() == Some(&at) && !c.store.resource_version.is_empty() && !c.unwatchable)
                .then(|| c.store.resource_version.clone())
        };
        if let Some(rv) = watch_from {
            let answer = watch(transport, path, selector, permission, &rv).await;
            let mut kept = self.kept.borrow_mut();
            kept.stats.watches += 1;
            let applied = match answer {
                Ok(body) => match parse_events::<D>(&body) {
                    Ok(events) => {
                        let n = events.len() as u64;
                        let applied = cell(&mut kept).store.apply_all(events);
                        kept.stats.events += n;
                        applied
                    }
                    Err(e) => Applied::Failed(e),
                },
                Err(FetchError::Http { status: 410, .. }) => Applied::Gone,
                Err(FetchError::Http { status: 403, .. }) => {
                    cell(&mut kept).unwatchable = true;
                    kept.unwatchable.push(path.to_string());
                    Applied::Failed("watch forbidden".into())
                }
                Err(e) => Applied::Failed(e.to_string()),
            };
            if applied == Applied::Ok {
                return Ok(cell(&mut kept).store.snapshot());
            }
            kept.stats.relists += 1;
        }
        let (items, rv): (Vec<D>, String) = list_at(transport, path, selector, permission).await?;
        let mut kept = self.kept.borrow_mut();
        kept.stats.lists += 1;
        let c = cell(&mut kept);
        c.at = Some(at);
        c.store.replace(items, rv);
        Ok(c.store.snapshot())
    }
}

/// What a read says when some resources cannot be watched: they are listed at every read.
///
/// ```
/// # use flux_shard_metrics::pipeline::unwatchable_warning;
/// assert_eq!(unwatchable_warning(&[]), None);
/// assert!(unwatchable_warning(&["/api/v1/namespaces/flux-system/pods".into()]).unwrap().starts_with("watch is forbidden on 1 resource(s)"));
/// ```
pub fn unwatchable_warning(paths: &[String]) -> Option<String> {
    (!paths.is_empty()).then(|| {
        format!(
            "watch is forbidden on {} resource(s) ({}): each refresh lists them again; grant `watch` beside `list` (README, RBAC) to refresh at the cost of what changed",
            paths.len(),
            paths.join(", ")
        )
    })
}

/// The events at `path` (objects `selector` selects) since `resource_version`: a watch that the
/// API server ends after [`WATCH_SECONDS`], with bookmarks; its body, one event per line.
async fn watch<T: Transport>(
    transport: &T,
    path: &str,
    selector: Option<&str>,
    permission: &Permission,
    resource_version: &str,
) -> Result<String, FetchError> {
    let mut query = format!(
        "watch=1&allowWatchBookmarks=true&timeoutSeconds={WATCH_SECONDS}&resourceVersion={}",
        query_escape(resource_version)
    );
    if let Some(s) = selector {
        query = format!("labelSelector={}&{query}", query_escape(s));
    }
    let path = format!("{path}?{query}");
    Ok(get(transport, &path, Accept::Events, permission)
        .await?
        .body)
}

impl Lister for Session {
    async fn deployments<T: Transport>(
        &self,
        transport: &T,
        namespace: &str,
    ) -> Result<(Vec<Deployment>, Vec<ShapeIssues>), FetchError> {
        let ns = Some(namespace);
        let d = &Resource::DEPLOYMENTS;
        let items = self
            .sync(
                transport,
                |k| &mut k.deployments,
                &d.list_path(ns),
                None,
                &d.permission("list", ns),
            )
            .await?;
        let issues = issues_of(items.iter().map(|c| &**c), |d| &d.metadata.name);
        Ok((items.into_iter().map(|c| c.item.clone()).collect(), issues))
    }

    async fn replica_sets_and_pods<T: Transport>(
        &self,
        transport: &T,
        namespace: &str,
        selector: Option<&str>,
    ) -> Result<(Vec<Json<'static>>, Vec<Json<'static>>), FetchError> {
        let ns = Some(namespace);
        let (rs, pods) = (&Resource::REPLICA_SETS, &Resource::PODS);
        let replica_sets = self
            .sync(
                transport,
                |k| &mut k.replica_sets,
                &rs.list_path(ns),
                selector,
                &rs.permission("list", ns),
            )
            .await?;
        let pods = self
            .sync(
                transport,
                |k| &mut k.pods,
                &pods.list_path(ns),
                selector,
                &pods.permission("list", ns),
            )
            .await?;
        Ok((
            replica_sets.iter().map(|r| r.0.clone()).collect(),
            pods.iter().map(|r| r.0.clone()).collect(),
        ))
    }

    async fn services<T: Transport>(
        &self,
        transport: &T,
        namespace: &str,
    ) -> Result<Vec<String>, FetchError> {
        let ns = Some(namespace);
        let s = &Resource::SERVICES;
        let items: Vec<Rc<Meta>> = self
            .sync(
                transport,
                |k| &mut k.services,
                &s.list_path(ns),
                None,
                &s.permission("list", ns),
            )
            .await?;
        Ok(items.iter().map(|m| m.0.name.clone()).collect())
    }

    async fn apis<T: Transport>(&self, transport: &T) -> Result<ApisDocument, FetchError> {
        if let Some(apis) = self.kept.borrow().apis.clone() {
            return Ok(apis);
        }
        let apis: ApisDocument = get_json_as(
            transport,
            "/apis",
            Accept::Discovery,
            &Permission::non_resource("/apis"),
        )
        .await?;
        self.kept.borrow_mut().apis = Some(apis.clone());
        Ok(apis)
    }

    async fn objects<T: Transport>(
        &self,
        transport: &T,
        resources: Vec<Resource>,
        concurrency: usize,
    ) -> Vec<(Resource, Result<Vec<Rc<FluxObject>>, FetchError>)> {
        {
            let mut kept = self.kept.borrow_mut();
            for r in &resources {
                let path = r.list_path(None);
                if !kept.objects.iter().any(|(p, _)| *p == path) {
                    kept.objects.push((path, Cached::default()));
                }
            }
        }
        run_bounded(resources, concurrency, |resource| async move {
            let path = resource.list_path(None);
            let result = self
                .sync(
                    transport,
                    |k| {
                        let at = k
                            .objects
                            .iter()
                            .position(|(p, _)| *p == path)
                            .expect("added above");
                        &mut k.objects[at].1
                    },
                    &path,
                    None,
                    &resource.permission("list", None),
                )
                .await;
            (resource, result)
        })
        .await
    }
}
