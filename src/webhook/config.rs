//! The receiver's configuration: one JSON object, the same in every language.

use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Every key [`WebhookConfig::from_json`] accepts (an unknown key is an error that names it).
pub const WEBHOOK_CONFIG_KEYS: [&str; 10] = [
    "listen",
    "path",
    "store_path",
    "retention_days",
    "max_body_bytes",
    "max_connections",
    "header_timeout_ms",
    "body_timeout_ms",
    "tls_cert",
    "tls_key",
];

/// The shortest secret path accepted: the path is the receiver's only credential.
pub const MIN_PATH_CHARS: usize = 16;

/// How the receiver listens, stores and bounds its work.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Where to listen, e.g. `0.0.0.0:8443`; `127.0.0.1:0` lets the OS pick a port (read it back from
    /// [`super::WebhookServer::local_addr`]). Default `127.0.0.1:0`.
    pub listen: SocketAddr,
    /// The secret path Passteam posts to, e.g. `/passteam/6f1c0e…`; at least [`MIN_PATH_CHARS`] characters.
    pub path: String,
    /// The SQLite file that holds received events until they are acknowledged (created if absent).
    pub store_path: PathBuf,
    /// How long acknowledged events are remembered to recognise Passteam's repeats (default 7 days).
    pub retention: Duration,
    /// Bodies larger than this are refused with 413 (default 1 MiB).
    pub max_body_bytes: usize,
    /// Connections served at once; more get 503 at once (default 64).
    pub max_connections: usize,
    /// Time a client has to send the request line and headers (default 5 s).
    pub header_timeout: Duration,
    /// Time a client has to send the body after its headers (default 10 s).
    pub body_timeout: Duration,
    /// PEM certificate chain and private key: when both are set the receiver speaks HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
}

impl WebhookConfig {
    /// Reads the config object; every problem is `InvalidArgument` naming the key.
    pub fn from_json(object: &Map<String, Value>) -> Result<WebhookConfig> {
        if let Some(unknown) = object.keys().find(|k| !WEBHOOK_CONFIG_KEYS.contains(&k.as_str())) {
            return Err(Error::invalid_argument(format!(
                "unknown webhook config key {unknown:?} (known: {})",
                WEBHOOK_CONFIG_KEYS.join(", ")
            )));
        }
        let listen_text = text(object, "listen")?.unwrap_or("127.0.0.1:0");
        let listen = listen_text.parse::<SocketAddr>().map_err(|_| {
            Error::invalid_argument(format!("listen {listen_text:?} is not an address like \"0.0.0.0:8443\""))
        })?;
        let path = text(object, "path")?
            .ok_or_else(|| Error::invalid_argument("path is required: the secret path Passteam posts to"))?
            .to_owned();
        check_path(&path)?;
        let store_path = text(object, "store_path")?
            .filter(|p| !p.trim().is_empty())
            .ok_or_else(|| {
                Error::invalid_argument(
                    "store_path is required: the SQLite file that keeps events until acked",
                )
            })?
            .into();
        let retention_days = number(object, "retention_days", 7, 1, 3650)?;
        let tls = match (text(object, "tls_cert")?, text(object, "tls_key")?) {
            (Some(cert), Some(key)) => Some((cert.into(), key.into())),
            (None, None) => None,
            _ => {
                return Err(Error::invalid_argument("tls_cert and tls_key go together: set both or neither"))
            }
        };
        Ok(WebhookConfig {
            listen,
            path,
            store_path,
            retention: Duration::from_secs(retention_days * 86_400),
            max_body_bytes: number(object, "max_body_bytes", 1 << 20, 64, 64 << 20)? as usize,
            max_connections: number(object, "max_connections", 64, 1, 4096)? as usize,
            header_timeout: Duration::from_millis(number(object, "header_timeout_ms", 5_000, 10, 600_000)?),
            body_timeout: Duration::from_millis(number(object, "body_timeout_ms", 10_000, 10, 600_000)?),
            tls,
        })
    }
}

fn check_path(path: &str) -> Result<()> {
    if !path.starts_with('/') || path.contains(['?', '#', ' ']) || path.chars().any(char::is_control) {
        return Err(Error::invalid_argument("path must start with / and hold no spaces, ? or #"));
    }
    if path.chars().count() < MIN_PATH_CHARS {
        return Err(Error::invalid_argument(format!(
            "path must be at least {MIN_PATH_CHARS} characters: it is the receiver's only secret \
             (e.g. \"/passteam/\" followed by 24 random hex digits)"
        )));
    }
    Ok(())
}

fn text<'a>(object: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::invalid_argument(format!("{key} must be a string"))),
    }
}

fn number(object: &Map<String, Value>, key: &str, default: u64, min: u64, max: u64) -> Result<u64> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(Error::invalid_argument(format!("{key} must be a whole number from {min} to {max}"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(value: Value) -> Result<WebhookConfig> {
        WebhookConfig::from_json(value.as_object().unwrap())
    }

    #[test]
    fn defaults_apply_and_the_path_is_required() {
        let c = config(json!({"path": "/hooks/0123456789abcdef", "store_path": "/tmp/x.db"})).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:0");
        assert_eq!(c.retention, Duration::from_secs(7 * 86_400));
        assert_eq!(c.max_body_bytes, 1 << 20);
        assert!(config(json!({"store_path": "/tmp/x.db"})).unwrap_err().message.contains("path is required"));
    }

    #[test]
    fn bad_values_are_named() {
        let base = |extra: Value| {
            let mut v = json!({"path": "/hooks/0123456789abcdef", "store_path": "/tmp/x.db"});
            v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            config(v).unwrap_err().message
        };
        assert!(base(json!({"path": "/short"})).contains("at least 16"));
        assert!(base(json!({"path": "no-leading-slash-here"})).contains("start with /"));
        assert!(base(json!({"listen": "localhost"})).contains("listen"));
        assert!(base(json!({"retention_days": 0})).contains("retention_days"));
        assert!(base(json!({"tls_cert": "/c.pem"})).contains("go together"));
        assert!(base(json!({"colour": 1})).contains("unknown webhook config key \"colour\""));
        assert!(base(json!({"store_path": ""})).contains("store_path is required"));
    }
}
