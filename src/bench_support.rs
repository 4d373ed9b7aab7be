//! The steps of one call without the network, for `benches/core_cost.rs` only: the benchmark times each
//! step on its own so a regression has a number. Not a public API (hidden, unstable).

use crate::error::Result;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Params text -> JSON object (what every export does first).
pub fn parse_params(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| crate::Error::invalid_json(e.to_string()))
}

/// Table lookup, parameter checks and normalisation, then the form fields.
pub fn prepare(method: &str, params: &Map<String, Value>) -> Result<Vec<(String, String)>> {
    let m = crate::methods::find(method).ok_or_else(|| crate::Error::invalid_argument("unknown method"))?;
    let prepared = crate::request::prepare(m, params)?;
    Ok(crate::request::form_fields(&prepared))
}

/// The multipart body.
pub fn multipart(fields: &[(String, String)]) -> (Vec<u8>, String) {
    crate::multipart::render(fields)
}

/// The urlencoded body.
pub fn urlencoded(fields: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish()
}

/// The reply's envelope -> the result's raw JSON text.
pub fn envelope(status: u16, body: &[u8]) -> Result<Box<RawValue>> {
    crate::response::interpret_raw(status, body)
}
