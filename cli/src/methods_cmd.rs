//! `passteam methods`: the method table, for people or (`--json`) for programs.

use passteam::{Error, METHODS};

#[derive(clap::Args)]
pub struct Args {
    /// Print the table as JSON (what `passteam_methods_json()` returns).
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<(), Error> {
    if args.json {
        crate::say!("{}", serde_json::to_string_pretty(&passteam::methods_json()).unwrap_or_default());
        return Ok(());
    }
    for m in METHODS {
        let params: Vec<String> = m
            .params
            .iter()
            .map(|p| if p.required { p.name.to_owned() } else { format!("[{}]", p.name) })
            .collect();
        let flags = match (m.idempotent, m.deprecated) {
            (true, false) => "",
            (false, false) => " (not idempotent)",
            (true, true) => " (deprecated)",
            (false, true) => " (deprecated, not idempotent)",
        };
        crate::say!(
            "{:<24} {:<6} {}{}\n    {}",
            m.camel,
            m.verb.as_str(),
            params.join(" "),
            flags,
            m.summary
        );
    }
    Ok(())
}
