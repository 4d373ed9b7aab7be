//! The checks that need no network: the library itself, the config in force, and (when configured) the
//! offline outbox.

use super::{Check, Level};
use crate::config::{Config, TlsRoots};
use crate::Client;
use serde_json::{json, Value};

/// The library's version, ABI version and platform, and the config in force (the token masked).
pub(crate) fn library(client: &Client) -> Check {
    let abi =
        format!("{}.{}", crate::ffi::PASSTEAM_ABI_VERSION_MAJOR, crate::ffi::PASSTEAM_ABI_VERSION_MINOR);
    let platform = format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH);
    Check::new(
        "library",
        Level::Ok,
        format!("passteam {} (ABI {abi}), {platform}", crate::VERSION),
        "give these figures when you report a problem",
    )
    .with("version", json!(crate::VERSION))
    .with("abi", json!(abi))
    .with("platform", json!(platform))
    .with("config", config_in_force(client.config()))
}

/// The outbox's state, when the client has one. (The offline outbox reports pending and dead entries, the
/// oldest one's age and the breaker's state here.)
pub(crate) fn outbox(_client: &Client) -> Option<Check> {
    None
}

/// The config as the client uses it, with the token reduced to its length and the proxy's credentials hidden.
pub(crate) fn config_in_force(config: &Config) -> Value {
    let token = config
        .token
        .as_deref()
        .map_or(Value::Null, |t| json!(format!("*** ({} characters)", t.chars().count())));
    json!({
        "token": token,
        "base_url": config.base_url,
        "timeout_ms": config.timeout.as_millis() as u64,
        "connect_timeout_ms": config.connect_timeout.as_millis() as u64,
        "read_timeout_ms": config.read_timeout.as_millis() as u64,
        "user_agent": config.user_agent,
        "proxy": config.proxy.as_deref().map(mask_proxy),
        "body_encoding": format!("{:?}", config.body_encoding).to_lowercase(),
        "max_response_bytes": config.max_response_bytes,
        "allow_insecure_http": config.allow_insecure_http,
        "max_attempts": config.retry.max_attempts,
        "quota_per_hour": config.quota_per_hour,
        "quota_per_day": config.quota_per_day,
        "tls_roots": match config.tls_roots { TlsRoots::Bundled => "bundled", TlsRoots::System => "system" },
        "ca_bundle": config.ca_bundle.as_ref().map(|p| p.display().to_string()),
        "log_file": config.log_file.as_ref().map(|p| p.display().to_string()),
    })
}

fn mask_proxy(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}***{}", &url[..scheme + 3], &url[at..]),
        _ => url.to_owned(),
    }
}
