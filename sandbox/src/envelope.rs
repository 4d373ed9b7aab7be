//! The API's reply envelope (`{"result", "message", "code", "error"}`) and the error every handler returns.

use serde::Serialize;

use crate::http::Reply;

/// `{"result": R, "message": "OK", "code": 200, "error": false}` with `R` already serialized (so the
/// field order of the structs is kept).
pub fn envelope_ok(result_json: &str) -> Reply {
    Reply::json(200, format!(r#"{{"result":{result_json},"message":"OK","code":200,"error":false}}"#))
}

/// `{"result": null, "message": M, "code": C, "error": true}` with HTTP status C.
pub fn envelope_err(code: u16, message: &str) -> Reply {
    let msg = serde_json::to_string(message).unwrap_or_else(|_| "\"error\"".into());
    Reply::json(code, format!(r#"{{"result":null,"message":{msg},"code":{code},"error":true}}"#))
}

/// An API error: the envelope code (= HTTP status) and message.
pub struct ApiErr(pub u16, pub String);

/// What a handler returns: the `result` as JSON text, or the error.
pub type Res = Result<String, ApiErr>;

impl ApiErr {
    pub fn into_reply(self) -> Reply {
        envelope_err(self.0, &self.1)
    }
}

/// A 400 with that message.
pub fn bad(msg: impl Into<String>) -> ApiErr {
    ApiErr(400, msg.into())
}

/// The vendor's 409 for a value (or card code) another card already has.
pub fn duplicated(value: &str, name: &str, ids: &[String]) -> ApiErr {
    ApiErr(
        409,
        format!(
            "Provided value ({value}) of field ({name}) is duplicated. Duplicated cards: {}",
            ids.join(" ")
        ),
    )
}

/// The 500 the vendor sends when a unique variable is missing or blank.
pub fn unique_must_be_set(bare_name: &str) -> ApiErr {
    ApiErr(500, format!("Provided field ({bare_name}) is unique and must be set."))
}

/// Serializes a result (our own structs cannot fail; `null` keeps the envelope valid if one ever does).
pub fn ser<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}
