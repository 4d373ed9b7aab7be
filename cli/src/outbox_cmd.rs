//! `passteam outbox flush|stats|list|retry|discard`: the offline outbox of a till, from a shell.
//!
//! The outbox file comes from `--outbox PATH` (or `outbox_path` in `--config`); replay is manual here, so
//! only `flush` sends anything. Each subcommand prints the library's JSON document on stdout.

use crate::arg_error;
use crate::call::Connection;
use passteam::Error;
use serde_json::{json, Map, Value};
use std::ffi::OsString;
use std::time::Duration;

pub const USAGE: &str = "passteam outbox flush [--max-ms N] | stats | list [--state pending|dead] [--limit N] | \
                         retry ID | discard ID   [--outbox PATH] [--token T] [--base-url URL] [--config JSON]";

pub fn run(args: Vec<OsString>) -> Result<(), Error> {
    use lexopt::Arg::{Long, Value as Positional};
    let mut parser = lexopt::Parser::from_args(args);
    let mut conn = Connection::default();
    let (mut outbox, mut max_ms, mut state, mut limit) = (None, 5_000u64, None, None);
    let mut positional: Vec<String> = Vec::new();
    let utf8 = |v: OsString| v.into_string().map_err(|_| Error::invalid_argument("arguments must be UTF-8"));
    while let Some(arg) = parser.next().map_err(arg_error)? {
        match arg {
            Long("outbox") => outbox = Some(utf8(parser.value().map_err(arg_error)?)?),
            Long("max-ms") => max_ms = number(&utf8(parser.value().map_err(arg_error)?)?, "--max-ms")?,
            Long("state") => state = Some(utf8(parser.value().map_err(arg_error)?)?),
            Long("limit") => limit = Some(number(&utf8(parser.value().map_err(arg_error)?)?, "--limit")?),
            Long(name) => {
                let name = name.to_owned();
                if !conn.take(&name, &mut parser)? {
                    return Err(arg_error(Long(&name).unexpected()));
                }
            }
            Positional(v) => positional.push(utf8(v)?),
            other => return Err(arg_error(other.unexpected())),
        }
    }
    if let Some(path) = outbox {
        let mut config: Map<String, Value> = match conn.config.as_deref().map(serde_json::from_str) {
            Some(Ok(Value::Object(m))) => m,
            Some(_) => return Err(Error::invalid_json("--config must be a JSON object")),
            None => Map::new(),
        };
        config.insert("outbox_path".into(), Value::from(path));
        config.insert("outbox_replay".into(), Value::from("manual"));
        conn.config = Some(Value::Object(config).to_string());
    }
    let id = |text: Option<&String>| -> Result<i64, Error> {
        text.and_then(|t| t.parse().ok())
            .ok_or_else(|| Error::invalid_argument(format!("give the entry's id\n{USAGE}")))
    };
    let client = conn.client()?;
    let doc = match positional.first().map(String::as_str) {
        Some("flush") => client.outbox_flush(Duration::from_millis(max_ms))?,
        Some("stats") => client.outbox_stats()?,
        Some("list") => client.outbox_list(&json!({"state": state, "limit": limit}))?,
        Some("retry") => client.outbox_retry(id(positional.get(1))?)?,
        Some("discard") => client.outbox_discard(id(positional.get(1))?)?,
        _ => return Err(Error::invalid_argument(format!("usage: {USAGE}"))),
    };
    println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    Ok(())
}

fn number(text: &str, flag: &str) -> Result<u64, Error> {
    text.parse().map_err(|_| Error::invalid_argument(format!("{flag} takes a whole number")))
}
