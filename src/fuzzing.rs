//! Entry points for the coverage-guided fuzz targets in `fuzz/` (not part of the supported API).
//!
//! The targets reach the core's parsers through these thin wrappers rather than through the modules
//! themselves, so the modules can shrink to `pub(crate)` without breaking the fuzzing. Each wrapper runs
//! one parser on untrusted input and returns what a target needs to check its invariants; none of them
//! may panic, whatever the input.

use serde_json::{Map, Value};

/// The envelope parser on one reply, keeping `result` as text (what the C ABI hands on): `Ok(result as
/// JSON text)` or the error object.
pub fn envelope_raw(http_status: u16, body: &[u8]) -> Result<String, Value> {
    crate::response::interpret_raw(http_status, body).map(|raw| raw.get().to_owned()).map_err(|e| e.to_json())
}

/// The envelope parser on one reply, `result` parsed (what the Rust API returns): `Ok(result)` or the
/// error object.
pub fn envelope_tree(http_status: u16, body: &[u8]) -> Result<Value, Value> {
    crate::response::interpret(http_status, body).map_err(|e| e.to_json())
}

/// The known-message parsers on any text.
pub fn message_parsers(message: &str) {
    let _ = crate::response::parse_quota_message(message);
    let _ = crate::response::parse_duplicated_cards(message);
}

/// The form encoder: `params` checked and normalised for every operation of the method table, then
/// flattened into form fields. Returns, per operation that accepted the params, its fields.
pub fn form(params: &Map<String, Value>) -> Vec<(&'static str, Vec<(String, String)>)> {
    let mut out = Vec::new();
    for method in crate::methods::METHODS {
        if let Ok(prepared) = crate::request::prepare(method, params) {
            out.push((method.name, crate::request::form_fields(&prepared)));
        }
    }
    out
}

/// The config parser on JSON text: `Ok(())` when it is a valid config (then it also validates again and
/// resolves every operation's endpoint), else the error object.
pub fn config(text: &str) -> Result<(), Value> {
    let config = crate::Config::from_json_str(text).map_err(|e| e.to_json())?;
    config.validate().map_err(|e| e.to_json())?;
    for method in crate::methods::METHODS {
        let _ = config.endpoint_for(method);
    }
    Ok(())
}
