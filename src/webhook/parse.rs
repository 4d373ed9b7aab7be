//! Validation of a webhook body into the normalised event `{"webhookId", "event", "card"}`.
//!
//! Pure: no client, no I/O. The receiver, the C export `passteam_webhook_parse` and the CLI all call
//! [`parse`], so a payload is judged the same way everywhere.

use crate::error::{Error, Result, Status};
use serde_json::{json, Map, Value};

/// The events Passteam documents, in its own spelling (the normalised `event` is always one of these).
pub const EVENTS: [&str; 5] = ["createCard", "updateCard", "deleteCard", "installCard", "unInstallCard"];

/// A webhook id longer than this is refused: Passteam's are 24 hex digits, and the id is a store key.
pub const MAX_WEBHOOK_ID_CHARS: usize = 128;

/// One validated webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// Passteam's id of this delivery: the same on every repeat, so it is the deduplication key.
    pub webhook_id: String,
    /// One of [`EVENTS`].
    pub event: &'static str,
    /// The card as Passteam sent it (every field kept; `cardId` is checked to be a non-empty string).
    pub card: Map<String, Value>,
}

impl WebhookEvent {
    /// The card's id (checked by [`parse`] to be present).
    pub fn card_id(&self) -> &str {
        self.card.get("cardId").and_then(Value::as_str).unwrap_or_default()
    }

    /// The normalised event as JSON: `{"webhookId", "event", "card"}`.
    pub fn to_json(&self) -> Value {
        json!({"webhookId": self.webhook_id, "event": self.event, "card": self.card})
    }
}

/// Validates a webhook body (JSON text, as bytes straight off the wire).
///
/// Fails with [`Status::Protocol`] and a message that says what is wrong: not UTF-8, not JSON, not an
/// object, `webhookId` missing or not a usable id, `event` missing or unknown, `card` missing or not an
/// object, `card.cardId` missing. The event name is matched ignoring case (`uninstallcard` becomes
/// `unInstallCard`) because a receiver that drops an event over its capitalisation loses it for good.
pub fn parse(body: &[u8]) -> Result<WebhookEvent> {
    let text = std::str::from_utf8(body).map_err(|e| {
        protocol(format!("the webhook body is not UTF-8 text (bad byte at offset {})", e.valid_up_to()))
    })?;
    let value: Value =
        serde_json::from_str(text).map_err(|e| protocol(format!("the webhook body is not JSON: {e}")))?;
    from_value(value)
}

/// As [`parse`], for a body already parsed as JSON.
pub fn from_value(value: Value) -> Result<WebhookEvent> {
    let Value::Object(mut object) = value else {
        return Err(protocol("the webhook body must be a JSON object {\"webhookId\", \"event\", \"card\"}"));
    };
    let webhook_id = webhook_id(object.get("webhookId"))?;
    let event = event_name(object.get("event"))?;
    let card = match object.remove("card") {
        Some(Value::Object(card)) => card,
        Some(_) => return Err(protocol("\"card\" must be a JSON object (the card, as getcard returns it)")),
        None => return Err(protocol("\"card\" is missing")),
    };
    match card.get("cardId") {
        Some(Value::String(id)) if !id.trim().is_empty() => {}
        Some(_) => return Err(protocol("\"card.cardId\" must be a non-empty string")),
        None => return Err(protocol("\"card.cardId\" is missing")),
    }
    Ok(WebhookEvent { webhook_id, event, card })
}

fn webhook_id(value: Option<&Value>) -> Result<String> {
    let id = match value {
        Some(Value::String(id)) => id.trim(),
        Some(_) => return Err(protocol("\"webhookId\" must be a string")),
        None => return Err(protocol("\"webhookId\" is missing")),
    };
    if id.is_empty() {
        return Err(protocol("\"webhookId\" is empty"));
    }
    if id.chars().count() > MAX_WEBHOOK_ID_CHARS {
        return Err(protocol(format!("\"webhookId\" is longer than {MAX_WEBHOOK_ID_CHARS} characters")));
    }
    if id.chars().any(char::is_control) {
        return Err(protocol("\"webhookId\" contains control characters"));
    }
    Ok(id.to_owned())
}

fn event_name(value: Option<&Value>) -> Result<&'static str> {
    let name = match value {
        Some(Value::String(name)) => name.trim(),
        Some(_) => return Err(protocol("\"event\" must be a string")),
        None => return Err(protocol("\"event\" is missing")),
    };
    EVENTS.iter().copied().find(|known| known.eq_ignore_ascii_case(name)).ok_or_else(|| {
        let shown: String = name.chars().take(40).collect();
        protocol(format!("\"event\" {shown:?} is not one of {}", EVENTS.join(", ")))
    })
}

fn protocol(message: impl Into<String>) -> Error {
    Error::new(Status::Protocol, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"card": {"cardId": "5e451571cea6c6141807b792", "cardCode": "000000018",
        "values": {"%POINTS%": "1000"}, "installed": false}, "event": "createCard",
        "webhookId": "5e4515b1cea6c61fba2a4212"}"#;

    #[test]
    fn the_vendors_sample_is_normalised() {
        let event = parse(SAMPLE.as_bytes()).unwrap();
        assert_eq!(event.webhook_id, "5e4515b1cea6c61fba2a4212");
        assert_eq!(event.event, "createCard");
        assert_eq!(event.card_id(), "5e451571cea6c6141807b792");
        let json = event.to_json();
        assert_eq!(json["card"]["values"]["%POINTS%"], "1000");
        assert_eq!(json.as_object().unwrap().len(), 3);
    }

    #[test]
    fn event_names_are_matched_ignoring_case() {
        let body = SAMPLE.replace("createCard", "uninstallcard");
        assert_eq!(parse(body.as_bytes()).unwrap().event, "unInstallCard");
    }

    #[test]
    fn each_defect_is_named() {
        let cases: &[(&str, &str)] = &[
            ("", "not JSON"),
            ("[1]", "JSON object"),
            (r#"{"event": "createCard", "card": {"cardId": "x"}}"#, "webhookId\" is missing"),
            (
                r#"{"webhookId": 5, "event": "createCard", "card": {"cardId": "x"}}"#,
                "webhookId\" must be a string",
            ),
            (r#"{"webhookId": " ", "event": "createCard", "card": {"cardId": "x"}}"#, "webhookId\" is empty"),
            (r#"{"webhookId": "a", "card": {"cardId": "x"}}"#, "event\" is missing"),
            (r#"{"webhookId": "a", "event": "burnCard", "card": {"cardId": "x"}}"#, "is not one of"),
            (r#"{"webhookId": "a", "event": "createCard"}"#, "card\" is missing"),
            (r#"{"webhookId": "a", "event": "createCard", "card": [1]}"#, "must be a JSON object"),
            (r#"{"webhookId": "a", "event": "createCard", "card": {}}"#, "cardId\" is missing"),
            (r#"{"webhookId": "a", "event": "createCard", "card": {"cardId": 7}}"#, "non-empty string"),
        ];
        for (body, expected) in cases {
            let err = parse(body.as_bytes()).unwrap_err();
            assert_eq!(err.status, Status::Protocol, "{body}");
            assert!(err.message.contains(expected), "{body}: {}", err.message);
        }
        let err = parse(b"\xff{}").unwrap_err();
        assert!(err.message.contains("not UTF-8"), "{}", err.message);
        let long = format!(
            r#"{{"webhookId": "{}", "event": "createCard", "card": {{"cardId": "x"}}}}"#,
            "a".repeat(129)
        );
        assert!(parse(long.as_bytes()).unwrap_err().message.contains("longer than"));
    }
}
