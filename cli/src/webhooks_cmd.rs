//! `passteam webhooks`: run the durable webhook receiver from a shell, or check one payload.
//!
//! ```text
//! passteam webhooks serve --path /passteam/SECRET --store FILE [--listen ADDR] [--config JSON] [--max-events N]
//! passteam webhooks parse [BODY_JSON|-]
//! ```
//! `serve` prints one JSON line per event on stdout, `{"webhookId", "event", "card"}`, and acknowledges it
//! only once the line is written and flushed: an event printed to a pipe that broke is delivered again at
//! the next start. The receiver's info (`{"listen", "port", "url", …}`) goes to stderr as one JSON line.
//! The arguments are read by hand (no parser crate), so this file does not depend on the CLI's parser.

use passteam::webhook::{parse, WebhookConfig, WebhookServer};
use passteam::Error;
use serde_json::{Map, Value};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::time::Duration;

pub const USAGE: &str = "\
  passteam webhooks serve --path /passteam/SECRET --store FILE [--listen ADDR] [--config JSON] [--max-events N]
  passteam webhooks parse [BODY_JSON|-]";

pub fn run(args: Vec<OsString>) -> Result<(), Error> {
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.into_string().map_err(|_| Error::invalid_argument("arguments must be UTF-8")))
        .collect::<Result<_, _>>()?;
    match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("parse") => parse_cmd(&args[1..]),
        _ => Err(usage("webhooks takes serve or parse")),
    }
}

fn usage(what: &str) -> Error {
    Error::invalid_argument(format!("{what}\nusage:\n{USAGE}"))
}

fn parse_cmd(args: &[String]) -> Result<(), Error> {
    let body = match args {
        [] => read_stdin()?,
        [dash] if dash == "-" => read_stdin()?,
        [body] => body.clone(),
        _ => return Err(usage("parse takes one body (or - or nothing for stdin)")),
    };
    let event = parse(body.as_bytes())?;
    println!("{}", event.to_json());
    Ok(())
}

fn read_stdin() -> Result<String, Error> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(64 << 20)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::invalid_argument(format!("cannot read stdin: {e}")))?;
    // Not UTF-8 is the parser's to report, as for a body off the wire.
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

fn serve(args: &[String]) -> Result<(), Error> {
    let mut config = Map::new();
    let mut max_events: Option<u64> = None;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().cloned().ok_or_else(|| usage(&format!("{flag} takes a value")));
        match flag.as_str() {
            "--path" => {
                config.insert("path".into(), Value::String(value()?));
            }
            "--store" => {
                config.insert("store_path".into(), Value::String(value()?));
            }
            "--listen" => {
                config.insert("listen".into(), Value::String(value()?));
            }
            "--config" => match serde_json::from_str::<Value>(&value()?) {
                Ok(Value::Object(extra)) => config.extend(extra),
                _ => return Err(Error::invalid_json("--config must be a JSON object")),
            },
            "--max-events" => {
                max_events = Some(value()?.parse().map_err(|_| usage("--max-events takes a number"))?);
            }
            other => return Err(usage(&format!("unknown option {other:?}"))),
        }
    }
    let server = WebhookServer::start(WebhookConfig::from_json(&config)?)?;
    eprintln!("{}", server.info());
    let mut printed = 0u64;
    while max_events.is_none_or(|max| printed < max) {
        let Some(event) = server.next(Duration::from_secs(1))? else { continue };
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{event}").and_then(|()| out.flush()).is_err() {
            // Nobody reads us any more: stop without acknowledging, the event stays for the next start.
            return Ok(());
        }
        server.ack(event["webhookId"].as_str().unwrap_or_default())?;
        printed += 1;
    }
    Ok(())
}
