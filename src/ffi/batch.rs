//! The bulk-call export.

use super::convert::{deliver, guarded, json_object_arg, text_arg};
use super::{PassteamClient, PASSTEAM_ERR_INVALID_ARGUMENT};
use passteam::batch::BatchOptions;
use passteam::error::Error;
use serde_json::value::RawValue;
use serde_json::Value;
use std::os::raw::c_char;
use std::ptr;

/// Runs many operations on one client with bounded concurrency and answers them in input order.
///
/// requests_json: a JSON array of {"method": "updatecard", "params": {...}} (at most 100000 items).
/// options_json: NULL, "" or a JSON object: "concurrency" (items in flight at once, 1-64, default 4) and
/// "timeout_ms" (the whole batch's deadline: items not started by then answer PASSTEAM_ERR_TIMEOUT and
/// are not sent; 0 or absent = none; each item also keeps the client's own timeout_ms).
///
/// Every item goes through the same path as passteam_call (retries, the request budget shared with
/// every other call of the client, exactly-once issuecard); a failing item never stops the others.
/// On PASSTEAM_OK *out_json is an array with one entry per request, in the same order:
/// {"status": 0, "result": ...} or {"status": N, "error": {the error object}}. The batch itself fails
/// (with the error object in *out_json) only when requests_json is not a JSON array, is too long, or the
/// options are wrong. A NULL out_json is PASSTEAM_ERR_INVALID_ARGUMENT and nothing runs. Free *out_json
/// with passteam_string_free.
///
/// # Safety
/// client is NULL or a live client; requests_json and options_json are NULL or NUL-terminated strings;
/// out_json is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_call_batch(
    client: *const PassteamClient,
    requests_json: *const c_char,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    if out_json.is_null() {
        return PASSTEAM_ERR_INVALID_ARGUMENT;
    }
    *out_json = ptr::null_mut();
    let outcome = guarded(|| {
        let client = PassteamClient::enter(client)?;
        let text = text_arg(requests_json, "requests_json")?;
        let requests: Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid_json(format!("requests_json is not valid JSON: {e}")))?;
        let options = BatchOptions::from_json(&json_object_arg(options_json, "options_json")?)?;
        let answer = client.inner.call_batch_json(&requests, &options)?;
        RawValue::from_string(answer).map_err(|e| Error::internal(format!("batch answer: {e}")))
    });
    deliver(outcome, out_json)
}
