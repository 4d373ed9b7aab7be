//! `passteam call METHOD [PARAMS_JSON|-]`: one operation, its result as pretty JSON on stdout.

use crate::connection::{in_cli_terms, ConnectionArgs};
use clap::error::ErrorKind;
use passteam::Error;
use serde_json::{Map, Value};
use std::io::Read;

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  passteam call getListTemplates\n  passteam call getCard \
                        '{\"cardId\": \"5f0c1a2b3c4d5e6f7a8b9c0d\"}'\n  echo '{\"templateId\": \"..\"}' | \
                        passteam call getCardsWithPagination -\n\nOn failure the error object goes to \
                        stderr and the exit code is its status (PASSTEAM_ERR_*).")]
pub struct Args {
    /// The operation, as listed by `passteam methods` (any case: getCard, getcard, get_card).
    #[arg(value_name = "METHOD")]
    method: String,
    /// The parameters as a JSON object, or `-` to read them from stdin [default: {}].
    #[arg(value_name = "PARAMS_JSON")]
    params: Option<String>,
}

pub fn run(args: Args, connection: &ConnectionArgs) -> Result<(), Error> {
    if passteam::methods::find(&args.method).is_none() {
        crate::usage_error(
            ErrorKind::InvalidValue,
            format!("unknown method {:?}; `passteam methods` lists the operations", args.method),
        );
    }
    let params = read_params(args.params.as_deref());
    let result = connection.client()?.call(&args.method, params).map_err(in_cli_terms)?;
    crate::say!("{}", serde_json::to_string_pretty(&result).unwrap_or_default());
    Ok(())
}

/// The parameters object; anything else is a usage error (the command line was wrong, not the API).
fn read_params(text: Option<&str>) -> Value {
    let text = match text {
        None => return Value::Object(Map::new()),
        Some("-") => {
            let mut buffer = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut buffer) {
                crate::usage_error(ErrorKind::Io, format!("cannot read PARAMS_JSON from stdin: {e}"));
            }
            buffer
        }
        Some(text) => text.to_owned(),
    };
    if text.trim().is_empty() {
        return Value::Object(Map::new());
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(value @ Value::Object(_)) => value,
        Ok(_) => crate::usage_error(
            ErrorKind::ValueValidation,
            "PARAMS_JSON must be a JSON object, e.g. '{\"cardId\": \"...\"}'",
        ),
        Err(e) => {
            crate::usage_error(ErrorKind::ValueValidation, format!("PARAMS_JSON is not valid JSON: {e}"))
        }
    }
}
