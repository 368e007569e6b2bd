//! The wasm-bindgen layer: convert, call the core, convert back. Nothing else.
//!
//! Results cross the boundary as one JSON string that the JS wrapper reads
//! with a single `JSON.parse` (measured faster than building objects value by
//! value through the boundary; see the README's benchmark section).

use wasm_bindgen::prelude::*;

use crate::exposition::{parse, Format};

/// Parses an exposition and returns `{families, errors}` as JSON text.
#[wasm_bindgen(js_name = parseExpositionJson)]
pub fn parse_exposition_json(text: &str, format: &str) -> Result<String, JsError> {
    let format = Format::from_name(format).ok_or_else(|| {
        JsError::new(&format!(
            "unknown format `{format}`: expected \"prometheus\" or \"openmetrics\""
        ))
    })?;
    Ok(parse(text, format).to_json())
}
