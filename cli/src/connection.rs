//! The global options that say how to reach Passteam: flags first, then the environment.

use clap::Args;
use passteam::{Client, Error, Status};
use serde_json::{Map, Value};

/// How to reach the API. `global = true`: they may stand before or after the subcommand.
#[derive(Args, Debug, Default, Clone)]
pub struct ConnectionArgs {
    /// The API token (from the personal account, or `passteam call getatoken`).
    #[arg(long, global = true, env = "PASSTEAM_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// The API's base URL, without /oapi/v1 [default: https://getpass.passteam.ru].
    #[arg(long, global = true, env = "PASSTEAM_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// More client settings as a JSON object (any key of the library's config).
    #[arg(long, global = true, value_name = "JSON")]
    pub config: Option<String>,
    /// Bound on the whole call, retries included, in milliseconds.
    #[arg(long, global = true, value_name = "MS")]
    pub timeout_ms: Option<u64>,
}

impl ConnectionArgs {
    /// The token, if one was given (an empty `PASSTEAM_TOKEN` counts as none).
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref().filter(|t| !t.is_empty())
    }

    /// The base URL that calls will use.
    pub fn effective_base_url(&self) -> String {
        self.base_url
            .clone()
            .filter(|b| !b.is_empty())
            .or_else(|| self.config_map().ok()?.get("base_url")?.as_str().map(str::to_owned))
            .unwrap_or_else(|| passteam::Config::default().base_url)
    }

    fn config_map(&self) -> Result<Map<String, Value>, String> {
        match &self.config {
            None => Ok(Map::new()),
            Some(text) => match serde_json::from_str(text) {
                Ok(Value::Object(m)) => Ok(m),
                Ok(_) => Err("--config must be a JSON object".to_owned()),
                Err(e) => Err(format!("--config is not valid JSON: {e}")),
            },
        }
    }

    /// The client: `--config` overlaid with the flags and the environment. A broken `--config` is a
    /// usage error (exit 2); a config the library refuses is its error object.
    pub fn client(&self) -> Result<Client, Error> {
        let mut config = self
            .config_map()
            .unwrap_or_else(|message| crate::usage_error(clap::error::ErrorKind::ValueValidation, message));
        if let Some(t) = self.token() {
            config.insert("token".into(), Value::from(t));
        }
        if let Some(b) = self.base_url.as_deref().filter(|b| !b.is_empty()) {
            config.insert("base_url".into(), Value::from(b));
        }
        if let Some(ms) = self.timeout_ms {
            config.insert("timeout_ms".into(), Value::from(ms));
        }
        Client::new(passteam::Config::from_json(&config)?)
    }
}

/// The library says "no token" in its own terms (a config key); a shell user gives it as a flag or a
/// variable, so the message names those.
pub fn in_cli_terms(mut error: Error) -> Error {
    if error.status == Status::Auth && error.details.get("missing").and_then(Value::as_str) == Some("token") {
        let method = error.details.get("method").and_then(Value::as_str).unwrap_or("the call").to_owned();
        error.message = format!(
            "{method}: no API token given; pass --token TOKEN or set PASSTEAM_TOKEN \
             (or get one: passteam call getatoken '{{\"nickname\": \"..\", \"password\": \"..\"}}')"
        );
    }
    error
}
