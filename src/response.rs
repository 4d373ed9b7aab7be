//! Reading a reply: the envelope `{"result", "message", "code", "error"}` into a result or an [`Error`].
//!
//! The body is read whatever the HTTP status (Passteam puts the reason in the envelope of a 409 or 500).
//! Failure is `error == true` or `code != 200`. Known messages are parsed into `details`: the duplicated
//! card ids of a 409, the limit of a quota refusal.

use crate::error::{Error, Result, Status};
use crate::quota::{QuotaWindow, Refusal};
use serde_json::value::RawValue;
use serde_json::Value;

/// The envelope's four members, borrowed from the body: nothing is copied but the `result` of a success.
/// (A struct, not a map: no key is allocated or hashed, and a member sent twice makes the reply no
/// envelope at all instead of letting the last `error` or `code` win.)
#[derive(serde::Deserialize, Default)]
struct Envelope<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    code: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    error: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    result: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    message: Option<&'a RawValue>,
}

/// A member that is there, even as `null` (`Option`'s own rule would make `"code": null` absent, and the
/// reply then "not an envelope" instead of "an envelope that lacks its code").
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<&'de RawValue>, D::Error> {
    <&'de RawValue as serde::Deserialize<'de>>::deserialize(d).map(Some)
}

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
    // Bounded before anything builds a tree: every host gets the same verdict on a hostile shape.
    // (Only for what may be the envelope, an object: a gateway's HTML page keeps its own diagnosis.)
    let object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if let Err(why) = if object { crate::json_shape::check(body) } else { Ok(()) } {
        let mut error = Error::new(Status::Protocol, format!("the reply was refused: {why}"));
        error.http_status = Some(http_status);
        return Err(error);
    }
    // Only the envelope's top level is split; `result` stays text.
    let parsed = match serde_json::from_slice::<Envelope<'_>>(body) {
        Ok(envelope) if is_envelope(&envelope) => Some(envelope),
        _ => None,
    };
    let Some(envelope) = parsed else {
        return Err(not_an_envelope(http_status, body));
    };
    let field = |member: Option<&RawValue>| -> Value {
        member.and_then(|raw| serde_json::from_str(raw.get()).ok()).unwrap_or(Value::Null)
    };
    let code_field = field(envelope.code);
    let error_field = field(envelope.error);
    let code = as_code(&code_field);
    // A `code` or `error` of another type is not a verdict we can read: never count it as success.
    let bad_code = !code_field.is_null() && code.is_none();
    let bad_error = !matches!(error_field, Value::Null | Value::Bool(_));
    // A failure code still describes its error; anything else of the wrong type is no verdict at all.
    if (bad_code || bad_error) && code.is_none_or(|c| c == 200) {
        let (which, shown, expected) = if bad_code {
            ("code", &code_field, "an integer such as 200")
        } else {
            ("error", &error_field, "true or false")
        };
        let mut error = Error::new(
            Status::Protocol,
            format!(
                "HTTP {http_status}: the envelope's {which} is {} (expected {expected}); the reply cannot be \
                 trusted",
                excerpt(&shown.to_string())
            ),
        );
        error.http_status = Some(http_status);
        error.api_code = code;
        return Err(error);
    }
    let flagged = error_field.as_bool();
    // Success is exactly `error == false` and `code == 200`: an envelope missing either half is no verdict
    // that a bonus update was applied.
    let success = flagged == Some(false) && code == Some(200);
    if success {
        return Ok(envelope.result.map_or_else(null_raw, |r| r.to_owned()));
    }
    if flagged != Some(true) && code.is_none_or(|c| c == 200) {
        // Neither half says failure and one is missing: no verdict either way.
        let mut error = Error::new(
            Status::Protocol,
            format!(
                "HTTP {http_status}: the envelope lacks {}; the reply cannot be trusted",
                if code.is_none() { "its code" } else { "its error flag" }
            ),
        );
        error.http_status = Some(http_status);
        error.api_code = code;
        return Err(error);
    }
    let message = match field(envelope.message) {
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
    let result = field(envelope.result);
    if !result.is_null() {
        error.details.insert("result".into(), result);
    }
    Err(error)
}

/// A 3xx: Passteam's API never redirects, and following one would turn a POST into a GET somewhere else
/// whose reply would pass for the operation's. Only the host of `Location` is named (the rest may carry
/// anything, a token included).
pub fn redirect_error(http_status: u16, location: Option<&str>) -> Error {
    let target = match location.map(location_host) {
        Some(Some(host)) => format!("to host {host}"),
        Some(None) => "to a relative or unreadable Location".to_owned(),
        None => "without a Location".to_owned(),
    };
    let mut error = Error::new(
        Status::Protocol,
        format!(
            "HTTP {http_status}: the server redirected {target}; redirects are never followed \
             (check base_url: it must be the API's own address)"
        ),
    );
    error.http_status = Some(http_status);
    error
}

/// `https://user:pw@host:8443/x?y` → `host:8443`.
fn location_host(location: &str) -> Option<String> {
    let rest = location.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let clean: String = host.chars().filter(|c| !c.is_control()).take(100).collect();
    (!clean.is_empty()).then_some(clean)
}

fn null_raw() -> Box<RawValue> {
    RawValue::from_string("null".to_owned()).expect("null is JSON")
}

/// An object is the envelope when it carries at least `code` or `error` beside `result` or `message`.
fn is_envelope(envelope: &Envelope<'_>) -> bool {
    (envelope.code.is_some() || envelope.error.is_some())
        && (envelope.result.is_some() || envelope.message.is_some())
}

/// `code` is an integer, sometimes sent as a string of digits ("200"); `500.0`, `"2e2"`, `"200abc"`,
/// `" 200"`, `true` are not codes.
fn as_code(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        }
        _ => None,
    }
}

/// The error for a reply that carries a known message or code.
fn classify(code: i64, message: &str) -> Error {
    if let Some((limit, window)) = parse_quota_message(message) {
        let mut error = Error::new(Status::RateLimited, message)
            .with_detail("limit", Value::from(limit))
            .with_detail("window", Value::from(window));
        let window = if window == "day" { QuotaWindow::Day } else { QuotaWindow::Hour };
        error.quota_refusal = Some(Refusal { limit, window });
        return error;
    }
    let status = match code {
        401 | 403 => Status::Auth,
        404 => Status::NotFound,
        409 => Status::Conflict,
        429 => Status::RateLimited,
        502..=504 => Status::Transport,
        _ => Status::Api,
    };
    let mut error = Error::new(status, message);
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
        Error::new(status, format!("HTTP {http_status}: {what} ({} bytes: {snippet})", body.len()));
    error.http_status = Some(http_status);
    error
}

/// A short printable excerpt of a value the server sent.
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(40).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
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
///
/// Only the whole message counts (case aside, and a final `.` or `!`): a 409 that echoes a customer's
/// value holding the same words is not a quota refusal.
pub fn parse_quota_message(message: &str) -> Option<(u64, &'static str)> {
    const MARK: &str = "you can only make ";
    let lower = message.trim().trim_end_matches(['.', '!']).trim_end().to_ascii_lowercase();
    let rest = lower.strip_prefix(MARK)?;
    let digits_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let limit = rest[..digits_len].parse().ok()?;
    let tail = rest[digits_len..].strip_prefix(' ')?.strip_prefix("requests per ")?;
    match tail {
        "day" => Some((limit, "day")),
        "hour" => Some((limit, "hour")),
        _ => None,
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
    fn a_member_sent_twice_is_never_success_and_a_null_member_is_present() {
        let twice = br#"{"error": true, "error": false, "code": 200, "result": {"cardId": "a"}}"#;
        let e = interpret_raw(200, twice).expect_err("the last error must not win");
        assert_eq!(e.status, Status::Protocol, "{}", e.message);
        let null_code = br#"{"error": false, "code": null, "result": 1}"#;
        let e = interpret_raw(200, null_code).expect_err("no code, no verdict");
        assert!(e.message.contains("lacks its code"), "{}", e.message);
        let escaped_key = br#"{"err\u006fr": false, "code": 200, "result": [1]}"#;
        assert_eq!(interpret_raw(200, escaped_key).expect("an escaped key is the same key").get(), "[1]");
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
    fn success_needs_both_halves_of_the_verdict() {
        for doc in [
            json!({"result": 1, "code": 200}),
            json!({"result": 1, "error": false}),
            json!({"result": 1, "code": "200abc", "error": false}),
            json!({"result": 1, "code": 200, "error": "false"}),
        ] {
            let e = interpret(200, &body(doc.clone())).unwrap_err();
            assert_eq!(e.status, Status::Protocol, "{doc}");
        }
        let e = interpret(404, &body(json!({"message": "no card", "code": 404}))).unwrap_err();
        assert_eq!(e.status, Status::NotFound, "a failure code alone is a verdict");
        let e = interpret(200, &body(json!({"message": "bad", "error": true}))).unwrap_err();
        assert_eq!(e.status, Status::Api, "so is the error flag alone");
    }

    #[test]
    fn conflict_lists_the_cards() {
        let msg = "Provided value (+79990001122) of field (%PHONE%) is duplicated. Duplicated cards: 5f0c1a2b3c4d5e6f7a8b9c0d 5f0c1a2b3c4d5e6f7a8b9c0e";
        let e = interpret(409, &body(json!({"result": null, "message": msg, "code": 409, "error": true})))
            .unwrap_err();
        assert_eq!(e.status, Status::Conflict);
        assert_eq!(e.message, msg);
        assert_eq!(e.card_ids(), vec!["5f0c1a2b3c4d5e6f7a8b9c0d", "5f0c1a2b3c4d5e6f7a8b9c0e"]);
        assert!(!e.retryable());
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
        assert_eq!((e.status, e.retryable(), e.http_status), (Status::Transport, true, Some(502)));
        assert_eq!(interpret(200, b"").unwrap_err().status, Status::Protocol);
        assert_eq!(interpret(200, b"[1,2]").unwrap_err().status, Status::Protocol);
        assert_eq!(interpret(200, b"{\"ok\": 1}").unwrap_err().status, Status::Protocol);
        assert_eq!(interpret(401, b"Unauthorized").unwrap_err().status, Status::Auth);
    }
}
