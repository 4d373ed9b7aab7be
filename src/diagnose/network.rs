//! The network checks: where the base URL points, the proxy in use, DNS and TCP.

use super::{Check, Level};
use crate::config::{is_loopback, Config};
use serde_json::{json, Value};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// DNS may hang for the resolver's own timeouts (often 5 s × retries); the check waits this long.
const DNS_BOUND: Duration = Duration::from_secs(3);
/// All TCP connects together stay within this (each also within `connect_timeout_ms`).
const TCP_BOUND: Duration = Duration::from_secs(3);
/// A name that resolves this slowly makes every first call of a till slow.
const DNS_SLOW_MS: u128 = 500;

/// The host the client talks to, read from `base_url`.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub https: bool,
    pub host: String,
    pub port: u16,
}

impl Target {
    pub(crate) fn from_config(config: &Config) -> Result<Target, Check> {
        let bad = |why: String| {
            Check::new("dns", Level::Failed, "base_url unusable", why)
                .with("base_url", json!(config.base_url))
        };
        let uri: ureq::http::Uri = config
            .base_url
            .parse()
            .map_err(|e| bad(format!("base_url is not a URL ({e}): fix it in the config")))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => {
                return Err(bad("base_url must start with https:// (or http:// for a local sandbox)".into()))
            }
        };
        let host = uri.host().ok_or_else(|| bad("base_url has no host name".into()))?;
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        Ok(Target { https, host, port })
    }
}

/// The proxy the client uses, and any proxy the environment asks for that the client does not use.
pub(crate) fn proxy(config: &Config) -> Check {
    proxy_with_env(config, |name| std::env::var(name).ok())
}

/// [`proxy`] with the environment given (so tests need not change the process's).
fn proxy_with_env(config: &Config, env: impl Fn(&str) -> Option<String>) -> Check {
    let from_env: Vec<(String, String)> =
        ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"]
            .iter()
            .filter_map(|k| env(k).filter(|v| !v.is_empty()).map(|v| (k.to_string(), mask_credentials(&v))))
            .collect();
    match &config.proxy {
        Some(p) => Check::new(
            "proxy",
            Level::Ok,
            format!("config: {}", mask_credentials(p)),
            "calls go through the configured proxy",
        )
        .with("proxy", json!(mask_credentials(p)))
        .with("source", json!("config")),
        None if !from_env.is_empty() => {
            let (name, value) = &from_env[0];
            Check::new(
                "proxy",
                Level::Warning,
                format!("none (the environment sets {name})"),
                format!(
                    "passteam ignores {name}={value}; if this network needs a proxy, set \"proxy\" in the config"
                ),
            )
            .with("proxy", Value::Null)
            .with("environment", json!(from_env.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>()))
        }
        None => Check::new(
            "proxy",
            Level::Ok,
            "none",
            "direct connection (no proxy configured or in the environment)",
        )
        .with("proxy", Value::Null),
    }
}

/// `http://user:secret@host:3128` -> `http://***@host:3128`.
fn mask_credentials(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}***{}", &url[..scheme + 3], &url[at..]),
        _ => url.to_owned(),
    }
}

/// Resolves the host within [`DNS_BOUND`]. With a proxy, the proxy resolves the API host: the check then
/// resolves the proxy's host instead.
pub(crate) fn dns(target: &Target, config: &Config) -> (Check, Vec<SocketAddr>) {
    let (host, port) = match proxy_target(config) {
        Some(hp) => hp,
        None => (target.host.clone(), target.port),
    };
    if let Ok(ip) = host.parse::<IpAddr>() {
        let addr = SocketAddr::new(ip, port);
        let check = Check::new("dns", Level::Ok, format!("{host} is an IP address"), "no lookup needed")
            .with("host", json!(host))
            .with("addresses", json!([ip.to_string()]))
            .with("ms", json!(0));
        return (check, vec![addr]);
    }
    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    let name = format!("{host}:{port}");
    // The system resolver cannot be cancelled: it runs on its own thread, which we stop waiting for.
    let spawned = std::thread::Builder::new().name("passteam-doctor-dns".into()).spawn(move || {
        let _ = tx.send(name.to_socket_addrs().map(|a| a.collect::<Vec<_>>()));
    });
    if spawned.is_err() {
        return (
            Check::new("dns", Level::Failed, "not checked", "could not start a thread for the lookup"),
            vec![],
        );
    }
    let answer = rx.recv_timeout(DNS_BOUND);
    let ms = started.elapsed().as_millis();
    let base = |level, figure: String, advice: String| {
        Check::new("dns", level, figure, advice).with("host", json!(host)).with("ms", json!(ms as u64))
    };
    match answer {
        Err(_) => (
            base(
                Level::Failed,
                format!("{host}: no answer in {} s", DNS_BOUND.as_secs()),
                "the DNS server does not answer: check the till's network settings (DNS server) or the internet link"
                    .into(),
            ),
            vec![],
        ),
        Ok(Err(e)) => (
            base(
                Level::Failed,
                format!("{host}: not found"),
                format!("the name does not resolve ({e}): check the host in base_url and the till's DNS settings"),
            ),
            vec![],
        ),
        Ok(Ok(addrs)) if addrs.is_empty() => (
            base(Level::Failed, format!("{host}: no addresses"), "the name resolves to nothing: check base_url".into()),
            vec![],
        ),
        Ok(Ok(addrs)) => {
            let list: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
            let level = if ms > DNS_SLOW_MS { Level::Warning } else { Level::Ok };
            let advice = if level == Level::Ok {
                "the host name resolves".to_owned()
            } else {
                format!("the lookup took {ms} ms: a slow DNS server delays the first call of every process")
            };
            let check = base(level, format!("{} address(es) in {ms} ms", addrs.len()), advice)
                .with("addresses", json!(list));
            (check, addrs)
        }
    }
}

/// The proxy's own host and port, when one is configured.
fn proxy_target(config: &Config) -> Option<(String, u16)> {
    let p = config.proxy.as_deref()?;
    let uri: ureq::http::Uri = p.parse().ok()?;
    let default = if uri.scheme_str().is_some_and(|s| s.starts_with("socks")) { 1080 } else { 3128 };
    Some((
        uri.host()?.trim_start_matches('[').trim_end_matches(']').to_owned(),
        uri.port_u16().unwrap_or(default),
    ))
}

/// Connects to each address in turn (all within [`TCP_BOUND`]); returns the check and the first address
/// that answered. `None` when DNS gave nothing to connect to (the DNS check already failed).
pub(crate) fn tcp(
    target: &Target,
    addresses: &[SocketAddr],
    config: &Config,
) -> (Option<Check>, Option<SocketAddr>) {
    if addresses.is_empty() {
        return (None, None);
    }
    let started = Instant::now();
    let mut tried = Vec::new();
    let mut first_ok = None;
    let mut refused = 0;
    for addr in addresses.iter().take(4) {
        let left = TCP_BOUND.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        let bound = config.connect_timeout.min(left).max(Duration::from_millis(1));
        let t = Instant::now();
        let outcome = TcpStream::connect_timeout(addr, bound);
        let ms = t.elapsed().as_millis() as u64;
        match outcome {
            Ok(_) => {
                tried.push(json!({"address": addr.to_string(), "ms": ms, "ok": true}));
                first_ok.get_or_insert(*addr);
            }
            Err(e) => {
                let was_refused = e.kind() == std::io::ErrorKind::ConnectionRefused;
                refused += usize::from(was_refused);
                tried.push(json!({
                    "address": addr.to_string(), "ms": ms, "ok": false, "refused": was_refused, "error": e.to_string()
                }));
            }
        }
    }
    let via = if config.proxy.is_some() { " (the proxy)" } else { "" };
    let check = match first_ok {
        Some(addr) => {
            let ms = tried.iter().find(|t| t["ok"] == true).and_then(|t| t["ms"].as_u64()).unwrap_or(0);
            // A refusal on one address family (no IPv6 service, say) costs nothing; a silent address
            // costs a connect timeout whenever it is tried first.
            let silent = tried.iter().filter(|t| t["ok"] == false && t["refused"] != true).count();
            let (level, advice) = if silent == 0 {
                (Level::Ok, format!("port {} answers{via}", addr.port()))
            } else {
                (
                    Level::Warning,
                    format!(
                        "{silent} of {} addresses did not answer; calls may be slow to connect",
                        tried.len()
                    ),
                )
            };
            Check::new("tcp", level, format!("{addr} in {ms} ms"), advice)
        }
        None if refused == tried.len() => Check::new(
            "tcp",
            Level::Failed,
            format!("port {} refused", addresses[0].port()),
            if config.proxy.is_some() {
                "nothing listens at the proxy's address: check \"proxy\" in the config".to_owned()
            } else if is_loopback(&target.host) {
                "nothing listens there: is the sandbox (or the local server) running, on that port?"
                    .to_owned()
            } else {
                "the host refuses connections on that port: check the port in base_url or the firewall"
                    .to_owned()
            },
        ),
        None => Check::new(
            "tcp",
            Level::Failed,
            format!("no answer from {} address(es)", tried.len()),
            "connections time out: a firewall or the internet link drops them; check the till's network"
                .to_owned(),
        ),
    };
    (Some(check.with("attempts", Value::Array(tried))), first_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_environment_proxy_that_passteam_ignores_is_a_warning_with_credentials_hidden() {
        let config = Config::default();
        let env =
            |name: &str| (name == "HTTPS_PROXY").then(|| "http://user:secret@proxy.shop:3128".to_owned());
        let check = proxy_with_env(&config, env);
        assert_eq!(check.level, Level::Warning);
        assert!(check.advice.contains("HTTPS_PROXY=http://***@proxy.shop:3128"), "{}", check.advice);
        assert!(!serde_json::to_string(&check.details).unwrap().contains("secret"));
        assert_eq!(proxy_with_env(&config, |_| None).level, Level::Ok);
        let configured = Config { proxy: Some("http://u:p@10.0.0.1:3128".into()), ..Config::default() };
        let check = proxy_with_env(&configured, env);
        assert_eq!(check.level, Level::Ok);
        assert_eq!(check.figure, "config: http://***@10.0.0.1:3128");
    }
}
