//! The config's JSON form: one serde struct (unknown keys refused), its schema, and the step that turns
//! it into a [`Config`].
//!
//! Adding a key: one line in `json_keys!` (its doc line is the schema's description, the expression after
//! `=` its default as JSON, read from [`Config::default`]) and one line in [`Config::from_json`]'s apply
//! step. The README's config table and `passteam_client_new`'s key list are generated from this schema
//! (`cargo run -p xtask -- gen`). Each key's JSON type is a small wrapper below whose `expected`
//! text makes the error message ("config: timeout_ms must be an integer of at least 1").

use crate::config::{BodyEncoding, Config, Endpoint, LogLevel, OutboxReplay, TlsRoots};
use crate::error::{Error, Result};
use crate::methods::{self, Kind, Verb};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// One key of the schema.
pub(crate) struct KeyDoc {
    pub name: &'static str,
    /// The JSON type: "string", "integer", "boolean", "object".
    pub ty: &'static str,
    /// What a value must be, for people (the error message's words).
    pub expected: fn() -> String,
    pub doc: &'static str,
    /// The value in force when the key is absent, as JSON (`null`: none, the feature is off).
    pub default: fn(&Config) -> Value,
}

/// What a config value's JSON looks like and how it is read.
trait JsonType: Sized {
    const TYPE: &'static str;
    fn expected() -> String;
    /// `Err` holds the message after the key: "must be ...".
    fn read(value: &Value) -> std::result::Result<Self, String>;
}

/// Serde's entry to a [`JsonType`]: through `Value`, so the message is ours, not serde's.
macro_rules! deserialize_via_json_type {
    ($($ty:ty),*) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let value = Value::deserialize(d)?;
                <$ty as JsonType>::read(&value).map_err(D::Error::custom)
            }
        }
    )*};
}

/// Text.
pub(crate) struct Text(pub String);
/// `true` or `false`.
pub(crate) struct Flag(pub bool);
/// A whole number of at least `MIN`.
pub(crate) struct Count<const MIN: u64>(pub u64);
/// `body_encoding` of the oapi calls: multipart or urlencoded.
pub(crate) struct OapiEncoding(pub BodyEncoding);
/// `body_encoding` of a REST endpoint: any of the four.
pub(crate) struct AnyEncoding(pub BodyEncoding);
/// An HTTP verb.
pub(crate) struct VerbName(pub Verb);
pub(crate) struct Roots(pub TlsRoots);
pub(crate) struct Level(pub LogLevel);
/// The `endpoints` object, read key by key in the apply step (its values have their own schema).
pub(crate) struct Endpoints(pub Map<String, Value>);

/// `validation`: off, normalize or strict (issue 15).
pub(crate) struct Validation(pub crate::validation::Mode);
/// `outbox_replay`: background or manual (issue 12).
pub(crate) struct Replay(pub OutboxReplay);

deserialize_via_json_type!(
    Text,
    Flag,
    OapiEncoding,
    AnyEncoding,
    VerbName,
    Roots,
    Level,
    Endpoints,
    Validation,
    Replay
);

impl<'de, const MIN: u64> Deserialize<'de> for Count<MIN> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Self::read(&value).map_err(D::Error::custom)
    }
}

impl JsonType for Text {
    const TYPE: &'static str = "string";
    fn expected() -> String {
        "a string".into()
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        // The value is never echoed: it may be the token.
        value.as_str().map(|s| Text(s.to_owned())).ok_or_else(|| format!("must be {}", Self::expected()))
    }
}

impl JsonType for Flag {
    const TYPE: &'static str = "boolean";
    fn expected() -> String {
        "true or false".into()
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        value.as_bool().map(Flag).ok_or_else(|| format!("must be {}", Self::expected()))
    }
}

impl<const MIN: u64> JsonType for Count<MIN> {
    const TYPE: &'static str = "integer";
    fn expected() -> String {
        format!("an integer of at least {MIN}")
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        match value.as_u64() {
            Some(n) if n >= MIN => Ok(Count(n)),
            _ => Err(format!("must be {}", Self::expected())),
        }
    }
}

/// Reads one of a few words (case-insensitive), naming the value when it is none of them.
fn word<T: Copy>(value: &Value, words: &[(&str, T)], expected: &str) -> std::result::Result<T, String> {
    let text = value.as_str().ok_or_else(|| format!("must be {expected}"))?;
    let lower = text.to_ascii_lowercase();
    words
        .iter()
        .find(|(w, _)| *w == lower)
        .map(|(_, t)| *t)
        .ok_or_else(|| format!("must be {expected}, not {text:?}"))
}

const ENCODINGS: &[(&str, BodyEncoding)] = &[
    ("multipart", BodyEncoding::Multipart),
    ("multipart/form-data", BodyEncoding::Multipart),
    ("urlencoded", BodyEncoding::Urlencoded),
    ("application/x-www-form-urlencoded", BodyEncoding::Urlencoded),
    ("json", BodyEncoding::Json),
    ("application/json", BodyEncoding::Json),
    ("query", BodyEncoding::Query),
];

impl JsonType for OapiEncoding {
    const TYPE: &'static str = "string";
    fn expected() -> String {
        "\"multipart\" or \"urlencoded\"".into()
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        word(value, &ENCODINGS[..4], &Self::expected()).map(OapiEncoding)
    }
}

impl JsonType for AnyEncoding {
    const TYPE: &'static str = "string";
    fn expected() -> String {
        "\"multipart\", \"urlencoded\", \"json\" or \"query\"".into()
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        word(value, ENCODINGS, &Self::expected()).map(AnyEncoding)
    }
}

impl JsonType for VerbName {
    const TYPE: &'static str = "string";
    fn expected() -> String {
        "GET, POST, PUT or DELETE".into()
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        let verbs = [("get", Verb::Get), ("post", Verb::Post), ("put", Verb::Put), ("delete", Verb::Delete)];
        word(value, &verbs, &Self::expected()).map(VerbName)
    }
}

impl JsonType for Roots {
    const TYPE: &'static str = "string";
    fn expected() -> String {
        "\"bundled\" or \"system\"".into()
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        let roots = [("bundled", true), ("webpki", true), ("system", false), ("platform", false)];
        word(value, &roots, &Self::expected())
            .map(|bundled| Roots(if bundled { TlsRoots::Bundled } else { TlsRoots::System }))
    }
}

impl JsonType for Level {
    const TYPE: &'static str = "string";
    fn expected() -> String {
        "\"off\", \"error\", \"info\" or \"debug\"".into()
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        let levels = [
            ("off", LogLevel::Off),
            ("none", LogLevel::Off),
            ("error", LogLevel::Error),
            ("info", LogLevel::Info),
            ("debug", LogLevel::Debug),
        ];
        word(value, &levels, &Self::expected()).map(Level)
    }
}

impl JsonType for Validation {
    const TYPE: &'static str = "string";
    fn expected() -> String {
        "\"off\", \"normalize\" or \"strict\"".into()
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        let modes = [
            ("off", crate::validation::Mode::Off),
            ("normalize", crate::validation::Mode::Normalize),
            ("strict", crate::validation::Mode::Strict),
        ];
        word(value, &modes, &Self::expected()).map(Validation)
    }
}

impl JsonType for Replay {
    const TYPE: &'static str = "string";
    fn expected() -> String {
        "\"background\" or \"manual\"".into()
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        let modes = [("background", OutboxReplay::Background), ("manual", OutboxReplay::Manual)];
        word(value, &modes, &Self::expected()).map(Replay)
    }
}

impl JsonType for Endpoints {
    const TYPE: &'static str = "object";
    fn expected() -> String {
        "an object keyed by operation".into()
    }
    fn read(value: &Value) -> std::result::Result<Self, String> {
        value.as_object().map(|m| Endpoints(m.clone())).ok_or_else(|| format!("must be {}", Self::expected()))
    }
}

/// Declares a JSON object's keys once: the serde struct (every key optional, null = the default,
/// unknown keys refused) and its schema. A key's doc comment may take several lines (they are joined);
/// a `#[serde(...)]` attribute goes above it.
macro_rules! json_keys {
    ($(#[$meta:meta])* struct $name:ident, $keys:ident {
        $($(#[serde($($serde:tt)*)])* $(#[doc = $doc:literal])+ $key:ident: $ty:ty = $default:expr,)*
    }) => {
        $(#[$meta])*
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(crate) struct $name { $($(#[serde($($serde)*)])* pub(crate) $key: Option<$ty>,)* }

        /// The keys, their JSON types and meanings (exported as the config schema).
        pub(crate) const $keys: &[KeyDoc] = &[$(KeyDoc {
            name: stringify!($key),
            ty: <$ty as JsonType>::TYPE,
            expected: <$ty as JsonType>::expected,
            doc: concat!($($doc),+).trim_ascii(),
            default: $default,
        },)*];
    };
}

json_keys! {
    /// The config object every host passes (`passteam_client_new`, Python keywords, Go's Config, 1C's Настройки).
    struct ConfigJson, CONFIG_SCHEMA {
        /// The API token, sent raw as the Authorization header (never printed, logged or echoed).
        token: Text = |_| Value::Null,
        /// Where the API lives: the host only (a URL ending in /oapi/v1 is refused, naming the one to use);
        /// https://, or plain http:// for 127.0.0.0/8, ::1 and localhost.
        base_url: Text = |d| text(&d.base_url),
        /// Bounds the whole call, retries and backoff included (ms).
        timeout_ms: Count<1> = |d| ms(d.timeout),
        /// Bounds each connection attempt: DNS, TCP and TLS (ms).
        connect_timeout_ms: Count<1> = |d| ms(d.connect_timeout),
        /// Bounds waiting for the reply's head, and for its body, per attempt (ms).
        read_timeout_ms: Count<1> = |d| ms(d.read_timeout),
        /// The User-Agent header.
        user_agent: Text = |d| text(&d.user_agent),
        /// A proxy URL: http://host:port, socks5://host:port, ...
        proxy: Text = |_| Value::Null,
        /// How oapi POST bodies are encoded: "multipart" (the vendor's) or "urlencoded" (PUT bodies are
        /// urlencoded unless endpoints says otherwise).
        body_encoding: OapiEncoding = |d| word_of(d.body_encoding),
        /// Replies larger than this are refused (PASSTEAM_ERR_PROTOCOL).
        max_response_bytes: Count<1> = |d| Value::from(d.max_response_bytes),
        /// Per-operation overrides for sales/products: {"getsale": {"base_url", "path", "verb", "body_encoding"}}.
        endpoints: Endpoints = |_| Value::Null,
        /// Accept plain http:// for hosts other than loopback (the token then travels in clear).
        allow_insecure_http: Flag = |d| Value::from(d.allow_insecure_http),
        /// Attempts in all for idempotent calls, the first included (1 = no retries; at most 100).
        max_attempts: Count<1> = |d| Value::from(d.retry.max_attempts),
        /// The first retry's backoff, doubled per retry, with jitter (ms).
        retry_base_delay_ms: Count<0> = |d| ms(d.retry.base_delay),
        /// The longest backoff (ms).
        retry_max_delay_ms: Count<0> = |d| ms(d.retry.max_delay),
        /// Client-side request budget per hour (0 = none); the server's limit message lowers it.
        quota_per_hour: Count<0> = |d| Value::from(d.quota_per_hour),
        /// Client-side request budget per day (0 = none).
        quota_per_day: Count<0> = |d| Value::from(d.quota_per_day),
        /// Trusted roots: "bundled" (Mozilla's, compiled in, the same everywhere) or "system" (the OS store).
        tls_roots: Roots = |d| word_of(&d.tls_roots),
        /// A PEM file of extra root certificates to trust (e.g. the Russian Trusted Root CA).
        ca_bundle: Text = |_| Value::Null,
        /// A log file (never stdout); phone numbers and e-mails masked, the token never written.
        log_file: Text = |_| Value::Null,
        /// How much the log records (a log_file alone means "info").
        log_level: Level = |d| word_of(d.log_level),
        /// Card variables checked against the template before sending: "normalize" (fix what can be fixed,
        /// e.g. phones to E.164, refuse the rest), "strict" (refuse what is not canonical) or "off".
        validation: Validation = |d| word_of(d.validation),
        /// The region (ISO 3166 alpha-2) of phones written without a country code.
        phone_region: Text = |d| text(&d.phone_region),
        /// How long a template read for validation is reused (ms; 0 = read it for every call).
        template_ttl_ms: Count<0> = |d| ms(d.template_ttl),
        /// The SQLite file of the durable outbox (off when absent): undeliverable updates are queued there.
        outbox_path: Text = |_| Value::Null,
        /// Who replays the outbox: "background" (a thread of the client) or "manual" (passteam_outbox_flush).
        outbox_replay: Replay = |d| word_of(d.outbox_replay),
        /// Consecutive transport failures or timeouts that open the circuit breaker.
        breaker_failures: Count<1> = |d| Value::from(d.breaker_failures),
        /// How long an open breaker fails calls without touching the network (ms).
        breaker_cooldown_ms: Count<1> = |d| ms(d.breaker_cooldown),
        /// A getcard that cannot reach Passteam answers the last card seen (needs outbox_path).
        stale_reads: Flag = |d| Value::from(d.stale_reads),
    }
}

json_keys! {
    /// One entry of `endpoints`.
    struct EndpointJson, ENDPOINT_SCHEMA {
        /// The base URL of this operation (default: base_url).
        base_url: Text = |_| Value::Null,
        /// The path below the base URL (default: the method table's).
        path: Text = |_| Value::Null,
        #[serde(alias = "method")]
        /// The HTTP verb ("method" is accepted too; default: the method table's).
        verb: VerbName = |_| Value::Null,
        /// "multipart", "urlencoded", "json" or "query".
        body_encoding: AnyEncoding = |_| Value::Null,
    }
}

/// A default duration as the key's whole milliseconds.
fn ms(duration: Duration) -> Value {
    Value::from(duration.as_millis().min(u64::MAX as u128) as u64)
}

fn text(value: &str) -> Value {
    Value::from(value)
}

/// A default enum value as the word the key takes ("multipart", "bundled", "off", ...): its variant's
/// name in lower case (the schema's test reads every default back through `Config::from_json`).
fn word_of(value: impl std::fmt::Debug) -> Value {
    Value::from(format!("{value:?}").to_ascii_lowercase())
}

/// The key names of the config, in the schema's order.
pub fn config_keys() -> Vec<&'static str> {
    CONFIG_SCHEMA.iter().map(|k| k.name).collect()
}

/// The config schema as JSON: `{"keys": [{"name", "type", "expected", "doc", "default"}], "endpoint_keys":
/// [...]}` (`default` null: none, the feature is off). Bindings compare their config fields with it instead
/// of keeping a list of their own; the README's config table and `passteam_client_new`'s key list are
/// generated from it.
pub fn config_schema_json() -> Value {
    let defaults = Config::default();
    let keys = |schema: &[KeyDoc]| {
        schema
            .iter()
            .map(|k| {
                json!({"name": k.name, "type": k.ty, "expected": (k.expected)(), "doc": k.doc,
                       "default": (k.default)(&defaults)})
            })
            .collect::<Vec<_>>()
    };
    json!({"keys": keys(CONFIG_SCHEMA), "endpoint_keys": keys(ENDPOINT_SCHEMA)})
}

/// Deserialises an object into `T`; on failure, finds the key at fault (each key alone) so the message
/// names it: `config: {prefix}{key} must be ...`, or the unknown key with the list of known ones.
fn from_object<T: DeserializeOwned>(map: &Map<String, Value>, prefix: &str, schema: &[KeyDoc]) -> Result<T> {
    let whole = match T::deserialize(Value::Object(map.clone())) {
        Ok(t) => return Ok(t),
        Err(e) => e,
    };
    for (key, value) in map {
        let alone = Value::Object(Map::from_iter([(key.clone(), value.clone())]));
        let Err(e) = T::deserialize(alone) else { continue };
        let full = format!("{prefix}{key}");
        let message = if e.to_string().starts_with("unknown field") {
            let known: Vec<&str> = schema.iter().map(|k| k.name).collect();
            format!("config: unknown key {full:?}; the keys are: {}", known.join(", "))
        } else {
            format!("config: {full} {e}")
        };
        return Err(Error::invalid_argument(message).with_detail("key", Value::from(full)));
    }
    Err(Error::invalid_argument(format!("config: {whole}")))
}

fn millis(count: Option<Count<1>>) -> Option<Duration> {
    count.map(|c| Duration::from_millis(c.0))
}

impl Config {
    /// Parses the JSON text hosts pass (blank = the defaults).
    pub fn from_json_str(text: &str) -> Result<Config> {
        Config::from_json(&crate::json_text::json_object(text, "config")?)
    }

    /// Reads a config from a JSON object; every key is checked, unknown keys are refused by name.
    pub fn from_json(map: &Map<String, Value>) -> Result<Config> {
        let j: ConfigJson = from_object(map, "", CONFIG_SCHEMA)?;
        let d = Config::default();
        let c = Config {
            token: j.token.map(|t| t.0),
            base_url: j.base_url.map_or(d.base_url, |t| t.0),
            timeout: millis(j.timeout_ms).unwrap_or(d.timeout),
            connect_timeout: millis(j.connect_timeout_ms).unwrap_or(d.connect_timeout),
            read_timeout: millis(j.read_timeout_ms).unwrap_or(d.read_timeout),
            user_agent: j.user_agent.map_or(d.user_agent, |t| t.0),
            proxy: j.proxy.map(|t| t.0),
            body_encoding: j.body_encoding.map_or(d.body_encoding, |e| e.0),
            max_response_bytes: j.max_response_bytes.map_or(d.max_response_bytes, |n| n.0),
            endpoints: match j.endpoints {
                Some(map) => endpoints(&map.0)?,
                None => d.endpoints,
            },
            allow_insecure_http: j.allow_insecure_http.map_or(d.allow_insecure_http, |f| f.0),
            retry: crate::config::RetryPolicy {
                max_attempts: j.max_attempts.map_or(d.retry.max_attempts, |n| n.0.min(100) as u32),
                base_delay: j.retry_base_delay_ms.map_or(d.retry.base_delay, |n| Duration::from_millis(n.0)),
                max_delay: j.retry_max_delay_ms.map_or(d.retry.max_delay, |n| Duration::from_millis(n.0)),
            },
            quota_per_hour: j.quota_per_hour.map_or(d.quota_per_hour, |n| n.0),
            quota_per_day: j.quota_per_day.map_or(d.quota_per_day, |n| n.0),
            tls_roots: j.tls_roots.map_or(d.tls_roots, |r| r.0),
            ca_bundle: j.ca_bundle.map(|t| PathBuf::from(t.0)),
            // Naming a file means "log"; an explicit level may still turn it off.
            log_level: match (&j.log_level, &j.log_file) {
                (Some(level), _) => level.0,
                (None, Some(_)) => LogLevel::Info,
                (None, None) => d.log_level,
            },
            log_file: j.log_file.map(|t| PathBuf::from(t.0)),
            validation: j.validation.map_or(d.validation, |v| v.0),
            phone_region: j.phone_region.map_or(d.phone_region, |t| t.0.to_ascii_uppercase()),
            template_ttl: j.template_ttl_ms.map_or(d.template_ttl, |n| Duration::from_millis(n.0)),
            outbox_path: j.outbox_path.map(|t| PathBuf::from(t.0)),
            outbox_replay: j.outbox_replay.map_or(d.outbox_replay, |r| r.0),
            breaker_explicit: j.breaker_failures.is_some(),
            breaker_failures: j.breaker_failures.map_or(d.breaker_failures, |n| n.0.min(1000) as u32),
            breaker_cooldown: millis(j.breaker_cooldown_ms).unwrap_or(d.breaker_cooldown),
            stale_reads: j.stale_reads.map_or(d.stale_reads, |f| f.0),
        };
        c.validate()?;
        Ok(c)
    }
}

fn endpoints(map: &Map<String, Value>) -> Result<BTreeMap<String, Endpoint>> {
    let mut out = BTreeMap::new();
    for (name, spec) in map {
        let method = methods::find(name).filter(|m| m.kind == Kind::Rest).ok_or_else(|| {
            Error::invalid_argument(format!("config: endpoints.{name}: not a sales/products operation"))
        })?;
        let fields = spec
            .as_object()
            .ok_or_else(|| Error::invalid_argument(format!("config: endpoints.{name} must be an object")))?;
        let e: EndpointJson = from_object(fields, &format!("endpoints.{name}."), ENDPOINT_SCHEMA)?;
        let endpoint = Endpoint {
            base_url: e.base_url.map(|t| t.0),
            path: e.path.map(|t| t.0),
            verb: e.verb.map(|v| v.0),
            body_encoding: e.body_encoding.map(|b| b.0),
        };
        out.insert(method.name.to_owned(), endpoint);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Status;

    fn parse(v: Value) -> Result<Config> {
        Config::from_json(v.as_object().unwrap())
    }

    #[test]
    fn a_wrong_type_names_the_key_and_the_expected_type() {
        for (config, message) in [
            (json!({"timeout_ms": "5"}), "config: timeout_ms must be an integer of at least 1"),
            (json!({"timeout_ms": 0}), "config: timeout_ms must be an integer of at least 1"),
            (
                json!({"retry_base_delay_ms": -1}),
                "config: retry_base_delay_ms must be an integer of at least 0",
            ),
            (json!({"allow_insecure_http": "yes"}), "config: allow_insecure_http must be true or false"),
            (json!({"token": 12345}), "config: token must be a string"),
            (
                json!({"log_level": "loud"}),
                "config: log_level must be \"off\", \"error\", \"info\" or \"debug\", not \"loud\"",
            ),
            (
                json!({"body_encoding": "json"}),
                "config: body_encoding must be \"multipart\" or \"urlencoded\", not \"json\"",
            ),
            (json!({"tls_roots": 1}), "config: tls_roots must be \"bundled\" or \"system\""),
            (json!({"endpoints": []}), "config: endpoints must be an object keyed by operation"),
            (
                json!({"endpoints": {"getsale": {"verb": "PATCH"}}}),
                "config: endpoints.getsale.verb must be GET, POST, PUT or DELETE, not \"PATCH\"",
            ),
        ] {
            let e = parse(config.clone()).unwrap_err();
            assert_eq!(e.status, Status::InvalidArgument, "{config}");
            assert_eq!(e.message, message, "{config}");
            assert!(e.details.get("key").is_some(), "{config}: no details.key");
        }
    }

    #[test]
    fn a_wrong_token_type_never_echoes_the_value() {
        let e = parse(json!({"token": ["SECRET-TOKEN"]})).unwrap_err();
        assert!(!e.message.contains("SECRET"), "{}", e.message);
    }

    #[test]
    fn an_unknown_key_is_named_among_good_ones() {
        let e = parse(json!({"token": "t", "timeout": 5, "proxy": null})).unwrap_err();
        assert!(
            e.message.starts_with("config: unknown key \"timeout\"; the keys are: token, base_url,"),
            "{}",
            e.message
        );
        assert_eq!(e.details["key"], "timeout");
        let e = parse(json!({"endpoints": {"getsale": {"colour": "red"}}})).unwrap_err();
        assert_eq!(e.details["key"], "endpoints.getsale.colour");
        assert!(e.message.contains("the keys are: base_url, path, verb, body_encoding"), "{}", e.message);
    }

    #[test]
    fn every_key_is_read() {
        let c = parse(json!({
            "token": "t", "base_url": "http://127.0.0.1:9", "timeout_ms": 1, "connect_timeout_ms": 2,
            "read_timeout_ms": 3, "user_agent": "ua", "proxy": "http://127.0.0.1:8", "body_encoding": "URLENCODED",
            "max_response_bytes": 4, "endpoints": {"getSale": {"method": "post"}}, "allow_insecure_http": true,
            "max_attempts": 1000, "retry_base_delay_ms": 5, "retry_max_delay_ms": 6, "quota_per_hour": 7,
            "quota_per_day": 8, "tls_roots": "system", "ca_bundle": "/ca.pem", "log_file": "/l.log", "log_level": "off"
        }))
        .unwrap();
        assert_eq!(c.token.as_deref(), Some("t"));
        assert_eq!(
            (c.timeout, c.connect_timeout, c.read_timeout),
            (Duration::from_millis(1), Duration::from_millis(2), Duration::from_millis(3))
        );
        assert_eq!((c.user_agent.as_str(), c.proxy.as_deref()), ("ua", Some("http://127.0.0.1:8")));
        assert_eq!(
            (c.body_encoding, c.max_response_bytes, c.allow_insecure_http),
            (BodyEncoding::Urlencoded, 4, true)
        );
        assert_eq!(c.endpoints["getsale"].verb, Some(Verb::Post));
        assert_eq!(c.retry.max_attempts, 100, "capped");
        assert_eq!(
            (c.retry.base_delay, c.retry.max_delay),
            (Duration::from_millis(5), Duration::from_millis(6))
        );
        assert_eq!((c.quota_per_hour, c.quota_per_day, c.tls_roots.clone()), (7, 8, TlsRoots::System));
        assert_eq!(c.ca_bundle, Some(PathBuf::from("/ca.pem")));
        assert_eq!((c.log_file, c.log_level), (Some(PathBuf::from("/l.log")), LogLevel::Off));
        let c = parse(json!({"log_file": "/l.log"})).unwrap();
        assert_eq!(c.log_level, LogLevel::Info);
    }

    #[test]
    fn the_schema_lists_every_key_once_with_a_type_and_a_doc() {
        let schema = config_schema_json();
        let keys = schema["keys"].as_array().unwrap();
        assert_eq!(keys.len(), CONFIG_SCHEMA.len());
        let names: Vec<&str> = keys.iter().map(|k| k["name"].as_str().unwrap()).collect();
        assert_eq!(names, config_keys());
        for k in keys {
            assert!(["string", "integer", "boolean", "object"].contains(&k["type"].as_str().unwrap()), "{k}");
            assert!(!k["doc"].as_str().unwrap().is_empty(), "{k}");
        }
        assert_eq!(schema["endpoint_keys"].as_array().unwrap().len(), 4);
    }

    /// The schema's defaults (which the README and the header print) are the defaults in force: giving
    /// each one explicitly yields `Config::default()`, and a changed default would fail here.
    #[test]
    fn the_schema_s_defaults_are_the_config_s_defaults() {
        let schema = config_schema_json();
        let mut given = Map::new();
        for k in schema["keys"].as_array().unwrap() {
            let default = &k["default"];
            if !default.is_null() {
                given.insert(k["name"].as_str().unwrap().to_owned(), default.clone());
            }
        }
        assert!(given.len() >= 20, "{given:?}");
        let mut explicit = Config::from_json(&given).unwrap();
        // Naming breaker_failures marks it as chosen by the user (it then also applies without an outbox).
        explicit.breaker_explicit = false;
        assert!(explicit == Config::default(), "{:?} vs {:?}", explicit, Config::default());
        assert_eq!(schema["keys"][2]["default"], 30000, "timeout_ms");
        assert_eq!(schema["keys"][7]["default"], "multipart", "body_encoding");
    }
}
