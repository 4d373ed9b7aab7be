//! Client configuration: defaults, the JSON form every host passes, and its checks.
//!
//! The JSON keys are a contract (documented in the README and the header). An unknown key is an error
//! that names it, because a misspelt `timeout_ms` silently ignored is a hung till on a bad day.

use crate::error::{Error, Result};
use crate::methods::{self, Kind, Verb};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The production host.
pub const DEFAULT_BASE_URL: &str = "https://getpass.passteam.ru";
/// Replies larger than this are refused unless the config says otherwise.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// How a request's parameters travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `multipart/form-data`, as the vendor document requires (the default).
    Multipart,
    /// `application/x-www-form-urlencoded`, as the vendor's 1C sample sends.
    Urlencoded,
    /// A JSON body (only for REST endpoints whose server wants it).
    Json,
    /// In the query string, no body (the default for GET and DELETE).
    Query,
}

/// Which certificates a TLS connection trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsRoots {
    /// Mozilla's roots compiled into the library (the default: same answer on every machine).
    Bundled,
    /// The operating system's trust store (where an administrator installed e.g. the Russian Trusted Root CA).
    System,
}

/// Where one REST operation (sales, products) lives. Unset fields keep the method table's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoint {
    pub base_url: Option<String>,
    pub path: Option<String>,
    pub verb: Option<Verb>,
    pub body_encoding: Option<BodyEncoding>,
}

/// When and how idempotent calls are retried (never the non-idempotent ones once they may have arrived).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// The first backoff; each retry doubles it, up to `max_delay`, with random jitter.
    pub base_delay: Duration,
    pub max_delay: Duration,
}

/// Log verbosity of the optional log file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    Off,
    Error,
    Info,
    Debug,
}

/// Everything a client needs. Build it with [`Config::default`] and field updates, or from JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// The API token (raw, sent as `Authorization: <token>`). Never printed: `Debug` masks it.
    pub token: Option<String>,
    pub base_url: String,
    /// Bounds the whole call, retries and backoff included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Bounds waiting for the reply's head and reading its body, per attempt.
    pub read_timeout: Duration,
    pub user_agent: String,
    /// `http://host:port`, `socks5://host:port`, ...
    pub proxy: Option<String>,
    /// Encoding of `oapi` calls: multipart (default) or urlencoded.
    pub body_encoding: BodyEncoding,
    pub max_response_bytes: u64,
    /// Overrides for the REST operations, keyed by method name (`getsale`, `createproduct`, ...).
    pub endpoints: BTreeMap<String, Endpoint>,
    /// Accept plain `http://` for hosts other than loopback. Off by default: the token would travel in clear.
    pub allow_insecure_http: bool,
    pub retry: RetryPolicy,
    /// Client-side request budget per hour and per day (0 = no budget); the server's own limit message
    /// lowers the hourly one.
    pub quota_per_hour: u64,
    pub quota_per_day: u64,
    pub tls_roots: TlsRoots,
    /// A PEM file of extra root certificates to trust (on top of `tls_roots`).
    pub ca_bundle: Option<PathBuf>,
    /// Optional log file (never stdout); phone numbers and e-mails are masked, the token never written.
    pub log_file: Option<PathBuf>,
    pub log_level: LogLevel,
    // --- validation (issue 15): keys `validation`, `phone_region`, `template_ttl_ms` ---
    /// What is done with card variables before sending: off, normalize (default), strict.
    pub validation: crate::validation::Mode,
    /// The region (ISO 3166 alpha-2) of phones written without a country code: `RU` by default.
    pub phone_region: String,
    /// How long a template read for validation is reused before it is read again.
    pub template_ttl: Duration,
    // --- end validation ---
    // --- issue 12: offline (outbox, circuit breaker, last-known cards) ---
    /// `outbox_path`: the SQLite file of the durable outbox; `None` = no outbox (calls fail as before).
    pub outbox_path: Option<PathBuf>,
    /// `outbox_replay`: `"background"` (default: a thread per client replays what is due) or `"manual"`.
    pub outbox_replay: OutboxReplay,
    /// `breaker_failures`: consecutive transport failures or timeouts that open the circuit breaker (3).
    /// The breaker is on when an outbox is configured or this key is given.
    pub breaker_failures: u32,
    /// Whether `breaker_failures` was given explicitly (turns the breaker on without an outbox).
    pub breaker_explicit: bool,
    /// `breaker_cooldown_ms`: how long an open breaker fails calls without touching the network (30000).
    pub breaker_cooldown: Duration,
    /// `stale_reads`: a getcard that cannot reach Passteam answers the last card seen (needs outbox_path).
    pub stale_reads: bool,
    // --- end issue 12 ---
}

/// Who replays the outbox (`outbox_replay`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxReplay {
    /// A thread of the client replays what is due, about once a second (the default).
    Background,
    /// Only `passteam_outbox_flush` replays.
    Manual,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            token: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(20),
            user_agent: concat!("passteam/", env!("CARGO_PKG_VERSION")).to_owned(),
            proxy: None,
            body_encoding: BodyEncoding::Multipart,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            endpoints: BTreeMap::new(),
            allow_insecure_http: false,
            retry: RetryPolicy {
                max_attempts: 3,
                base_delay: Duration::from_millis(200),
                max_delay: Duration::from_secs(2),
            },
            quota_per_hour: 30_000,
            quota_per_day: 350_000,
            tls_roots: TlsRoots::Bundled,
            ca_bundle: None,
            log_file: None,
            log_level: LogLevel::Off,
            // validation (issue 15)
            validation: crate::validation::Mode::Normalize,
            phone_region: "RU".to_owned(),
            template_ttl: Duration::from_secs(600),
            outbox_path: None,
            outbox_replay: OutboxReplay::Background,
            breaker_failures: 3,
            breaker_explicit: false,
            breaker_cooldown: Duration::from_secs(30),
            stale_reads: false,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("body_encoding", &self.body_encoding)
            .field("endpoints", &self.endpoints)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// The config keys (their JSON form, types and meanings live in `config_json.rs`).
pub use crate::config_json::config_keys;

impl Config {
    /// Checks the values together: URLs, the http rule, the retry bounds.
    pub fn validate(&self) -> Result<()> {
        check_base_url("base_url", &self.base_url, self.allow_insecure_http)?;
        for (name, ep) in &self.endpoints {
            if let Some(url) = &ep.base_url {
                check_base_url(&format!("endpoints.{name}.base_url"), url, self.allow_insecure_http)?;
            }
        }
        if let Some(token) = &self.token {
            if token.chars().any(|ch| ch.is_control()) {
                return Err(Error::invalid_argument("config: token contains control characters"));
            }
        }
        if !crate::validation::phone::is_known_region(&self.phone_region) {
            return Err(Error::invalid_argument(format!(
                "config: phone_region {:?} is not a region code (ISO 3166 alpha-2, e.g. \"RU\", \"KZ\")",
                self.phone_region
            )));
        }
        if self.stale_reads && self.outbox_path.is_none() {
            return Err(Error::invalid_argument(
                "config: stale_reads keeps the last-known cards in the outbox file: set outbox_path too",
            ));
        }
        if self.retry.max_attempts == 0 {
            return Err(Error::invalid_argument("config: max_attempts must be at least 1"));
        }
        Ok(())
    }

    /// The effective endpoint of an operation: the table's defaults overlaid with the config.
    pub fn endpoint_for(&self, method: &methods::Method) -> ResolvedEndpoint {
        let over = self.endpoints.get(method.name);
        let verb = over.and_then(|e| e.verb).unwrap_or(method.verb);
        let base = over.and_then(|e| e.base_url.clone()).unwrap_or_else(|| self.base_url.clone());
        let path = over.and_then(|e| e.path.clone()).unwrap_or_else(|| method.path.to_owned());
        let encoding = over.and_then(|e| e.body_encoding).unwrap_or(match (method.kind, verb) {
            (Kind::Rest, Verb::Get | Verb::Delete) => BodyEncoding::Query,
            // PHP parses only POST bodies into $_POST; its frameworks read urlencoded PUT bodies, never
            // multipart ones, so a PUT is urlencoded unless the config says otherwise.
            (Kind::Rest, Verb::Put) => BodyEncoding::Urlencoded,
            _ => self.body_encoding,
        });
        let url =
            format!("{}{}{}", base.trim_end_matches('/'), if path.starts_with('/') { "" } else { "/" }, path);
        ResolvedEndpoint { verb, url, encoding }
    }
}

/// Where and how one call goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    pub verb: Verb,
    pub url: String,
    pub encoding: BodyEncoding,
}

/// `https://` anywhere; `http://` only for loopback hosts unless explicitly allowed.
fn check_base_url(key: &str, url: &str, allow_insecure_http: bool) -> Result<()> {
    let uri: ureq::http::Uri =
        url.parse().map_err(|_| Error::invalid_argument(format!("config: {key} is not a URL: {url:?}")))?;
    let host =
        uri.host().ok_or_else(|| Error::invalid_argument(format!("config: {key} has no host: {url:?}")))?;
    // The operations' paths start with /oapi/v1, so a base URL copied with it would call
    // /oapi/v1/oapi/v1/getcard and get a bare "Not found": say so now, with the URL to use instead.
    let trimmed = url.trim_end_matches('/');
    let api_path = trimmed.strip_suffix("/oapi/v1").or_else(|| trimmed.strip_suffix("/oapi"));
    if let (Some(bare), "base_url") = (api_path, key) {
        return Err(Error::invalid_argument(format!(
            "config: {key} {url:?} ends with the API path; give the host only: {bare:?} (the operations add /oapi/v1)"
        )));
    }
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if allow_insecure_http || is_loopback(host) => Ok(()),
        Some("http") => Err(Error::invalid_argument(format!(
            "config: {key} uses plain http:// for {host}, which would send the token in clear; use https:// \
             (http:// is accepted for 127.0.0.0/8, ::1 and localhost, or with allow_insecure_http: true)"
        ))),
        _ => Err(Error::invalid_argument(format!(
            "config: {key} must start with https:// (or http:// for loopback)"
        ))),
    }
}

/// Loopback hosts: 127.0.0.0/8, ::1, localhost.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") {
        return true;
    }
    bare.parse::<std::net::IpAddr>().map(|ip| ip.is_loopback()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn parse(v: Value) -> Result<Config> {
        Config::from_json(v.as_object().unwrap())
    }

    #[test]
    fn defaults_and_overrides() {
        let c = parse(json!({})).unwrap();
        assert_eq!(c.base_url, DEFAULT_BASE_URL);
        assert_eq!(c.max_response_bytes, 16 * 1024 * 1024);
        let c = parse(json!({"token": "t", "timeout_ms": 500, "body_encoding": "urlencoded", "base_url": "http://127.0.0.1:9"}))
            .unwrap();
        assert_eq!(c.timeout, Duration::from_millis(500));
        assert_eq!(c.body_encoding, BodyEncoding::Urlencoded);
    }

    #[test]
    fn unknown_key_is_named() {
        let e = parse(json!({"timeout": 5})).unwrap_err();
        assert_eq!(e.status, crate::Status::InvalidArgument);
        assert!(e.message.contains("\"timeout\""), "{}", e.message);
        assert!(parse(json!({"timeout": null})).is_err(), "an unknown key is refused even when null");
        assert!(parse(json!({"proxy": null})).is_ok());
    }

    #[test]
    fn plain_http_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:1",
            "http://127.5.6.7",
            "http://localhost:80",
            "http://[::1]:8080",
            "https://example.com",
        ] {
            assert!(parse(json!({"base_url": ok})).is_ok(), "{ok}");
        }
        let e = parse(json!({"base_url": "http://example.com", "token": "SECRET"})).unwrap_err();
        assert!(e.message.contains("http://"));
        assert!(!e.message.contains("SECRET"));
        assert!(parse(json!({"base_url": "http://example.com", "allow_insecure_http": true})).is_ok());
        assert!(parse(json!({"base_url": "ftp://x"})).is_err());
        let e = parse(json!({"base_url": "https://getpass.passteam.ru/oapi/v1/"})).unwrap_err();
        assert!(e.message.contains("\"https://getpass.passteam.ru\""), "{}", e.message);
    }

    #[test]
    fn endpoints_override_the_table() {
        let c = parse(json!({"endpoints": {"getSale": {"verb": "POST", "path": "/api/sale/get", "body_encoding": "json"}}})).unwrap();
        let ep = c.endpoint_for(methods::find("getsale").unwrap());
        assert_eq!(ep.verb, Verb::Post);
        assert_eq!(ep.url, "https://getpass.passteam.ru/api/sale/get");
        assert_eq!(ep.encoding, BodyEncoding::Json);
        let d = c.endpoint_for(methods::find("deletesale").unwrap());
        assert_eq!((d.verb, d.encoding), (Verb::Delete, BodyEncoding::Query));
        // PUT bodies are urlencoded by default (PHP reads no multipart PUT), unless overridden.
        for name in ["updatesale", "updateproduct"] {
            let put = parse(json!({})).unwrap().endpoint_for(methods::find(name).unwrap());
            assert_eq!((put.verb, put.encoding), (Verb::Put, BodyEncoding::Urlencoded), "{name}");
        }
        let c = parse(json!({"endpoints": {"updatesale": {"body_encoding": "multipart"}}})).unwrap();
        assert_eq!(c.endpoint_for(methods::find("updatesale").unwrap()).encoding, BodyEncoding::Multipart);
        assert!(parse(json!({"endpoints": {"getcard": {}}})).is_err());
        assert!(parse(json!({"endpoints": {"getsale": {"colour": "red"}}})).is_err());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let c = parse(json!({"token": "TOPSECRET"})).unwrap();
        assert!(!format!("{c:?}").contains("TOPSECRET"));
    }
}
