//! Entry points for the fuzz targets in `fuzz/` (not part of the supported API): the request-body
//! decoder, reached without a socket.

use serde_json::{Map, Value};

/// How deep a decoded form value may nest.
pub use crate::form::MAX_NESTING;

/// Decodes a request's query string and body as the sandbox does before any check: `Ok(the nested
/// parameters)` or the 400 message it would reply with.
pub fn decode_form(
    content_type: Option<&str>,
    body: &[u8],
    query: &str,
) -> Result<Map<String, Value>, String> {
    let params = crate::form::Params::parse(content_type, body, query);
    match params.error {
        Some(e) => Err(e),
        None => Ok(params.nested),
    }
}
