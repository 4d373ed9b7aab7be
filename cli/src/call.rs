//! `passteam call` and `passteam methods`.

use crate::arg_error;
use passteam::{Client, Error, METHODS};
use serde_json::{Map, Value};
use std::ffi::OsString;
use std::io::Read;

/// Where the client comes from: flags first, then the environment.
#[derive(Default)]
pub struct Connection {
    pub token: Option<String>,
    pub base_url: Option<String>,
    pub config: Option<String>,
    pub timeout_ms: Option<u64>,
}

impl Connection {
    /// Reads `--token`, `--base-url`, `--config`, `--timeout-ms` if `long` names one of them.
    pub fn take(&mut self, long: &str, parser: &mut lexopt::Parser) -> Result<bool, Error> {
        let value = |p: &mut lexopt::Parser| -> Result<String, Error> {
            p.value()
                .map_err(arg_error)?
                .into_string()
                .map_err(|_| Error::invalid_argument("arguments must be UTF-8"))
        };
        match long {
            "token" => self.token = Some(value(parser)?),
            "base-url" => self.base_url = Some(value(parser)?),
            "config" => self.config = Some(value(parser)?),
            "timeout-ms" => {
                let text = value(parser)?;
                self.timeout_ms =
                    Some(text.parse().map_err(|_| Error::invalid_argument("--timeout-ms takes a number"))?);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The client config: `--config` JSON, overlaid with the flags and the environment.
    pub fn client(&self) -> Result<Client, Error> {
        let mut config: Map<String, Value> = match &self.config {
            Some(text) => match serde_json::from_str(text) {
                Ok(Value::Object(m)) => m,
                Ok(_) => return Err(Error::invalid_json("--config must be a JSON object")),
                Err(e) => return Err(Error::invalid_json(format!("--config is not valid JSON: {e}"))),
            },
            None => Map::new(),
        };
        let token =
            self.token.clone().or_else(|| std::env::var("PASSTEAM_TOKEN").ok().filter(|t| !t.is_empty()));
        let base = self
            .base_url
            .clone()
            .or_else(|| std::env::var("PASSTEAM_BASE_URL").ok().filter(|t| !t.is_empty()));
        if let Some(t) = token {
            config.insert("token".into(), Value::from(t));
        }
        if let Some(b) = base {
            config.insert("base_url".into(), Value::from(b));
        }
        if let Some(ms) = self.timeout_ms {
            config.insert("timeout_ms".into(), Value::from(ms));
        }
        Client::new(passteam::Config::from_json(&config)?)
    }
}

pub fn run(args: Vec<OsString>) -> Result<(), Error> {
    use lexopt::Arg::{Long, Value as Positional};
    let mut parser = lexopt::Parser::from_args(args);
    let mut conn = Connection::default();
    let mut positional: Vec<String> = Vec::new();
    while let Some(arg) = parser.next().map_err(arg_error)? {
        match arg {
            Long(name) => {
                let name = name.to_owned();
                if !conn.take(&name, &mut parser)? {
                    return Err(arg_error(Long(&name).unexpected()));
                }
            }
            Positional(v) => positional
                .push(v.into_string().map_err(|_| Error::invalid_argument("arguments must be UTF-8"))?),
            other => return Err(arg_error(other.unexpected())),
        }
    }
    let (method, params_text) = match positional.as_slice() {
        [m] => (m.clone(), "{}".to_owned()),
        [m, p] if p == "-" => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Error::invalid_argument(format!("stdin: {e}")))?;
            (m.clone(), text)
        }
        [m, p] => (m.clone(), p.clone()),
        _ => return Err(Error::invalid_argument("call takes METHOD and at most one PARAMS_JSON")),
    };
    let params: Value = if params_text.trim().is_empty() {
        Value::Object(Map::new())
    } else {
        serde_json::from_str(&params_text)
            .map_err(|e| Error::invalid_json(format!("PARAMS_JSON is not valid JSON: {e}")))?
    };
    if !params.is_object() {
        return Err(Error::invalid_json("PARAMS_JSON must be a JSON object"));
    }
    let result = conn.client()?.call(&method, params)?;
    println!("{}", serde_json::to_string_pretty(&result).unwrap_or_default());
    Ok(())
}

pub fn methods(args: Vec<OsString>) -> Result<(), Error> {
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&passteam::methods_json()).unwrap_or_default());
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
        println!("{:<24} {:<6} {}{}\n    {}", m.camel, m.verb.as_str(), params.join(" "), flags, m.summary);
    }
    Ok(())
}
