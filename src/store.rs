//! What a view that stays open keeps of a resource between reads: the objects
//! of one list, kept up to date by the events of a watch from its
//! `resourceVersion` — a fold of `ADDED`, `MODIFIED`, `DELETED` and `BOOKMARK`
//! events over the state, as informers keep theirs. Pure: no I/O; the read
//! pipeline lists and watches (`pipeline/session.rs`).
//!
//! ```
//! use flux_shard_metrics::kube::FluxObject;
//! use flux_shard_metrics::store::{parse_events, Applied, Store};
//! let mut store: Store<FluxObject> = Store::default();
//! store.replace(vec![], "100".into());
//! let events = parse_events::<FluxObject>(concat!(
//!     r#"{"type":"ADDED","object":{"metadata":{"namespace":"apps","name":"a","resourceVersion":"101","labels":{"sharding.fluxcd.io/key":"shard1"}}}}"#, "\n",
//!     r#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"150"}}}"#, "\n",
//! )).unwrap();
//! assert_eq!(store.apply_all(events), Applied::Ok);
//! assert_eq!((store.len(), store.resource_version.as_str()), (1, "150"));
//! ```

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::json::{FromJson, Json, Node};
use crate::kube::{Deployment, FluxObject, ObjectMeta, Pod, ReplicaSet};

/// Something a store keeps by namespace and name.
pub trait Keyed {
    /// `(namespace, name)`.
    fn key(&self) -> (String, String);
}

impl Keyed for FluxObject {
    fn key(&self) -> (String, String) {
        (self.namespace.clone(), self.name.clone())
    }
}

impl Keyed for ObjectMeta {
    fn key(&self) -> (String, String) {
        (self.namespace.clone(), self.name.clone())
    }
}

impl Keyed for Deployment {
    fn key(&self) -> (String, String) {
        self.metadata.key()
    }
}

impl Keyed for ReplicaSet {
    fn key(&self) -> (String, String) {
        self.metadata.key()
    }
}

impl Keyed for Pod {
    fn key(&self) -> (String, String) {
        self.metadata.key()
    }
}

/// One event of a watch.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<T> {
    /// The object was created (or is new to the watch), at this `resourceVersion`.
    Added(T, String),
    /// The object changed.
    Modified(T, String),
    /// The object was deleted.
    Deleted(T, String),
    /// Nothing changed up to this `resourceVersion` (`allowWatchBookmarks`).
    Bookmark(String),
    /// The API server's `Status`: `410 Gone` when the `resourceVersion` is too old to watch from.
    Error {
        /// `Status.code`.
        code: u16,
        /// `Status.message`.
        message: String,
    },
}

/// What applying events did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// The store is up to date with every event.
    Ok,
    /// The `resourceVersion` is too old (`410 Gone`, or the watch cache's "too old resource
    /// version"): list again from scratch.
    Gone,
    /// An error event other than 410; the store is as it was before it.
    Failed(String),
}

/// The objects of one resource as last listed and watched, and the `resourceVersion` to watch from.
/// Each object is shared ([`Rc`]): what a read takes of the store is a list of handles, not copies.
#[derive(Debug, Clone)]
pub struct Store<T> {
    items: BTreeMap<(String, String), Rc<T>>,
    /// Where the next watch starts: the list's `resourceVersion`, then each event's.
    pub resource_version: String,
    /// Events applied since the last list.
    pub events: u64,
}

impl<T> Default for Store<T> {
    fn default() -> Self {
        Store {
            items: BTreeMap::new(),
            resource_version: String::new(),
            events: 0,
        }
    }
}

impl<T: Keyed> Store<T> {
    /// Everything, as a list answered at `resource_version`.
    pub fn replace(&mut self, items: Vec<T>, resource_version: String) {
        self.items = items.into_iter().map(|i| (i.key(), Rc::new(i))).collect();
        self.resource_version = resource_version;
        self.events = 0;
    }

    /// Applies one event.
    pub fn apply(&mut self, event: Event<T>) -> Applied {
        let rv = match event {
            Event::Added(item, rv) | Event::Modified(item, rv) => {
                self.items.insert(item.key(), Rc::new(item));
                rv
            }
            Event::Deleted(item, rv) => {
                self.items.remove(&item.key());
                rv
            }
            Event::Bookmark(rv) => rv,
            Event::Error { code: 410, .. } => return Applied::Gone,
            Event::Error { code, message } => {
                return Applied::Failed(format!(
                    "the watch ended with an error (code {code}): {message}"
                ))
            }
        };
        self.events += 1;
        if !rv.is_empty() {
            self.resource_version = rv;
        }
        Applied::Ok
    }

    /// Applies events in order, stopping at the first that is not applied.
    pub fn apply_all(&mut self, events: Vec<Event<T>>) -> Applied {
        for e in events {
            match self.apply(e) {
                Applied::Ok => {}
                other => return other,
            }
        }
        Applied::Ok
    }

    /// The objects, by namespace and name.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.items.values().map(|v| &**v)
    }

    /// The objects, by namespace and name, shared with the store.
    pub fn snapshot(&self) -> Vec<Rc<T>> {
        self.items.values().cloned().collect()
    }

    /// How many objects it holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Reads a watch's body — one JSON event per line (`{"type": …, "object": …}`) — into events;
/// a line that is not one names its number. A last line cut short (a watch that ended mid-event)
/// is left out: the next watch starts before it.
pub fn parse_events<T: FromJson>(body: &str) -> Result<Vec<Event<T>>, String> {
    let mut events = Vec::new();
    let lines: Vec<&str> = body.lines().collect();
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let v = match Json::parse(line) {
            Ok(v) => v,
            Err(_) if i == last && !body.ends_with('\n') => break,
            Err(e) => {
                return Err(format!(
                    "line {} of the watch is not a JSON event: {e}",
                    i + 1
                ))
            }
        };
        let node = Node::new(&v);
        let object = node.child("object");
        let rv = object.child("metadata").string("resourceVersion");
        let event = match node.string("type").as_str() {
            "ADDED" => Event::Added(T::from_json(object), rv),
            "MODIFIED" => Event::Modified(T::from_json(object), rv),
            "DELETED" => Event::Deleted(T::from_json(object), rv),
            "BOOKMARK" => Event::Bookmark(rv),
            "ERROR" => Event::Error {
                code: object.count_u16("code").unwrap_or(0),
                message: object.string("message"),
            },
            other => {
                return Err(format!(
                    "line {} of the watch has an event of unknown type {other:?}",
                    i + 1
                ))
            }
        };
        events.push(event);
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sharding.fluxcd.io/key";

    fn line(
        kind: &str,
        name: &str,
        rv: u32,
        key: Option<&str>,
        ready: bool,
        suspend: bool,
    ) -> String {
        let labels = key.map_or(serde_json::json!({}), |k| serde_json::json!({KEY: k}));
        serde_json::json!({"type": kind, "object": {
            "metadata": {"namespace": "apps", "name": name, "resourceVersion": rv.to_string(), "labels": labels},
            "spec": {"suspend": suspend},
            "status": {"conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}}})
        .to_string()
    }

    fn store() -> Store<FluxObject> {
        let mut s = Store::default();
        let items = parse_events::<FluxObject>(
            &[
                line("ADDED", "a", 10, None, true, false),
                line("ADDED", "b", 11, Some("shard1"), true, false),
            ]
            .join("\n"),
        )
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            Event::Added(o, _) => Some(o),
            _ => None,
        })
        .collect();
        s.replace(items, "20".into());
        s
    }

    /// A relabel to another shard, not Ready, suspended and deleted: each reflected, in order.
    #[test]
    fn each_change_is_folded_in() {
        let mut s = store();
        let body = [
            line("MODIFIED", "a", 21, Some("shard2"), true, false),
            line("MODIFIED", "b", 22, Some("shard1"), false, false),
            line("ADDED", "c", 23, Some("shard1"), true, true),
            line("DELETED", "a", 24, Some("shard2"), true, false),
        ]
        .join("\n")
            + "\n";
        assert_eq!(s.apply_all(parse_events(&body).unwrap()), Applied::Ok);
        let got: Vec<(String, Option<String>, bool, bool)> = s
            .values()
            .map(|o| (o.name.clone(), o.key.clone(), o.ready, o.suspended))
            .collect();
        assert_eq!(
            got,
            [
                ("b".to_string(), Some("shard1".to_string()), false, false),
                ("c".to_string(), Some("shard1".to_string()), true, true)
            ]
        );
        assert_eq!((s.resource_version.as_str(), s.events), ("24", 4));
    }

    #[test]
    fn a_bookmark_moves_the_resource_version_and_a_410_asks_for_a_list() {
        let mut s = store();
        let body = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"GitRepository\",\"metadata\":{\"resourceVersion\":\"99\"}}}\n{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"message\":\"too old resource version: 20 (99)\"}}\n";
        assert_eq!(s.apply_all(parse_events(body).unwrap()), Applied::Gone);
        assert_eq!((s.resource_version.as_str(), s.len()), ("99", 2));
        let failed = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":500,\"message\":\"boom\"}}";
        assert_eq!(
            s.apply_all(parse_events(failed).unwrap()),
            Applied::Failed("the watch ended with an error (code 500): boom".into())
        );
    }

    #[test]
    fn a_cut_last_line_is_left_for_the_next_watch_and_garbage_is_named() {
        let whole = line("ADDED", "d", 30, None, true, false);
        let body = format!("{whole}\n{}", &whole[..whole.len() / 2]);
        assert_eq!(parse_events::<FluxObject>(&body).unwrap().len(), 1);
        assert_eq!(
            parse_events::<FluxObject>("nope\n{}\n").unwrap_err(),
            "line 1 of the watch is not a JSON event: expected ident at line 1 column 2"
        );
        assert_eq!(
            parse_events::<FluxObject>("{\"type\":\"WHAT\"}\n").unwrap_err(),
            "line 1 of the watch has an event of unknown type \"WHAT\""
        );
    }

    /// Any sequence of events, split into watches anywhere, folds to what applying them to a
    /// plain map gives (the last state of each name; deleted ones gone).
    #[cfg(not(target_arch = "wasm32"))]
    mod fold {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn folding_watches_equals_the_plain_map(
                ops in proptest::collection::vec((0u8..3, 0usize..6, proptest::option::of(0u8..3), any::<bool>()), 0..40),
                cut in 0usize..40,
            ) {
                let mut s = store();
                let mut model: BTreeMap<String, (Option<String>, bool)> = BTreeMap::new();
                model.insert("a".into(), (None, true));
                model.insert("b".into(), (Some("shard1".into()), true));
                let lines: Vec<String> = ops.iter().enumerate().map(|(i, (op, n, key, ready))| {
                    let name = ["a", "b", "c", "d", "e", "f"][*n];
                    let key = key.map(|k| format!("shard{k}"));
                    let kind = ["ADDED", "MODIFIED", "DELETED"][*op as usize];
                    if *op == 2 { model.remove(name); } else { model.insert(name.into(), (key.clone(), *ready)); }
                    line(kind, name, 100 + i as u32, key.as_deref(), *ready, false)
                }).collect();
                let cut = cut.min(lines.len());
                for part in [&lines[..cut], &lines[cut..]] {
                    let body = part.iter().map(|l| format!("{l}\n")).collect::<String>();
                    prop_assert_eq!(s.apply_all(parse_events(&body).unwrap()), Applied::Ok);
                }
                let got: BTreeMap<String, (Option<String>, bool)> =
                    s.values().map(|o| (o.name.clone(), (o.key.clone(), o.ready))).collect();
                prop_assert_eq!(got, model);
                let last = if ops.is_empty() { "20".to_string() } else { (100 + ops.len() - 1).to_string() };
                prop_assert_eq!(s.resource_version.clone(), last);
            }
        }
    }
}
