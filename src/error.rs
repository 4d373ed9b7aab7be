//! Status codes and the error value every layer returns.
//!
//! The numbers of [`Status`] are part of the C ABI: they never change meaning. The error object that
//! crosses the FFI (`{"status", "name", "message", "http_status", "api_code", "retryable", "details"}`)
//! is [`Error::to_json`]; its field names are a contract too.

use serde_json::{json, Map, Value};
use std::fmt;

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
    Internal = 99,
}

impl Status {
    /// Every status, in numeric order (tests and bindings walk it).
    pub const ALL: [Status; 13] = [
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
    /// Whether repeating the same call later may succeed.
    pub retryable: bool,
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
            retryable: matches!(status, Status::Transport | Status::Timeout),
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

    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(Status::Internal, message)
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
            "retryable": self.retryable,
            "details": Value::Object(self.details.clone()),
        });
        let obj = doc.as_object_mut().expect("literal object");
        if let Some(Outcome::Unknown) = self.outcome {
            obj.insert("outcome".into(), Value::from("unknown"));
        }
        if let Some(ms) = self.retry_after_ms {
            obj.insert("retry_after_ms".into(), Value::from(ms));
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
