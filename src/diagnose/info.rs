//! The checks that need no network: the library itself, the config in force, and (when configured) the
//! offline outbox.

use super::{Check, Level};
use crate::config::{Config, TlsRoots};
use crate::Client;
use serde_json::{json, Value};

/// The library's version, ABI version and platform, and the config in force (the token masked).
pub(crate) fn library(client: &Client) -> Check {
    let abi = abi_version();
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

/// The version of the C ABI this core serves, as `MAJOR.MINOR`. The same in every host: libpassteam, the
/// CLI and the 1C add-in link one build of the core (the add-in does not export the C ABI, but its core
/// is the one libpassteam of this version wraps).
fn abi_version() -> String {
    format!("{}.{}", crate::ABI_VERSION_MAJOR, crate::ABI_VERSION_MINOR)
}

/// The outbox's state, when the client has one: pending and dead entries, the oldest one's age, the last
/// error, and the circuit breaker.
pub(crate) fn outbox(client: &Client) -> Option<Check> {
    let breaker_open = client.breaker_open()?;
    if client.config().outbox_path.is_none() {
        return Some(
            if breaker_open {
                Check::new(
                    "outbox",
                    Level::Warning,
                    "breaker open",
                    "calls fail at once until the cool-down ends",
                )
            } else {
                Check::new(
                    "outbox",
                    Level::Ok,
                    "no outbox, breaker closed",
                    "the circuit breaker lets calls through",
                )
            }
            .with("breaker_open", json!(breaker_open)),
        );
    }
    let stats = match client.outbox_stats() {
        Ok(stats) => stats,
        Err(e) => {
            return Some(Check::new(
                "outbox",
                Level::Failed,
                "unreadable",
                format!(
                    "the outbox file cannot be read ({}): check outbox_path and its folder's rights",
                    e.message
                ),
            ))
        }
    };
    let n = |key: &str| stats.get(key).and_then(Value::as_u64).unwrap_or(0);
    let (pending, dead, oldest_ms) = (n("pending"), n("dead"), n("oldest_age_ms"));
    let last_error = stats.get("last_error").cloned().unwrap_or(Value::Null);
    let breaker = if breaker_open { ", breaker open" } else { "" };
    let figure = format!("{pending} pending, {dead} dead, oldest {} s{breaker}", oldest_ms / 1000);
    let (level, advice) = if dead > 0 {
        (
            Level::Failed,
            "Passteam refused queued calls (see `passteam outbox list --state dead`): fix and `retry`, or `discard` them"
                .to_owned(),
        )
    } else if pending > 0 || breaker_open {
        (
            Level::Warning,
            "calls are queued and will be sent when Passteam is reachable again (`passteam outbox flush` sends them now)"
                .to_owned(),
        )
    } else {
        (Level::Ok, "nothing waits to be sent".to_owned())
    };
    Some(
        Check::new("outbox", level, figure, advice)
            .with("pending", json!(pending))
            .with("dead", json!(dead))
            .with("oldest_age_ms", json!(oldest_ms))
            .with("last_error", last_error)
            .with("breaker_open", json!(breaker_open)),
    )
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
