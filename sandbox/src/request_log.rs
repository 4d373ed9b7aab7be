//! The log of API requests received (`GET /_sandbox/requests`), bounded.

use std::collections::BTreeMap;

use serde::Serialize;

/// The request log keeps at most this many entries (the oldest go first); `seq` keeps counting.
pub const MAX_LOGGED_REQUESTS: usize = 100_000;

/// One API request as the sandbox received it (control requests are not recorded).
#[derive(Clone, Debug, Serialize)]
pub struct RecordedRequest {
    pub seq: u64,
    pub verb: String,
    /// The path without the query string.
    pub path: String,
    /// Lower-case oapi method name (`createcard`), or the lower-case path for REST operations and
    /// unknown paths (`/oapi/v1/sale`).
    pub method: String,
    /// `multipart`, `urlencoded`, `none` or `other`.
    pub content_type: String,
    pub auth_ok: bool,
    pub has_authorization: bool,
    /// Flat raw form keys -> raw values (query string included; the last value wins).
    pub fields: BTreeMap<String, String>,
    /// The HTTP status sent, `None` when the connection was dropped (or the reply is not sent yet).
    pub status: Option<u16>,
    /// The fault kind that hit this request.
    pub fault: Option<String>,
}

/// Appends an entry, first dropping the oldest tenth when the log is full: a sandbox left running under a
/// benchmark must not grow without bound.
pub(crate) fn record(log: &mut Vec<RecordedRequest>, entry: RecordedRequest) {
    if log.len() >= MAX_LOGGED_REQUESTS {
        log.drain(..MAX_LOGGED_REQUESTS / 10);
    }
    log.push(entry);
}

/// Notes the status sent for request `seq` (if it is still in the log).
pub(crate) fn set_status(log: &mut [RecordedRequest], seq: u64, status: u16) {
    if let Some(entry) = log.iter_mut().rev().find(|e| e.seq == seq) {
        entry.status = Some(status);
    }
}
