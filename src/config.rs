//! Client configuration: defaults, the JSON form every host passes, and its checks.
//!
//! The JSON keys are a contract (documented in the README and the header). An unknown key is an error
//! that names it, because a misspelt `timeout_ms` silently ignored is a hung till on a bad day.

use crate::error::{Error, Result};
use crate::methods::{self, Kind, Verb};
use serde_json::{Map, Value};
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

impl BodyEncoding {
    fn parse(text: &str, key: &str) -> Result<BodyEncoding> {
        match text.to_ascii_lowercase().as_str() {
            "multipart" | "multipart/form-data" => Ok(BodyEncoding::Multipart),
            "urlencoded" | "application/x-www-form-urlencoded" => Ok(BodyEncoding::Urlencoded),
            "json" | "application/json" => Ok(BodyEncoding::Json),
            "query" => Ok(BodyEncoding::Query),
            _ => Err(Error::invalid_argument(format!(
                "config: {key} must be \"multipart\", \"urlencoded\", \"json\" or \"query\", not {text:?}"
            ))),
        }
    }
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

/// The config keys, for the error message that names an unknown one.
pub const CONFIG_KEYS: &[&str] = &[
    "token",
    "base_url",
    "timeout_ms",
    "connect_timeout_ms",
    "read_timeout_ms",
    "user_agent",
    "proxy",
    "body_encoding",
    "max_response_bytes",
    "endpoints",
    "allow_insecure_http",
    "max_attempts",
    "retry_base_delay_ms",
    "retry_max_delay_ms",
    "quota_per_hour",
    "quota_per_day",
    "tls_roots",
    "ca_bundle",
    "log_file",
    "log_level",
    // validation (issue 15)
    "validation",
    "phone_region",
    "template_ttl_ms",
    "outbox_path",
    "outbox_replay",
    "breaker_failures",
    "breaker_cooldown_ms",
    "stale_reads",
];

impl Config {
    /// Parses the JSON text hosts pass (`NULL`/empty already mapped to `{}` by the caller).
    pub fn from_json_str(text: &str) -> Result<Config> {
        let doc: Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid_json(format!("config is not valid JSON: {e}")))?;
        match doc {
            Value::Object(map) => Config::from_json(&map),
            _ => Err(Error::invalid_json("config must be a JSON object")),
        }
    }

    /// Reads a config from a JSON object; every key is checked, unknown keys are refused by name.
    pub fn from_json(map: &Map<String, Value>) -> Result<Config> {
        let mut c = Config::default();
        for (key, value) in map {
            if value.is_null() && CONFIG_KEYS.contains(&key.as_str()) {
                continue; // null = keep the default, so hosts can pass optional fields blindly
            }
            match key.as_str() {
                "token" => c.token = Some(string(key, value)?),
                "base_url" => c.base_url = string(key, value)?,
                "timeout_ms" => c.timeout = millis(key, value, 1)?,
                "connect_timeout_ms" => c.connect_timeout = millis(key, value, 1)?,
                "read_timeout_ms" => c.read_timeout = millis(key, value, 1)?,
                "user_agent" => c.user_agent = string(key, value)?,
                "proxy" => c.proxy = Some(string(key, value)?),
                "body_encoding" => {
                    c.body_encoding = BodyEncoding::parse(&string(key, value)?, key)?;
                    if !matches!(c.body_encoding, BodyEncoding::Multipart | BodyEncoding::Urlencoded) {
                        return Err(Error::invalid_argument(
                            "config: body_encoding must be \"multipart\" or \"urlencoded\"",
                        ));
                    }
                }
                "max_response_bytes" => c.max_response_bytes = integer(key, value, 1)?,
                "endpoints" => c.endpoints = endpoints(value)?,
                "allow_insecure_http" => c.allow_insecure_http = boolean(key, value)?,
                "max_attempts" => {
                    c.retry.max_attempts = u32::try_from(integer(key, value, 1)?.min(100)).unwrap_or(100)
                }
                "retry_base_delay_ms" => c.retry.base_delay = millis(key, value, 0)?,
                "retry_max_delay_ms" => c.retry.max_delay = millis(key, value, 0)?,
                "quota_per_hour" => c.quota_per_hour = integer(key, value, 0)?,
                "quota_per_day" => c.quota_per_day = integer(key, value, 0)?,
                "tls_roots" => {
                    c.tls_roots = match string(key, value)?.to_ascii_lowercase().as_str() {
                        "bundled" | "webpki" => TlsRoots::Bundled,
                        "system" | "platform" => TlsRoots::System,
                        other => {
                            return Err(Error::invalid_argument(format!(
                                "config: tls_roots must be \"bundled\" or \"system\", not {other:?}"
                            )))
                        }
                    }
                }
                "ca_bundle" => c.ca_bundle = Some(PathBuf::from(string(key, value)?)),
                // validation (issue 15)
                "validation" => {
                    let text = string(key, value)?;
                    c.validation = crate::validation::Mode::parse(&text).ok_or_else(|| {
                        Error::invalid_argument(format!(
                            "config: validation must be \"off\", \"normalize\" or \"strict\", not {text:?}"
                        ))
                    })?
                }
                "phone_region" => c.phone_region = string(key, value)?.to_ascii_uppercase(),
                "template_ttl_ms" => c.template_ttl = millis(key, value, 0)?,
                "log_file" => c.log_file = Some(PathBuf::from(string(key, value)?)),
                "log_level" => c.log_level = log_level(&string(key, value)?)?,
                // issue 12: offline
                "outbox_path" => c.outbox_path = Some(PathBuf::from(string(key, value)?)),
                "outbox_replay" => {
                    c.outbox_replay = match string(key, value)?.to_ascii_lowercase().as_str() {
                        "background" => OutboxReplay::Background,
                        "manual" => OutboxReplay::Manual,
                        other => {
                            return Err(Error::invalid_argument(format!(
                                "config: outbox_replay must be \"background\" or \"manual\", not {other:?}"
                            )))
                        }
                    }
                }
                "breaker_failures" => {
                    c.breaker_failures = u32::try_from(integer(key, value, 1)?.min(1000)).unwrap_or(1000);
                    c.breaker_explicit = true;
                }
                "breaker_cooldown_ms" => c.breaker_cooldown = millis(key, value, 1)?,
                "stale_reads" => c.stale_reads = boolean(key, value)?,
                _ => {
                    return Err(Error::invalid_argument(format!(
                        "config: unknown key {key:?}; the keys are: {}",
                        CONFIG_KEYS.join(", ")
                    ))
                    .with_detail("key", Value::from(key.as_str())))
                }
            }
        }
        if c.log_file.is_some() && c.log_level == LogLevel::Off && !map.contains_key("log_level") {
            c.log_level = LogLevel::Info; // naming a file means "log"; the level may still turn it off
        }
        c.validate()?;
        Ok(c)
    }

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

fn string(key: &str, value: &Value) -> Result<String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::invalid_argument(format!("config: {key} must be a string")))
}

fn boolean(key: &str, value: &Value) -> Result<bool> {
    value.as_bool().ok_or_else(|| Error::invalid_argument(format!("config: {key} must be true or false")))
}

fn integer(key: &str, value: &Value, min: u64) -> Result<u64> {
    match value.as_u64() {
        Some(n) if n >= min => Ok(n),
        _ => Err(Error::invalid_argument(format!("config: {key} must be an integer of at least {min}"))),
    }
}

fn millis(key: &str, value: &Value, min: u64) -> Result<Duration> {
    integer(key, value, min).map(Duration::from_millis)
}

fn log_level(text: &str) -> Result<LogLevel> {
    match text.to_ascii_lowercase().as_str() {
        "off" | "none" => Ok(LogLevel::Off),
        "error" => Ok(LogLevel::Error),
        "info" => Ok(LogLevel::Info),
        "debug" => Ok(LogLevel::Debug),
        _ => Err(Error::invalid_argument(format!(
            "config: log_level must be \"off\", \"error\", \"info\" or \"debug\", not {text:?}"
        ))),
    }
}

fn endpoints(value: &Value) -> Result<BTreeMap<String, Endpoint>> {
    let map = value
        .as_object()
        .ok_or_else(|| Error::invalid_argument("config: endpoints must be an object keyed by operation"))?;
    let mut out = BTreeMap::new();
    for (name, spec) in map {
        let method = methods::find(name).filter(|m| m.kind == Kind::Rest).ok_or_else(|| {
            Error::invalid_argument(format!("config: endpoints.{name}: not a sales/products operation"))
        })?;
        let fields = spec
            .as_object()
            .ok_or_else(|| Error::invalid_argument(format!("config: endpoints.{name} must be an object")))?;
        let mut ep = Endpoint::default();
        for (key, v) in fields {
            let full = format!("endpoints.{name}.{key}");
            match key.as_str() {
                "base_url" => ep.base_url = Some(string(&full, v)?),
                "path" => ep.path = Some(string(&full, v)?),
                "verb" | "method" => {
                    let text = string(&full, v)?;
                    ep.verb = Some(Verb::parse(&text).ok_or_else(|| {
                        Error::invalid_argument(format!(
                            "config: {full} must be GET, POST, PUT or DELETE, not {text:?}"
                        ))
                    })?)
                }
                "body_encoding" => ep.body_encoding = Some(BodyEncoding::parse(&string(&full, v)?, &full)?),
                _ => {
                    return Err(Error::invalid_argument(format!(
                        "config: unknown key {full:?}; an endpoint has base_url, path, verb, body_encoding"
                    ))
                    .with_detail("key", Value::from(full)))
                }
            }
        }
        out.insert(method.name.to_owned(), ep);
    }
    Ok(out)
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
    use serde_json::json;

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
