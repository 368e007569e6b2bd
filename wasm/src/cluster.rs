//! `getShardMetrics`, `listShardSets` and `listShardGroups`: options as JSON in, the result or the
//! problem as JSON out.

use std::future::Future;
use std::pin::Pin;

use wasm_bindgen::prelude::*;

use crate::fetch::FetchTransport;
use flux_shard_metrics::options::{
    read_list_options, read_shard_metrics_options, ConnectionOptions,
};
use flux_shard_metrics::pipeline::{
    get_shard_metrics_with, list_shard_groups, list_shard_sets, Query, Session,
};
use flux_shard_metrics::problem::Problem;
use flux_shard_metrics::promql::Location;

/// The result of an async export as JSON: `{"ok": value}` or `{"error": Problem}`.
/// The TypeScript wrapper turns an error into a rejected promise whose
/// `FluxShardMetricsError` carries the problem's kind and fields.
fn envelope<T: serde::Serialize>(result: Result<T, Problem>) -> String {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Envelope<T> {
        Ok(T),
        Error(Problem),
    }
    let envelope = match result {
        Ok(v) => Envelope::Ok(v),
        Err(p) => Envelope::Error(p),
    };
    serde_json::to_string(&envelope).expect("results serialize")
}

/// A promise of the envelope a read ends with. Every export goes through this one
/// (non-generic) function, so the module holds one copy of `future_to_promise`'s state
/// machine instead of one per export (about 9 KB before wasm-opt).
fn settle(read: Pin<Box<dyn Future<Output = String>>>) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move { Ok(JsValue::from_str(&read.await)) })
}

/// The API's transport and, for a Prometheus URL (another server: its own headers, never the
/// API's credentials), Prometheus'.
fn transports(
    o: &flux_shard_metrics::options::ShardMetricsOptions,
) -> (FetchTransport, Option<FetchTransport>) {
    let transport = FetchTransport::new(&o.connection);
    let prometheus = o.prometheus.as_ref().and_then(|p| match &p.location {
        Location::Url(url) => Some(FetchTransport::new(&ConnectionOptions {
            server: url.clone(),
            headers: p.headers.clone(),
            ..o.connection.clone()
        })),
        Location::Service { .. } => None,
    });
    (transport, prometheus)
}

/// A read that stays open (`openShardMetrics`): options as JSON once, then `read()` as often as
/// the view refreshes, each resolving to `{"ok": ShardMetrics}` or `{"error": Problem}`.
#[wasm_bindgen]
pub struct ShardMetricsSession {
    inner: std::rc::Rc<Result<Open, Problem>>,
}

/// A session and the transports it reads through.
type Open = (Session, FetchTransport, Option<FetchTransport>);

#[wasm_bindgen]
impl ShardMetricsSession {
    /// A session of the group the options name; a wrong option is the answer of every `read()`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: String) -> ShardMetricsSession {
        let inner = read_shard_metrics_options(&options).map(|o| {
            let (transport, prometheus) = transports(&o);
            let session = Session::new(
                o.namespace,
                o.target,
                o.connection.concurrency,
                o.prometheus,
            );
            (session, transport, prometheus)
        });
        ShardMetricsSession {
            inner: std::rc::Rc::new(inner),
        }
    }

    /// Reads the group again (the first time with lists, then from watches); the caller never
    /// starts a read before the previous one ended.
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn read(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        settle(Box::pin(async move {
            let result = match inner.as_ref() {
                Err(p) => Err(p.clone()),
                Ok((session, transport, prometheus)) => session
                    .read(transport, prometheus.as_ref(), js_sys::Date::now())
                    .await
                    .map_err(Problem::from),
            };
            envelope(result)
        }))
    }
}

/// `getShardMetrics`: options as JSON in, `{"ok": ShardMetrics}` or `{"error": Problem}` out.
#[wasm_bindgen(js_name = getShardMetricsJson, unchecked_return_type = "Promise<string>")]
pub fn get_shard_metrics_json(options: String) -> js_sys::Promise {
    settle(Box::pin(async move {
        let result = async {
            let o = read_shard_metrics_options(&options)?;
            let (transport, prometheus) = transports(&o);
            let query = Query {
                namespace: &o.namespace,
                target: o.target.clone(),
                concurrency: o.connection.concurrency,
                read_at: js_sys::Date::now(),
                previous: o.previous.as_ref(),
                prometheus: o.prometheus.as_ref(),
            };
            get_shard_metrics_with(&transport, prometheus.as_ref(), &query)
                .await
                .map_err(Problem::from)
        };
        envelope(result.await)
    }))
}

/// `listShardSets`: options as JSON in, `{"ok": ShardSetSummary[]}` or `{"error": Problem}` out.
#[wasm_bindgen(js_name = listShardSetsJson, unchecked_return_type = "Promise<string>")]
pub fn list_shard_sets_json(options: String) -> js_sys::Promise {
    settle(Box::pin(async move {
        let result = async {
            let o = read_list_options(&options)?;
            let transport = FetchTransport::new(&o.connection);
            list_shard_sets(&transport, o.namespace.as_deref())
                .await
                .map_err(Problem::from)
        };
        envelope(result.await)
    }))
}

/// `listShardGroups`: options as JSON in, `{"ok": ShardGroupSummary[]}` or `{"error": Problem}` out.
#[wasm_bindgen(js_name = listShardGroupsJson, unchecked_return_type = "Promise<string>")]
pub fn list_shard_groups_json(options: String) -> js_sys::Promise {
    settle(Box::pin(async move {
        let result = async {
            let o = read_list_options(&options)?;
            let transport = FetchTransport::new(&o.connection);
            list_shard_groups(&transport, o.namespace.as_deref())
                .await
                .map_err(Problem::from)
        };
        envelope(result.await)
    }))
}
