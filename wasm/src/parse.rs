//! `parseExposition`: the text in as UTF-8 bytes, the compact encoding out.

use wasm_bindgen::prelude::*;

use flux_shard_metrics::exposition::{encode, parse, Encoded, Format};

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
