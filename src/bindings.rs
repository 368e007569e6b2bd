//! The wasm-bindgen layer: convert, call the core, convert back. Nothing else.
//!
//! The text comes in as UTF-8 bytes (one memcpy; a `&str` argument is copied
//! by a JS loop) and the result goes out in the compact form of
//! [`crate::exposition::encode`], which `js/decode.ts` turns into plain
//! objects. The README's benchmark section has the figures that chose this
//! over one `JSON.parse` and over serde-wasm-bindgen.

use wasm_bindgen::prelude::*;

use crate::client::{get_shard_metrics_with, list_shard_sets, Query};
use crate::exposition::{encode, parse, Encoded, Format};
use crate::fetch::FetchTransport;
use crate::options::{read_list_options, read_shard_metrics_options, ConnectionOptions};
use crate::problem::Problem;
use crate::prometheus::Location;

fn read_format(format: &str) -> Result<Format, JsError> {
    Format::from_name(format).ok_or_else(|| {
        JsError::new(&format!(
            "unknown format `{format}`: expected \"prometheus\" or \"openmetrics\""
        ))
    })
}

fn read_text(bytes: &[u8]) -> Result<&str, JsError> {
    std::str::from_utf8(bytes).map_err(|e| JsError::new(&format!("the text is not UTF-8: {e}")))
}

/// An encoded exposition; each part can be taken once.
#[wasm_bindgen]
pub struct EncodedExposition(Encoded);

#[wasm_bindgen]
impl EncodedExposition {
    /// Every distinct string, concatenated.
    #[wasm_bindgen(js_name = takeStrings)]
    pub fn take_strings(&mut self) -> String {
        std::mem::take(&mut self.0.strings)
    }
    /// UTF-16 lengths of the strings.
    #[wasm_bindgen(js_name = takeStringLengths)]
    pub fn take_string_lengths(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.0.string_lengths)
    }
    /// The structure.
    #[wasm_bindgen(js_name = takeOps)]
    pub fn take_ops(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.0.ops)
    }
    /// Values and timestamps.
    #[wasm_bindgen(js_name = takeNumbers)]
    pub fn take_numbers(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.0.numbers)
    }
}

/// Parses UTF-8 exposition text; the JS wrapper decodes the result.
#[wasm_bindgen(js_name = parseExpositionEncoded)]
pub fn parse_exposition_encoded(text: &[u8], format: &str) -> Result<EncodedExposition, JsError> {
    let format = read_format(format)?;
    Ok(EncodedExposition(encode(&parse(read_text(text)?, format))))
}

/// Alternative for the benchmark: the whole result as JSON text for one `JSON.parse`.
#[cfg(feature = "bench-alternatives")]
#[wasm_bindgen(js_name = parseExpositionJson)]
pub fn parse_exposition_json(text: &[u8], format: &str) -> Result<String, JsError> {
    Ok(parse(read_text(text)?, read_format(format)?).to_json())
}

/// Alternative for the benchmark: build the objects through serde-wasm-bindgen,
/// crossing the boundary once per value.
#[cfg(feature = "bench-alternatives")]
#[wasm_bindgen(js_name = parseExpositionObjects)]
pub fn parse_exposition_objects(text: &[u8], format: &str) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    serde::Serialize::serialize(&parse(read_text(text)?, read_format(format)?), &serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Lower bound for the benchmark: parse and return only the number of samples.
#[cfg(feature = "bench-alternatives")]
#[wasm_bindgen(js_name = parseOnly)]
pub fn parse_only(text: &[u8]) -> Result<usize, JsError> {
    Ok(parse(read_text(text)?, Format::Prometheus)
        .families
        .iter()
        .map(|f| f.samples.len())
        .sum())
}

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

/// `getShardMetrics`: options as JSON in, `{"ok": ShardMetrics}` or `{"error": Problem}` out.
#[wasm_bindgen(js_name = getShardMetricsJson)]
pub async fn get_shard_metrics_json(options: String) -> String {
    let result = async {
        let o = read_shard_metrics_options(&options)?;
        let transport = FetchTransport::new(&o.connection);
        // A Prometheus URL is another server: its own headers, never the API's credentials.
        let prometheus = o.prometheus.as_ref().and_then(|p| match &p.location {
            Location::Url(url) => Some(FetchTransport::new(&ConnectionOptions {
                server: url.clone(),
                headers: p.headers.clone(),
                ..o.connection.clone()
            })),
            Location::Service { .. } => None,
        });
        let query = Query {
            namespace: &o.namespace,
            name: &o.name,
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
}

/// `listShardSets`: options as JSON in, `{"ok": ShardSetSummary[]}` or `{"error": Problem}` out.
#[wasm_bindgen(js_name = listShardSetsJson)]
pub async fn list_shard_sets_json(options: String) -> String {
    let result = async {
        let o = read_list_options(&options)?;
        let transport = FetchTransport::new(&o.connection);
        list_shard_sets(&transport, o.namespace.as_deref())
            .await
            .map_err(Problem::from)
    };
    envelope(result.await)
}
