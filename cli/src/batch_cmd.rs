//! `passteam batch [REQUESTS_JSON_FILE|-]`: many operations on one client (`Client::call_batch_json`), the
//! per-item results as one JSON array on stdout, in input order.

use clap::error::ErrorKind;
use passteam::batch::{BatchOptions, DEFAULT_CONCURRENCY, MAX_CONCURRENCY};
use passteam::Error;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
#[command(after_help = "Input: a JSON array of {\"method\", \"params\"}, e.g.\n  \
                        [{\"method\": \"getcard\", \"params\": {\"cardId\": \"...\"}},\n   \
                        {\"method\": \"updatecard\", \"params\": {\"cardId\": \"...\", \"values\": \
                        {\"BONUS\": 120}}}]\n\
                        Output: one array, an answer per item in input order: {\"status\": 0, \"result\": \
                        ...} or {\"status\": N, \"error\": {...}} (the error object of `passteam call`). A \
                        failing item never stops the others.\n\n\
                        Exit status: 0 when every item answered status 0; 1 when some did not (including \
                        an item queued in the outbox: it is not delivered yet); 2 for a usage error (an \
                        unreadable file, input that is not JSON or not such an array, bad options or \
                        config).\n\n\
                        Examples:\n  passteam batch updates.json\n  \
                        passteam batch --concurrency 8 --lines - < updates.json")]
pub struct Args {
    /// A file holding the JSON array of {"method", "params"}, or `-` for stdin [default: -].
    #[arg(value_name = "REQUESTS_JSON_FILE")]
    requests: Option<String>,
    /// Items in flight at once (1 to 64), over the client's keep-alive pool.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY as u64,
          value_parser = clap::value_parser!(u64).range(1..=MAX_CONCURRENCY as u64))]
    concurrency: u64,
    /// The whole batch's deadline in milliseconds: items not started by then answer PASSTEAM_ERR_TIMEOUT
    /// without being sent (each item keeps the client's own --timeout-ms too). 0 = none.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    deadline_ms: u64,
    /// One result per line (JSON Lines) instead of one array.
    #[arg(long)]
    lines: bool,
}

/// Runs the batch; `Ok` carries the exit code (0 all succeeded, 1 some failed).
pub fn run(args: Args, connection: &crate::connection::ConnectionArgs) -> Result<ExitCode, Error> {
    let requests = read_requests(args.requests.as_deref().unwrap_or("-"));
    let options = BatchOptions {
        concurrency: args.concurrency as usize,
        deadline: (args.deadline_ms > 0).then(|| Duration::from_millis(args.deadline_ms)),
    };
    // A config the library refuses is a wrong command line too (exit 2, not 1: 1 says "some item failed").
    let client =
        connection.client().unwrap_or_else(|e| crate::usage_error(ErrorKind::ValueValidation, e.message));
    // Only the shape of the whole input can fail the batch (not an array, too many items): the command
    // line was wrong, so it is a usage error like PARAMS_JSON of `call`.
    let answers = client
        .call_batch_json(&requests, &options)
        .unwrap_or_else(|e| crate::usage_error(ErrorKind::ValueValidation, e.message));
    // Each answer is printed as the library wrote it (a result is never parsed and printed again).
    let items: Vec<Box<RawValue>> = serde_json::from_str(&answers)
        .map_err(|e| Error::internal(format!("the batch's answer is not a JSON array (a bug): {e}")))?;
    let all_ok = items.iter().all(|item| succeeded(item));
    if args.lines {
        for item in &items {
            crate::say!("{}", item.get());
        }
    } else if items.is_empty() {
        crate::say!("[]");
    } else {
        let body: Vec<&str> = items.iter().map(|item| item.get()).collect();
        crate::say!("[\n  {}\n]", body.join(",\n  "));
    }
    Ok(if all_ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Whether one answer `{"status": N, ...}` says success.
fn succeeded(item: &RawValue) -> bool {
    let fields: Result<HashMap<String, Box<RawValue>>, _> = serde_json::from_str(item.get());
    fields.is_ok_and(|f| f.get("status").is_some_and(|s| s.get() == "0"))
}

/// The requests document from a file or stdin; what cannot be read or parsed is a usage error.
fn read_requests(source: &str) -> Value {
    let mut text = String::new();
    let (read, name) = if source == "-" {
        (std::io::stdin().read_to_string(&mut text).map(|_| ()), "stdin".to_owned())
    } else {
        (std::fs::read_to_string(source).map(|t| text = t), source.to_owned())
    };
    if let Err(e) = read {
        crate::usage_error(ErrorKind::Io, format!("cannot read the requests from {name}: {e}"));
    }
    let requests: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        crate::usage_error(
            ErrorKind::ValueValidation,
            format!(
                "the requests in {name} are not valid JSON ({e}); expected an array of \
                 {{\"method\", \"params\"}}"
            ),
        )
    });
    if !requests.is_array() {
        crate::usage_error(
            ErrorKind::ValueValidation,
            format!("the requests in {name} must be a JSON array of {{\"method\", \"params\"}}"),
        );
    }
    requests
}
