//! `ВызватьПакет(ЗапросыJSON, ПараметрыJSON)` / `CallBatch(RequestsJSON, OptionsJSON)` (issue 16): the
//! core's bulk call (`Client::call_batch_json`), its arguments checked and named in the add-in's terms.

use crate::args::{json_params, text};
use crate::native::Arg;
use crate::terms;
use passteam::batch::BatchOptions;
use passteam::{Client, Error};
use serde_json::Value;

/// Parameter 1: text holding a JSON array of `{"method": "updatecard", "params": {...}}`. Required: an
/// empty text is an error (an empty batch is `[]`).
pub fn requests(arg: Arg<'_>, title: &str) -> Result<Value, Error> {
    let what = format!("{title}: parameter 1 (ЗапросыJSON / RequestsJSON)");
    let source = text(arg, &what)?;
    if source.trim().is_empty() {
        return Err(Error::invalid_json(format!(
            "{what} is empty; give a JSON array of {{\"method\", \"params\"}} objects"
        )));
    }
    match serde_json::from_str::<Value>(&source) {
        Ok(list @ Value::Array(_)) => Ok(list),
        Ok(_) => Err(Error::invalid_json(format!(
            "{what} must be a JSON array ([...]) of {{\"method\", \"params\"}} objects"
        ))),
        Err(e) => Err(Error::invalid_json(format!("{what} is not valid JSON: {e}"))),
    }
}

/// Parameter 2: `{"concurrency": 1..64, "timeout_ms": N}`, both optional; omitted, Неопределено, "" or
/// "{}" = the defaults (4 at once, no batch deadline).
pub fn options(arg: Arg<'_>, title: &str) -> Result<BatchOptions, Error> {
    let what = format!("{title}: parameter 2 (ПараметрыJSON / OptionsJSON)");
    match json_params(arg, &what)? {
        Value::Null => Ok(BatchOptions::default()),
        given => BatchOptions::from_json(&given).map_err(|e| {
            let why = e.message.strip_prefix("options: ").unwrap_or(&e.message).to_owned();
            Error { message: format!("{what}: {why}"), ..e }
        }),
    }
}

/// Runs the batch: the JSON array text of `{"status": 0, "result": ...}` / `{"status": N, "error": {...}}`
/// in input order. A failing item is an entry of the answer, never a failure of the call.
pub fn run(client: &Client, requests: &Value, options: &BatchOptions, title: &str) -> Result<String, Error> {
    let answer = client.call_batch_json(requests, options)?;
    Ok(terms::restate_batch(answer, title))
}
