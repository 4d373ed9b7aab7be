//! `passteam outbox flush|stats|list|retry|discard`: the offline outbox of a till, from a shell.
//!
//! The outbox file comes from `--outbox PATH` (or `outbox_path` in `--config`); replay is manual here, so
//! only `flush` sends anything. Each subcommand prints the library's JSON document on stdout.

use crate::connection::ConnectionArgs;
use passteam::Error;
use serde_json::{json, Map, Value};
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// The outbox file (the library's `outbox_path`); else `outbox_path` from --config.
    #[arg(long, value_name = "PATH", global = true)]
    outbox: Option<String>,
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Replay what is due now (at most --max-ms): {"sent", "failed", "pending", "dead"}.
    Flush {
        /// How long the replay may take, in milliseconds.
        #[arg(long, default_value_t = 5_000, value_name = "MS")]
        max_ms: u64,
    },
    /// {"pending", "dead", "oldest_age_ms", "last_error"}.
    Stats,
    /// The entries (id, method, params without the token, state, attempts, last_error, created_at).
    List {
        /// Only entries in this state.
        #[arg(long, value_parser = ["pending", "dead"])]
        state: Option<String>,
        /// At most this many entries.
        #[arg(long, value_name = "N")]
        limit: Option<u64>,
    },
    /// Put a dead entry back in line.
    Retry {
        /// The entry's id (from `list`).
        id: i64,
    },
    /// Drop an entry for good.
    Discard {
        /// The entry's id (from `list`).
        id: i64,
    },
}

pub fn run(args: Args, connection: &ConnectionArgs) -> Result<(), Error> {
    let mut connection = connection.clone();
    if let Some(path) = args.outbox {
        let mut config: Map<String, Value> = match connection.config.as_deref().map(serde_json::from_str) {
            Some(Ok(Value::Object(m))) => m,
            Some(_) => {
                crate::usage_error(clap::error::ErrorKind::ValueValidation, "--config must be a JSON object")
            }
            None => Map::new(),
        };
        config.insert("outbox_path".into(), Value::from(path));
        config.insert("outbox_replay".into(), Value::from("manual"));
        connection.config = Some(Value::Object(config).to_string());
    }
    let client = connection.client()?;
    let doc = match args.action {
        Action::Flush { max_ms } => client.outbox_flush(Duration::from_millis(max_ms))?,
        Action::Stats => client.outbox_stats()?,
        Action::List { state, limit } => client.outbox_list(&json!({"state": state, "limit": limit}))?,
        Action::Retry { id } => client.outbox_retry(id)?,
        Action::Discard { id } => client.outbox_discard(id)?,
    };
    crate::say!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    Ok(())
}
