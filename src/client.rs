//! The client: one call end to end (table → request → transport with retries and quota → response).

use crate::config::{Config, LogLevel};
use crate::error::{Error, Result, Status};
use crate::log::Logger;
use crate::methods::{self, Kind, Method};
use crate::quota::Quota;
use crate::redact::Scrubber;
use crate::retry;
use crate::transport::{self, Delivery};
use crate::validation::Validator;
use crate::{request, response, scenarios};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

/// A Passteam client. Cheap to share: every method takes `&self` and may run on many threads at once
/// (the connection pool and the request budget are shared).
#[derive(Debug)]
pub struct Client {
    config: Config,
    agent: ureq::Agent,
    /// Plain HTTP without a proxy, spoken directly (see `http1`); `None` when a proxy is configured.
    plain: Option<crate::http1::Http1>,
    quota: Quota,
    logger: Option<Logger>,
    /// The outbox, circuit breaker and last-known cards (issue 12); `None` when none is configured.
    pub(crate) offline: Option<crate::outbox::Offline>,
    /// Hides every form of the token in errors and log lines.
    scrubber: Option<Scrubber>,
    /// Template-aware checks of card variables (issue 15).
    validator: Validator,
}

impl Client {
    /// Builds a client; fails with `InvalidArgument` for a config that cannot work.
    pub fn new(config: Config) -> Result<Client> {
        config.validate()?;
        transport::check_header_values(&config)?;
        let (agent, plain) = transport::build_agent(&config)?;
        let scrubber = config.token.as_deref().and_then(Scrubber::new);
        let logger = match (&config.log_file, config.log_level) {
            (Some(path), level) if level != LogLevel::Off => {
                Some(Logger::open(path, level, scrubber.clone()).map_err(|e| {
                    Error::invalid_argument(format!(
                        "config: log_file {}: cannot open it: {e}",
                        path.display()
                    ))
                })?)
            }
            _ => None,
        };
        let quota = Quota::new(config.quota_per_hour, config.quota_per_day);
        let validator = Validator::new(config.validation, &config.phone_region, config.template_ttl);
        let offline = crate::outbox::Offline::open(&config)?;
        Ok(Client { config, agent, plain, quota, logger, scrubber, validator, offline })
    }

    /// Builds a client from the JSON config text every host passes (empty text = defaults).
    pub fn from_json(config_json: &str) -> Result<Client> {
        let text = if config_json.trim().is_empty() { "{}" } else { config_json };
        Client::new(Config::from_json_str(text)?)
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The request budget (for diagnostics).
    pub(crate) fn quota(&self) -> &Quota {
        &self.quota
    }

    /// The shared agent (for diagnostics, which reads reply headers the call path does not keep).
    pub(crate) fn agent(&self) -> &ureq::Agent {
        &self.agent
    }

    /// Diagnoses the way to Passteam: DNS, proxy, TCP, TLS, the token, the clock, the request budget and the
    /// library, each with what it measured and one line of advice (see [`crate::diagnose`]).
    pub fn diagnose(&self) -> crate::diagnose::Report {
        crate::diagnose::diagnose(self)
    }

    /// Requests left in the hourly and daily budget (`None` where no budget is set).
    pub fn quota_remaining(&self) -> (Option<u64>, Option<u64>) {
        self.quota.remaining()
    }

    /// Calls an operation by name (`getCard`, `getcard`, `get_card`) with a JSON object of parameters,
    /// and returns the envelope's `result`.
    pub fn call(&self, method: &str, params: Value) -> Result<Value> {
        self.call_with_timeout(method, params, None)
    }

    /// As [`Client::call`], with the result read into a type of [`crate::models`] (or any serde type).
    /// A result that does not fit the type is `PASSTEAM_ERR_PROTOCOL`.
    pub fn call_as<T: serde::de::DeserializeOwned>(&self, method: &str, params: Value) -> Result<T> {
        let value = self.call(method, params)?;
        T::deserialize(&value).map_err(|e| {
            // The operation did succeed: say so, and hand the result on, so nothing is lost.
            Error::new(
                Status::Protocol,
                format!(
                    "{method}: the operation succeeded, but its result does not fit {}: {e}; the result is in details.result",
                    std::any::type_name::<T>()
                ),
            )
            .with_detail("result", value)
        })
    }

    /// As [`Client::call`], with a deadline shorter than the configured `timeout_ms` for this call only
    /// (a longer one is cut to the configured timeout).
    pub fn call_with_timeout(&self, method: &str, params: Value, timeout: Option<Duration>) -> Result<Value> {
        let raw = self.call_json(method, params, timeout)?;
        serde_json::from_str(raw.get())
            .map_err(|e| Error::new(Status::Protocol, format!("{method}: the result is not JSON: {e}")))
    }

    /// As [`Client::call_with_timeout`], with the result as the JSON text Passteam sent: what the C ABI hands
    /// on, without parsing the result into a tree and printing it again.
    pub fn call_json(&self, method: &str, params: Value, timeout: Option<Duration>) -> Result<Box<RawValue>> {
        // Redacted like every other error: an unknown method's message echoes the name given, which may hold
        // the token (found by the c_abi fuzz target).
        let (m, params, deadline) = self.resolve(method, params, timeout).map_err(|e| self.redact(e))?;
        // Validation (issue 15): the template's types checked and applied before anything is sent.
        // The size bound first: nothing (no template lookup either) works on parameters too large to send.
        request::check_size(m, &params).map_err(|e| self.redact(e))?;
        let params = self.validator.prepare(self, m, params, deadline).map_err(|e| self.redact(e))?;
        if let Some(offline) = &self.offline {
            // issue 12: the outbox decides whether to send, queue, or answer a last-known card.
            return offline.call(self, m, params, deadline).map_err(|e| self.redact(e));
        }
        self.send(m, &params, deadline)
    }

    /// One call sent now, past the outbox: what every call did before issue 12, and what the replay uses.
    pub(crate) fn send(
        &self,
        m: &'static Method,
        params: &Map<String, Value>,
        deadline: Instant,
    ) -> Result<Box<RawValue>> {
        let result = match m.kind {
            Kind::Scenario => scenarios::run(self, m, params, deadline).map(|v| to_raw(&v)),
            _ => self.invoke_raw(m, params, deadline),
        };
        if let Ok(raw) = &result {
            self.validator.learn(m, params, raw);
        }
        result.map_err(|e| self.redact(e))
    }

    /// The table entry, the parameters as an object, and the call's deadline.
    fn resolve(
        &self,
        method: &str,
        params: Value,
        timeout: Option<Duration>,
    ) -> Result<(&'static Method, Map<String, Value>, Instant)> {
        let m = methods::find(method).ok_or_else(|| {
            Error::invalid_argument(format!(
                "unknown method {:?}; the operations are those of the method table (passteam_methods_json())",
                truncate(method)
            ))
            // Lets each host point at its own list of operations.
            .with_detail("unknown_method", Value::from(truncate(method)))
        })?;
        let params = match params {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            _ => return Err(Error::invalid_json("params must be a JSON object")),
        };
        let budget = timeout.map_or(self.config.timeout, |t| t.min(self.config.timeout));
        Ok((m, params, Instant::now() + budget))
    }

    /// One operation of the table with retries, within `deadline`.
    fn invoke_raw(
        &self,
        method: &Method,
        params: &Map<String, Value>,
        deadline: Instant,
    ) -> Result<Box<RawValue>> {
        let prepared = request::prepare(method, params)?;
        let fields = request::form_fields(&prepared);
        let endpoint = self.config.endpoint_for(method);
        let token = if method.auth { self.config.token.as_deref() } else { None };
        if method.auth && token.is_none_or(str::is_empty) {
            return Err(Error::new(
                Status::Auth,
                format!(
                    "{}: no API token configured; give the config key \"token\" (or get one with getatoken)",
                    method.name
                ),
            )
            // Lets each host restate the message in its own terms (CLI flag, Python keyword, Go field).
            .with_detail("missing", Value::from("token"))
            .with_detail("method", Value::from(method.name)));
        }
        let outgoing = transport::Outgoing {
            endpoint: &endpoint,
            token,
            params: &prepared,
            fields: &fields,
            max_response_bytes: self.config.max_response_bytes,
            connect_timeout: self.config.connect_timeout,
            read_timeout: self.config.read_timeout,
            call_timeout: deadline.saturating_duration_since(Instant::now()),
        };
        // A server that echoes getatoken's password must not put it in a message or the log.
        let secrets: Vec<Scrubber> = fields
            .iter()
            .filter(|(name, _)| crate::log::is_secret_name(name))
            .filter_map(|(_, value)| Scrubber::new(value))
            .collect();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let started = Instant::now();
            let time_left = deadline.saturating_duration_since(started);
            if time_left.is_zero() {
                return Err(self.finish(
                    method,
                    attempt - 1,
                    timeout_error(method, outgoing.call_timeout, self.config.timeout),
                ));
            }
            self.quota.acquire().map_err(|e| e.with_detail("method", Value::from(method.name)))?;
            let (error, delivery) =
                match transport::exchange(&self.agent, self.plain.as_ref(), &outgoing, time_left) {
                    Ok(reply) => {
                        let result =
                            response::interpret_raw(reply.status, &reply.body).map_err(|e| hide(&secrets, e));
                        let error = result.as_ref().err();
                        self.log_attempt(method, attempt, started, Some(reply.status), error, &fields);
                        match result {
                            Ok(value) => {
                                self.quota.succeeded();
                                return Ok(crate::loose::normalise_result(value));
                            }
                            // Any reply, even a 502-504 from something in front of Passteam: the request
                            // may have been applied.
                            Err(e) => (self.on_refusal(e), Delivery::MaybeSent),
                        }
                    }
                    Err(mut failure) => {
                        failure.error = hide(&secrets, failure.error);
                        let error = Some(&failure.error);
                        self.log_attempt(method, attempt, started, failure.error.http_status, error, &fields);
                        (failure.error, failure.delivery)
                    }
                };
            let random = RandomState::new().build_hasher().finish();
            let now = Instant::now();
            match retry::next_step(
                method,
                error,
                delivery,
                attempt,
                &self.config.retry,
                deadline,
                now,
                random,
            ) {
                retry::Step::Retry(pause) => std::thread::sleep(pause),
                retry::Step::Fail(error) => return Err(self.finish(method, attempt, error)),
            }
        }
    }

    /// A quota refusal by the server pauses the whole client, and the refused call says for how long. Any
    /// other answer (a 404, a 409...) shows the server takes requests again: the pause is over.
    fn on_refusal(&self, mut error: Error) -> Error {
        if error.status == Status::RateLimited {
            let pause = self.quota.refused(error.quota_refusal);
            error.retry_after_ms = Some(pause.as_millis().min(u64::MAX as u128) as u64);
        } else if !matches!(error.status, Status::Transport | Status::Protocol) {
            self.quota.succeeded();
        }
        error
    }

    /// Adds the facts every error carries.
    fn finish(&self, method: &Method, attempts: u32, error: Error) -> Error {
        error.with_detail("method", Value::from(method.name)).with_detail("attempts", Value::from(attempts))
    }

    /// Last line of defence: whatever a server echoed, the token never leaves in a message.
    fn redact(&self, mut error: Error) -> Error {
        if let Some(scrubber) = &self.scrubber {
            if let std::borrow::Cow::Owned(clean) = scrubber.scrub(&error.message) {
                error.message = clean;
            }
            scrubber.scrub_map(&mut error.details);
        }
        error
    }

    fn log_attempt(
        &self,
        method: &Method,
        attempt: u32,
        started: Instant,
        http_status: Option<u16>,
        error: Option<&Error>,
        fields: &[(String, String)],
    ) {
        let Some(log) = &self.logger else { return };
        let ms = started.elapsed().as_millis();
        let http = http_status.map_or("-".to_owned(), |s| s.to_string());
        match error {
            None => {
                log.write(LogLevel::Info, &format!("{} attempt={attempt} http={http} ok {ms}ms", method.name))
            }
            Some(e) => log.write(
                LogLevel::Error,
                &format!(
                    "{} attempt={attempt} http={http} {} {ms}ms: {}",
                    method.name,
                    e.status.name(),
                    e.message
                ),
            ),
        }
        if log.enabled(LogLevel::Debug) {
            let params: Vec<String> = fields
                .iter()
                .map(
                    |(k, v)| {
                        if crate::log::is_secret_name(k) {
                            format!("{k}=***")
                        } else {
                            format!("{k}={v}")
                        }
                    },
                )
                .collect();
            log.write(LogLevel::Debug, &format!("{} params: {}", method.name, params.join("&")));
        }
    }
}

/// The error with every secret parameter's value scrubbed from its message and details.
fn hide(secrets: &[Scrubber], mut error: Error) -> Error {
    for scrubber in secrets {
        if let std::borrow::Cow::Owned(clean) = scrubber.scrub(&error.message) {
            error.message = clean;
        }
        scrubber.scrub_map(&mut error.details);
    }
    error
}

/// The deadline passed between attempts: say how long this call had, and what the configured timeout is.
fn timeout_error(method: &Method, call_budget: Duration, configured: Duration) -> Error {
    Error::new(
        Status::Timeout,
        format!(
            "{}: the call's deadline passed ({} ms for this call; timeout_ms is {} ms, retries included)",
            method.name,
            call_budget.as_millis(),
            configured.as_millis()
        ),
    )
}

fn to_raw(value: &Value) -> Box<RawValue> {
    serde_json::value::to_raw_value(value)
        .unwrap_or_else(|_| RawValue::from_string("null".into()).expect("JSON"))
}

fn truncate(text: &str) -> String {
    text.chars().take(64).collect()
}

impl scenarios::Steps for Client {
    /// One operation of the table with retries, within `deadline`, its result parsed. Scenarios build on this.
    fn invoke(&self, method: &Method, params: &Map<String, Value>, deadline: Instant) -> Result<Value> {
        let raw = self.invoke_raw(method, params, deadline)?;
        serde_json::from_str(raw.get()).map_err(|e| {
            Error::new(Status::Protocol, format!("{}: the result is not JSON: {e}", method.name))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_method_and_bad_params() {
        let c = Client::from_json(r#"{"token": "t", "base_url": "http://127.0.0.1:9"}"#).unwrap();
        assert_eq!(c.call("nosuch", Value::Null).unwrap_err().status, Status::InvalidArgument);
        assert_eq!(c.call("getcard", Value::from(5)).unwrap_err().status, Status::InvalidJson);
        assert_eq!(c.call("getcard", serde_json::json!({})).unwrap_err().status, Status::Validation);
    }
}
