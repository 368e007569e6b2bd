//! The wasm-bindgen layer: convert, call the core, convert back. Nothing else.
//!
//! The text comes in as UTF-8 bytes (one memcpy; a `&str` argument is copied
//! by a JS loop) and the result goes out in the compact form of
//! [`crate::exposition::encode`], which `js/decode.ts` turns into plain
//! objects. The README's benchmark section has the figures that chose this
//! over one `JSON.parse` and over serde-wasm-bindgen.

use wasm_bindgen::prelude::*;

use crate::client::{get_shard_metrics, list_shard_sets, DEFAULT_CONCURRENCY};
use crate::exposition::{encode, parse, Encoded, Format};
use crate::fetch::{FetchOptions, FetchTransport};

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

fn read_options(json: &str) -> Result<(serde_json::Value, FetchOptions), JsError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| JsError::new(&format!("invalid options: {e}")))?;
    let fetch = FetchOptions::from_json(&value)
        .map_err(|e| JsError::new(&format!("invalid options: {e}")))?;
    Ok((value, fetch))
}

fn option_str<'v>(value: &'v serde_json::Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(serde_json::Value::as_str)
}

/// `getShardMetrics`: options as JSON in, `ShardMetrics` as JSON out.
#[wasm_bindgen(js_name = getShardMetricsJson)]
pub async fn get_shard_metrics_json(options: String) -> Result<String, JsError> {
    let (value, fetch) = read_options(&options)?;
    let namespace = option_str(&value, "namespace")
        .ok_or_else(|| JsError::new("invalid options: namespace must be a string"))?;
    let name = option_str(&value, "name")
        .ok_or_else(|| JsError::new("invalid options: name must be a string"))?;
    let transport = FetchTransport::new(&fetch).map_err(|e| JsError::new(&e))?;
    let concurrency = fetch.concurrency.unwrap_or(DEFAULT_CONCURRENCY);
    let metrics = get_shard_metrics(&transport, namespace, name, concurrency)
        .await
        .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(serde_json::to_string(&metrics).expect("ShardMetrics serializes"))
}

/// `listShardSets`: options as JSON in, the summaries as JSON out.
#[wasm_bindgen(js_name = listShardSetsJson)]
pub async fn list_shard_sets_json(options: String) -> Result<String, JsError> {
    let (value, fetch) = read_options(&options)?;
    let transport = FetchTransport::new(&fetch).map_err(|e| JsError::new(&e))?;
    let sets = list_shard_sets(&transport, option_str(&value, "namespace"))
        .await
        .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(serde_json::to_string(&sets).expect("summaries serialize"))
}
