//! Reading a reply: the envelope `{"result", "message", "code", "error"}` into a result or an [`Error`].
//!
//! The body is read whatever the HTTP status (Passteam puts the reason in the envelope of a 409 or 500).
//! Failure is `error == true` or `code != 200`. Known messages are parsed into `details`: the duplicated
//! card ids of a 409, the limit of a quota refusal.

use crate::error::{Error, Result, Status};
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::HashMap;

/// How much of a foreign body an error message quotes.
const SNIPPET_CHARS: usize = 160;

/// Interprets one reply into the envelope's `result`.
pub fn interpret(http_status: u16, body: &[u8]) -> Result<Value> {
    let raw = interpret_raw(http_status, body)?;
    serde_json::from_str(raw.get())
        .map_err(|e| Error::new(Status::Protocol, format!("the result is not JSON: {e}")))
}

/// Interprets one reply, keeping the envelope's `result` as the JSON text it arrived in: the C ABI hands
/// that text on as is, so a card is never parsed into a tree and printed again.
pub fn interpret_raw(http_status: u16, body: &[u8]) -> Result<Box<RawValue>> {
    // Only the envelope's top level is split; `result` stays text.
    let parsed: Option<HashMap<String, Box<RawValue>>> =
        match serde_json::from_slice::<HashMap<String, Box<RawValue>>>(body) {
            Ok(map) if is_envelope(&map) => Some(map),
            _ => None,
        };
    let Some(mut envelope) = parsed else {
        return Err(not_an_envelope(http_status, body));
    };
    let field = |map: &HashMap<String, Box<RawValue>>, key: &str| -> Value {
        map.get(key).and_then(|raw| serde_json::from_str(raw.get()).ok()).unwrap_or(Value::Null)
    };
    let code = as_code(&field(&envelope, "code"));
    let flagged = field(&envelope, "error").as_bool().unwrap_or(false);
    let success = !flagged && code.map_or((200..300).contains(&http_status), |c| c == 200);
    if success {
        return Ok(envelope.remove("result").unwrap_or_else(null_raw));
    }
    let message = match field(&envelope, "message") {
        Value::String(s) if !s.trim().is_empty() => s.trim().to_owned(),
        Value::Null | Value::String(_) => {
            format!("Passteam replied with code {} and no message", code.unwrap_or(http_status as i64))
        }
        other => other.to_string(),
    };
    let effective = code.unwrap_or(http_status as i64);
    let mut error = classify(effective, &message);
    error.http_status = Some(http_status);
    error.api_code = code;
    let result = field(&envelope, "result");
    if !result.is_null() {
        error.details.insert("result".into(), result);
    }
    Err(error)
}

fn null_raw() -> Box<RawValue> {
    RawValue::from_string("null".to_owned()).expect("null is JSON")
}

/// An object is the envelope when it carries at least `code` or `error` beside `result` or `message`.
fn is_envelope(map: &HashMap<String, Box<RawValue>>) -> bool {
    (map.contains_key("code") || map.contains_key("error"))
        && (map.contains_key("result") || map.contains_key("message"))
}

/// `code` is a number, sometimes sent as a numeric string.
fn as_code(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The error for a reply that carries a known message or code.
fn classify(code: i64, message: &str) -> Error {
    if let Some((limit, window)) = parse_quota_message(message) {
        return Error::new(Status::RateLimited, message)
            .with_detail("limit", Value::from(limit))
            .with_detail("window", Value::from(window))
            .retryable_as(true);
    }
    let status = match code {
        401 | 403 => Status::Auth,
        404 => Status::NotFound,
        409 => Status::Conflict,
        429 => Status::RateLimited,
        502..=504 => Status::Transport,
        _ => Status::Api,
    };
    let mut error =
        Error::new(status, message).retryable_as(matches!(status, Status::RateLimited | Status::Transport));
    if status == Status::Conflict {
        let ids = parse_duplicated_cards(message);
        error = error.with_detail("cardIds", Value::from(ids));
    }
    error
}

/// A reply that is not the envelope: a proxy's HTML page, an empty body, a truncated JSON.
fn not_an_envelope(http_status: u16, body: &[u8]) -> Error {
    let snippet = snippet(body);
    let (status, what) = match http_status {
        502..=504 => (Status::Transport, "the gateway in front of Passteam failed"),
        401 | 403 => (Status::Auth, "the token was refused"),
        404 => (Status::NotFound, "no such address or object"),
        429 => (Status::RateLimited, "too many requests"),
        _ => (Status::Protocol, "the reply is not Passteam's JSON envelope"),
    };
    let mut error =
        Error::new(status, format!("HTTP {http_status}: {what} ({} bytes: {snippet})", body.len()))
            .retryable_as(matches!(status, Status::Transport | Status::RateLimited));
    error.http_status = Some(http_status);
    error
}

/// The start of a body, as one printable line.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String =
        text.chars().take(SNIPPET_CHARS).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().count() > SNIPPET_CHARS {
        out.push('…');
    }
    if out.trim().is_empty() {
        "empty".to_owned()
    } else {
        format!("{:?}", out.trim())
    }
}

/// `... Duplicated cards: id1 id2` → `["id1", "id2"]`.
pub fn parse_duplicated_cards(message: &str) -> Vec<String> {
    const MARK: &str = "duplicated cards:";
    let lower = message.to_ascii_lowercase();
    let Some(at) = lower.find(MARK) else { return Vec::new() };
    message[at + MARK.len()..]
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|t| t.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `You can only make 30000 requests per hour` → `(30000, "hour")`.
pub fn parse_quota_message(message: &str) -> Option<(u64, &'static str)> {
    const MARK: &str = "you can only make ";
    let lower = message.to_ascii_lowercase();
    let at = lower.find(MARK)?;
    let rest = &lower[at + MARK.len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let limit = digits.parse().ok()?;
    let tail = rest[digits.len()..].trim_start();
    let tail = tail.strip_prefix("requests")?.trim_start();
    let window = if tail.starts_with("per day") {
        "day"
    } else if tail.starts_with("per hour") {
        "hour"
    } else {
        return None;
    };
    Some((limit, window))
}

trait Retryable {
    fn retryable_as(self, retryable: bool) -> Self;
}

impl Retryable for Error {
    fn retryable_as(mut self, retryable: bool) -> Error {
        self.retryable = retryable;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Vec<u8> {
        serde_json::to_vec(&v).unwrap()
    }

    #[test]
    fn success_returns_the_result() {
        let r = interpret(
            200,
            &body(json!({"result": {"cardId": "a"}, "message": "OK", "code": 200, "error": false})),
        )
        .unwrap();
        assert_eq!(r, json!({"cardId": "a"}));
        assert_eq!(
            interpret(200, &body(json!({"result": true, "code": "200", "error": false}))).unwrap(),
            json!(true)
        );
    }

    #[test]
    fn failure_is_error_flag_or_code() {
        let e = interpret(200, &body(json!({"result": null, "message": "bad", "code": 400, "error": false})))
            .unwrap_err();
        assert_eq!((e.status, e.api_code, e.http_status), (Status::Api, Some(400), Some(200)));
        let e = interpret(200, &body(json!({"result": null, "message": "bad", "code": 200, "error": true})))
            .unwrap_err();
        assert_eq!(e.status, Status::Api);
    }

    #[test]
    fn conflict_lists_the_cards() {
        let msg = "Provided value (+79990001122) of field (%PHONE%) is duplicated. Duplicated cards: 5f0c1a2b3c4d5e6f7a8b9c0d 5f0c1a2b3c4d5e6f7a8b9c0e";
        let e = interpret(409, &body(json!({"result": null, "message": msg, "code": 409, "error": true})))
            .unwrap_err();
        assert_eq!(e.status, Status::Conflict);
        assert_eq!(e.message, msg);
        assert_eq!(e.card_ids(), vec!["5f0c1a2b3c4d5e6f7a8b9c0d", "5f0c1a2b3c4d5e6f7a8b9c0e"]);
        assert!(!e.retryable);
    }

    #[test]
    fn quota_message_is_rate_limited_whatever_the_code() {
        let e = interpret(
            403,
            &body(
                json!({"message": "You can only make 30000 requests per hour", "code": 403, "error": true}),
            ),
        )
        .unwrap_err();
        assert_eq!(e.status, Status::RateLimited);
        assert_eq!(e.details["limit"], 30000);
        assert_eq!(parse_quota_message("you can only make 5 requests per day"), Some((5, "day")));
        assert_eq!(parse_quota_message("you can only make lots of requests"), None);
    }

    #[test]
    fn foreign_bodies() {
        let e = interpret(200, b"<html>oops</html>").unwrap_err();
        assert_eq!(e.status, Status::Protocol);
        assert!(e.message.contains("<html>oops</html>"));
        let e = interpret(502, b"<html>Bad Gateway</html>").unwrap_err();
        assert_eq!((e.status, e.retryable, e.http_status), (Status::Transport, true, Some(502)));
        assert_eq!(interpret(200, b"").unwrap_err().status, Status::Protocol);
        assert_eq!(interpret(200, b"[1,2]").unwrap_err().status, Status::Protocol);
        assert_eq!(interpret(200, b"{\"ok\": 1}").unwrap_err().status, Status::Protocol);
        assert_eq!(interpret(401, b"Unauthorized").unwrap_err().status, Status::Auth);
    }
}
