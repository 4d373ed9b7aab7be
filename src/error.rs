//! Status codes and the error value every layer returns.
//!
//! The numbers of [`Status`] are part of the C ABI: they never change meaning. The error object that
//! crosses the FFI (`{"status", "name", "message", "http_status", "api_code", "retryable", "details"}`)
//! is [`Error::to_json`]; its field names are a contract too.

use serde_json::{json, Map, Value};
use std::fmt;

/// The JSON key of a queued call's entry id.
const OUTBOX_ID: &str = "outbox_id";

/// The outcome of a call, as one stable integer. `Ok` is never carried by an [`Error`].
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Ok = 0,
    InvalidArgument = 1,
    InvalidJson = 2,
    Validation = 3,
    Transport = 4,
    Timeout = 5,
    Auth = 6,
    NotFound = 7,
    Conflict = 8,
    RateLimited = 9,
    Api = 10,
    Protocol = 11,
    /// Not an error: a mutating call that could not be delivered now was stored in the outbox (issue 12).
    Queued = 12,
    Internal = 99,
}

impl Status {
    /// Every status, in numeric order (tests and bindings walk it).
    pub const ALL: [Status; 14] = [
        Status::Ok,
        Status::InvalidArgument,
        Status::InvalidJson,
        Status::Validation,
        Status::Transport,
        Status::Timeout,
        Status::Auth,
        Status::NotFound,
        Status::Conflict,
        Status::RateLimited,
        Status::Api,
        Status::Protocol,
        Status::Queued,
        Status::Internal,
    ];

    /// The integer the C ABI uses.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The status for an integer, or `None` for a number the ABI does not define.
    pub fn from_code(code: i32) -> Option<Status> {
        Status::ALL.iter().copied().find(|s| s.code() == code)
    }

    /// The C constant's name, e.g. `PASSTEAM_ERR_CONFLICT`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "PASSTEAM_OK",
            Status::InvalidArgument => "PASSTEAM_ERR_INVALID_ARGUMENT",
            Status::InvalidJson => "PASSTEAM_ERR_INVALID_JSON",
            Status::Validation => "PASSTEAM_ERR_VALIDATION",
            Status::Transport => "PASSTEAM_ERR_TRANSPORT",
            Status::Timeout => "PASSTEAM_ERR_TIMEOUT",
            Status::Auth => "PASSTEAM_ERR_AUTH",
            Status::NotFound => "PASSTEAM_ERR_NOT_FOUND",
            Status::Conflict => "PASSTEAM_ERR_CONFLICT",
            Status::RateLimited => "PASSTEAM_ERR_RATE_LIMITED",
            Status::Api => "PASSTEAM_ERR_API",
            Status::Protocol => "PASSTEAM_ERR_PROTOCOL",
            Status::Queued => "PASSTEAM_QUEUED",
            Status::Internal => "PASSTEAM_ERR_INTERNAL",
        }
    }
}

/// Whether a failed request may have changed state on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The request may have reached the server and been applied; the reply was lost.
    /// A non-idempotent operation in this state is never resent automatically.
    Unknown,
}

/// A failed call: a stable [`Status`], a message for people, and what the server said, if anything.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub status: Status,
    pub message: String,
    /// The HTTP status of the reply; `None` when no reply came.
    pub http_status: Option<u16>,
    /// The envelope's `code`; `None` when no envelope came.
    pub api_code: Option<i64>,
    /// The TLS handshake was refused (a certificate this client does not trust, expired, issued for
    /// another name, or no protocol in common): nothing was sent, and the same request meets the same
    /// refusal until the configuration changes. A fact, read by [`Error::retryable`]; not in the error
    /// object.
    pub tls_refused: bool,
    /// Structured facts: `cardIds` for a conflict, the `field` for validation, `method`, `attempts`.
    pub details: Map<String, Value>,
    /// Set when the request may have been applied although the call failed.
    pub outcome: Option<Outcome>,
    /// For rate limiting: how long to wait before the budget allows another request.
    pub retry_after_ms: Option<u64>,
    /// For a quota refusal by the server: what its message said, as a typed value (the client pauses on
    /// it; `details` carries the same facts for hosts). Not part of the error object.
    pub quota_refusal: Option<crate::quota::Refusal>,
}

/// The result type of every fallible operation in this crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error with no reply behind it.
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        Error {
            status,
            message: message.into(),
            http_status: None,
            api_code: None,
            tls_refused: false,
            details: Map::new(),
            outcome: None,
            retry_after_ms: None,
            quota_refusal: None,
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(Status::InvalidArgument, message)
    }

    pub fn invalid_json(message: impl Into<String>) -> Error {
        Error::new(Status::InvalidJson, message)
    }

    /// A parameter check failed; `field` names the parameter for programs that want to show it.
    pub fn validation(field: &str, message: impl Into<String>) -> Error {
        Error::new(Status::Validation, message).with_detail("field", Value::from(field))
    }

    /// Whether the call was stored in the outbox rather than failed (status `PASSTEAM_QUEUED`).
    pub fn is_queued(&self) -> bool {
        self.status == Status::Queued
    }

    /// For a queued call: the outbox entry that holds it (`"outbox_id"` at the top level of the JSON).
    pub fn outbox_id(&self) -> Option<i64> {
        self.details.get(OUTBOX_ID).and_then(Value::as_i64).filter(|_| self.is_queued())
    }

    /// The `Queued` status for the entry `id`, whose `details` are the error object of `cause`. (The id is
    /// kept in `details` rather than in a field of its own: one more field would make every `Result` of
    /// this crate larger than clippy's 128-byte limit for an error.)
    pub fn queued_as(id: i64, message: impl Into<String>, cause: &Error) -> Error {
        let mut queued = Error::new(Status::Queued, message);
        if let Value::Object(details) = cause.to_json() {
            queued.details = details;
        }
        queued.details.insert(OUTBOX_ID.into(), Value::from(id));
        queued
    }

    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(Status::Internal, message)
    }

    /// Whether repeating the same call later may succeed: the `"retryable"` of the error object, derived
    /// from the other facts by [`crate::retry::is_retryable`] (the one place that decides it).
    pub fn retryable(&self) -> bool {
        crate::retry::is_retryable(self)
    }

    /// Adds one entry to `details`.
    pub fn with_detail(mut self, key: &str, value: Value) -> Error {
        self.details.insert(key.to_owned(), value);
        self
    }

    /// The duplicated card ids of a conflict (empty for other errors).
    pub fn card_ids(&self) -> Vec<String> {
        match self.details.get("cardIds") {
            Some(Value::Array(ids)) => ids.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        }
    }

    /// The error object that crosses the FFI and that every binding parses.
    pub fn to_json(&self) -> Value {
        let mut doc = json!({
            "status": self.status.code(),
            "name": self.status.name(),
            "message": self.message,
            "http_status": self.http_status,
            "api_code": self.api_code,
            "retryable": self.retryable(),
            "details": Value::Object(self.details.clone()),
        });
        let obj = doc.as_object_mut().expect("literal object");
        if let Some(Outcome::Unknown) = self.outcome {
            obj.insert("outcome".into(), Value::from("unknown"));
        }
        if let Some(ms) = self.retry_after_ms {
            obj.insert("retry_after_ms".into(), Value::from(ms));
        }
        // A queued call's entry id travels in `details` (see `queued_as`) and sits at the top level in the JSON.
        if let (Status::Queued, Some(Value::Object(details))) = (self.status, obj.get_mut("details")) {
            if let Some(id) = details.remove(OUTBOX_ID) {
                obj.insert(OUTBOX_ID.into(), id);
            }
        }
        doc
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status.name(), self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_numbers_are_the_abi() {
        let pairs: Vec<(i32, &str)> = Status::ALL.iter().map(|s| (s.code(), s.name())).collect();
        assert_eq!(
            pairs,
            vec![
                (0, "PASSTEAM_OK"),
                (1, "PASSTEAM_ERR_INVALID_ARGUMENT"),
                (2, "PASSTEAM_ERR_INVALID_JSON"),
                (3, "PASSTEAM_ERR_VALIDATION"),
                (4, "PASSTEAM_ERR_TRANSPORT"),
                (5, "PASSTEAM_ERR_TIMEOUT"),
                (6, "PASSTEAM_ERR_AUTH"),
                (7, "PASSTEAM_ERR_NOT_FOUND"),
                (8, "PASSTEAM_ERR_CONFLICT"),
                (9, "PASSTEAM_ERR_RATE_LIMITED"),
                (10, "PASSTEAM_ERR_API"),
                (11, "PASSTEAM_ERR_PROTOCOL"),
                (12, "PASSTEAM_QUEUED"),
                (99, "PASSTEAM_ERR_INTERNAL"),
            ]
        );
        assert_eq!(Status::from_code(42), None);
        assert_eq!(Status::from_code(8), Some(Status::Conflict));
    }

    #[test]
    fn error_object_has_the_contract_fields() {
        let mut e = Error::new(Status::Conflict, "dup").with_detail("cardIds", json!(["a", "b"]));
        e.http_status = Some(409);
        e.api_code = Some(409);
        let doc = e.to_json();
        assert_eq!(doc["status"], 8);
        assert_eq!(doc["name"], "PASSTEAM_ERR_CONFLICT");
        assert_eq!(doc["http_status"], 409);
        assert_eq!(doc["api_code"], 409);
        assert_eq!(doc["retryable"], false);
        assert_eq!(doc["details"]["cardIds"], json!(["a", "b"]));
        assert!(doc.get("outcome").is_none());
        assert_eq!(e.card_ids(), vec!["a", "b"]);
        let t = Error::new(Status::Timeout, "slow").to_json();
        assert_eq!(t["http_status"], Value::Null);
        assert_eq!(t["retryable"], true);
    }
}
