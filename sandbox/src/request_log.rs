//! The log of API requests received (`GET /_sandbox/requests`), bounded.

use std::collections::{BTreeMap, VecDeque};

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

/// The log holds at most this many bytes of recorded field names and values (the oldest entries go first).
pub const MAX_LOGGED_BYTES: usize = 64 * 1024 * 1024;
/// One entry records at most this many bytes of fields; a longer value is cut and says how much is missing.
pub const MAX_ENTRY_BYTES: usize = 1024 * 1024;

/// The request log, bounded in entries and in bytes: it holds what clients sent, and 100 000 requests of
/// 32 MB each would otherwise stay in memory.
#[derive(Default)]
pub(crate) struct RequestLog {
    entries: VecDeque<RecordedRequest>,
    /// Field bytes held by `entries`.
    bytes: usize,
}

fn field_bytes(e: &RecordedRequest) -> usize {
    e.fields.iter().map(|(k, v)| k.len() + v.len()).sum()
}

/// The first `max` bytes of `s`, cut at a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The fields as recorded: at most [`MAX_ENTRY_BYTES`], cut values marked `…[N bytes not recorded]`, and
/// fields past the budget replaced by one `…` field that counts them.
pub(crate) fn recorded_fields<'a>(
    flat: impl Iterator<Item = &'a (String, String)>,
) -> BTreeMap<String, String> {
    let all: BTreeMap<&str, &str> = flat.map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut out = BTreeMap::new();
    let mut left = MAX_ENTRY_BYTES;
    let mut skipped = 0usize;
    for (k, v) in all {
        if skipped > 0 || k.len() > left {
            skipped += 1;
            continue;
        }
        left -= k.len();
        let value = if v.len() <= left {
            v.to_string()
        } else {
            let kept = prefix(v, left);
            format!("{kept}…[{} bytes not recorded]", v.len() - kept.len())
        };
        left = left.saturating_sub(value.len());
        out.insert(k.to_string(), value);
    }
    if skipped > 0 {
        out.insert("…".to_string(), format!("{skipped} more fields not recorded"));
    }
    out
}

impl RequestLog {
    /// Appends an entry, first dropping the oldest ones while the log is full (in entries or bytes).
    pub fn record(&mut self, entry: RecordedRequest) {
        let size = field_bytes(&entry);
        while !self.entries.is_empty()
            && (self.entries.len() >= MAX_LOGGED_REQUESTS || self.bytes + size > MAX_LOGGED_BYTES)
        {
            if let Some(old) = self.entries.pop_front() {
                self.bytes -= field_bytes(&old);
            }
        }
        self.bytes += size;
        self.entries.push_back(entry);
    }

    /// Notes the status sent for request `seq` (if it is still in the log).
    pub fn set_status(&mut self, seq: u64, status: u16) {
        if let Some(entry) = self.entries.iter_mut().rev().find(|e| e.seq == seq) {
            entry.status = Some(status);
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &VecDeque<RecordedRequest> {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_value_is_cut_at_a_character_boundary_and_says_so() {
        let long = "я".repeat(MAX_ENTRY_BYTES); // 2 bytes a character: twice the budget
        let flat = [("k".to_string(), long.clone()), ("z".to_string(), "v".to_string())];
        let rec = recorded_fields(flat.iter());
        let kept = &rec["k"];
        assert!(kept.ends_with(&format!("…[{} bytes not recorded]", long.len() - (MAX_ENTRY_BYTES - 2))));
        assert!(kept.starts_with("яя"));
        assert_eq!(rec["…"], "1 more fields not recorded");
        let total: usize = rec.iter().map(|(k, v)| k.len() + v.len()).sum();
        assert!(total < MAX_ENTRY_BYTES + 100, "{total}");
    }
}
