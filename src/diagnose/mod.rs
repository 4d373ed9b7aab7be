//! Diagnostics: why don't cards update? One call that checks, in order, everything between the till and
//! Passteam (DNS, proxy, TCP, TLS, the token, the clock, the request budget, the library) and says in plain
//! words what it found, each check with the figure it measured and one line of advice.
//!
//! Every network step has its own short bound, so the whole report comes back in well under ten seconds
//! even when the network is dead. The checks never send the token over a connection whose certificate was
//! not accepted: the TLS check only shakes hands, and the token check goes through the client's own,
//! verifying agent.

mod api;
mod info;
mod network;
mod tls;

use crate::Client;
use serde_json::{json, Map, Value};
use std::time::Instant;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    Warning,
    Failed,
}

impl Level {
    /// `"ok"`, `"warning"` or `"failed"`: the words of the JSON document.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warning => "warning",
            Level::Failed => "failed",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Check {
    /// A short stable name: `dns`, `proxy`, `tcp`, `tls`, `token`, `clock`, `quota`, `outbox`, `library`.
    pub name: &'static str,
    pub level: Level,
    /// What was measured, in a few words (`"2 addresses in 3 ms"`).
    pub figure: String,
    /// One line saying what to do about it (or what it means, when all is well).
    pub advice: String,
    /// The measured facts, for the JSON document.
    pub details: Map<String, Value>,
}

impl Check {
    pub(crate) fn new(
        name: &'static str,
        level: Level,
        figure: impl Into<String>,
        advice: impl Into<String>,
    ) -> Check {
        Check { name, level, figure: figure.into(), advice: advice.into(), details: Map::new() }
    }

    pub(crate) fn with(mut self, key: &str, value: Value) -> Check {
        self.details.insert(key.to_owned(), value);
        self
    }

    fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "status": self.level.as_str(),
            "figure": self.figure,
            "advice": self.advice,
            "details": self.details,
        })
    }
}

/// The whole diagnosis.
#[derive(Debug, Clone)]
pub struct Report {
    pub checks: Vec<Check>,
    /// How long the diagnosis took.
    pub elapsed_ms: u64,
}

impl Report {
    /// The worst level of any check.
    pub fn worst(&self) -> Level {
        self.checks.iter().map(|c| c.level).max().unwrap_or(Level::Ok)
    }

    /// The check of that name, if it ran.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// The JSON document: `{"ok", "worst", "elapsed_ms", "checks": [{"name", "status", "figure", "advice",
    /// "details"}]}`; `ok` is true when no check failed.
    pub fn to_json(&self) -> Value {
        json!({
            "ok": self.worst() != Level::Failed,
            "worst": self.worst().as_str(),
            "elapsed_ms": self.elapsed_ms,
            "checks": self.checks.iter().map(Check::to_json).collect::<Vec<_>>(),
        })
    }

    /// The human form: one aligned line per check (`name  status  figure — advice`). `colour` adds ANSI
    /// colours to the status word (the CLI asks for it only on a terminal).
    pub fn to_table(&self, colour: bool) -> String {
        let name_w = self.checks.iter().map(|c| c.name.len()).max().unwrap_or(4);
        let fig_w = self.checks.iter().map(|c| c.figure.chars().count()).max().unwrap_or(0).min(48);
        let mut out = String::new();
        for c in &self.checks {
            let word = c.level.as_str();
            let status = if colour {
                let code = match c.level {
                    Level::Ok => "32",
                    Level::Warning => "33",
                    Level::Failed => "31",
                };
                format!("\x1b[{code}m{word:<7}\x1b[0m")
            } else {
                format!("{word:<7}")
            };
            let pad = fig_w.saturating_sub(c.figure.chars().count());
            out.push_str(&format!(
                "{:<name_w$}  {status}  {}{}  {}\n",
                c.name,
                c.figure,
                " ".repeat(pad),
                c.advice
            ));
        }
        out
    }
}

/// Runs every check against the client's configuration.
pub fn diagnose(client: &Client) -> Report {
    let started = Instant::now();
    let config = client.config();
    let mut checks = Vec::new();
    let target = network::Target::from_config(config);
    checks.push(network::proxy(config));
    match &target {
        Err(check) => checks.push(check.clone()),
        Ok(target) => {
            let (dns, addresses) = network::dns(target, config);
            checks.push(dns);
            let (tcp, reachable) = network::tcp(target, &addresses, config);
            if let Some(tcp) = tcp {
                checks.push(tcp);
            }
            if let Some(tls) = tls::check(target, reachable, config) {
                checks.push(tls);
            }
        }
    }
    let exchange = api::token_and_clock(client);
    checks.extend(exchange);
    checks.push(api::quota(client));
    checks.extend(info::outbox(client));
    checks.push(info::library(client));
    Report { checks, elapsed_ms: started.elapsed().as_millis() as u64 }
}
