//! `passteam doctor`: why cards don't update, in plain words (the library's `passteam_diagnose`).
//!
//! Same config sources as `call`. A short aligned table on stdout (colours only on a terminal), or the
//! JSON document with `--json`. Exit code 0 when no check failed, 1 when one did.

use crate::connection::ConnectionArgs;
use passteam::diagnose::Level;
use passteam::Error;
use std::io::IsTerminal;

#[derive(clap::Args)]
pub struct Args {
    /// Print the whole report as JSON instead of the table.
    #[arg(long)]
    json: bool,
}

/// Runs the diagnosis; `Ok(true)` when nothing failed.
pub fn run(args: Args, connection: &ConnectionArgs) -> Result<bool, Error> {
    let client = connection.client()?;
    let report = client.diagnose();
    if args.json {
        crate::say!("{}", serde_json::to_string_pretty(&report.to_json()).unwrap_or_default());
    } else {
        let table = report.to_table(std::io::stdout().is_terminal());
        crate::say!("{}", table.trim_end());
    }
    Ok(report.worst() != Level::Failed)
}
