//! Fault injection: what a fault is, which requests it hits, and the reply of a `status` fault. Applying a fault to a request (sleeping, dropping, processing first) is the handler's job.

use serde::Serialize;
use serde_json::Value;

use crate::envelope::{duplicated, envelope_err};
use crate::form::Params;
use crate::http::{self, Reply};
use crate::quota;
use crate::routes::Route;
use crate::state;

/// What a fault does to a matching request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// Sleep `delay_ms`, then handle normally.
    Delay,
    /// Close the TCP connection without any reply.
    Drop,
    /// HTTP 200 with a non-JSON body.
    Garbage,
    /// Reply with `status` (HTML body for 502/503/504, the API envelope otherwise).
    Status,
}

impl FaultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Delay => "delay",
            FaultKind::Drop => "drop",
            FaultKind::Garbage => "garbage",
            FaultKind::Status => "status",
        }
    }

    pub fn parse(s: &str) -> Option<FaultKind> {
        match s.to_ascii_lowercase().as_str() {
            "delay" => Some(FaultKind::Delay),
            "drop" => Some(FaultKind::Drop),
            "garbage" => Some(FaultKind::Garbage),
            "status" => Some(FaultKind::Status),
            _ => None,
        }
    }
}

/// A queued fault. Faults are consumed in order by the API requests they match.
#[derive(Clone, Debug, Serialize)]
pub struct Fault {
    /// `*`, an oapi method name (case-insensitive), or a REST path such as `/oapi/v1/sale` (or `sale`).
    pub method: String,
    pub kind: FaultKind,
    /// For `Status`. Default 502.
    pub status: u16,
    /// For `Delay`. Default 300.
    pub delay_ms: u64,
    /// How many matching requests it hits; 0 = all of them until cleared. Default 1.
    pub times: u32,
    /// Process the request first (state changes happen), then replace the reply.
    pub after_processing: bool,
    /// Override of the envelope message (`Status`).
    pub message: Option<String>,
    /// Override of the raw body (`Status`, `Garbage`).
    pub body: Option<String>,
}

impl Fault {
    pub fn new(method: &str, kind: FaultKind) -> Fault {
        Fault {
            method: method.to_string(),
            kind,
            status: 502,
            delay_ms: 300,
            times: 1,
            after_processing: false,
            message: None,
            body: None,
        }
    }
    pub fn drop(method: &str) -> Fault {
        Fault::new(method, FaultKind::Drop)
    }
    pub fn garbage(method: &str) -> Fault {
        Fault::new(method, FaultKind::Garbage)
    }
    pub fn status(method: &str, status: u16) -> Fault {
        let mut f = Fault::new(method, FaultKind::Status);
        f.status = status;
        f
    }
    pub fn delay(method: &str, delay_ms: u64) -> Fault {
        let mut f = Fault::new(method, FaultKind::Delay);
        f.delay_ms = delay_ms;
        f
    }
    pub fn times(mut self, times: u32) -> Fault {
        self.times = times;
        self
    }
    pub fn after_processing(mut self) -> Fault {
        self.after_processing = true;
        self
    }

    /// Whether this fault hits a request for `method` (the name in the request log) on `route`.
    pub(crate) fn matches(&self, method: &str, route: &Route) -> bool {
        let m = self.method.trim().to_ascii_lowercase();
        let m = m.trim_end_matches('/');
        m.is_empty()
            || m == "*"
            || m == method
            || match route {
                Route::Rest(op) => m == op,
                _ => false,
            }
    }
}

/// The reply of a `status` fault: an HTML page for 502/503/504 (like a real proxy), else the envelope.
/// `quota_per_hour` words a 429 like the real quota refusal.
pub(crate) fn status_reply(f: &Fault, quota_per_hour: Option<u64>, p: &Params) -> Reply {
    let status = f.status;
    if let Some(b) = f.body.as_deref() {
        let ct = if b.trim_start().starts_with('{') || b.trim_start().starts_with('[') {
            "application/json; charset=utf-8"
        } else {
            "text/html; charset=utf-8"
        };
        return Reply { status, content_type: ct, body: b.as_bytes().to_vec() };
    }
    if let Some(m) = f.message.as_deref() {
        return envelope_err(status, m);
    }
    match status {
        502..=504 => {
            let reason = http::reason(status);
            Reply::html(
                status,
                format!(
                    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
                ),
            )
        }
        401 => envelope_err(401, "Unauthorized"),
        409 => {
            let (name, value) =
                match p.nested.get("values").and_then(Value::as_object).and_then(|m| m.iter().next()) {
                    Some((k, v)) => (k.clone(), v.as_str().unwrap_or("").to_string()),
                    None => ("%PHONE%".to_string(), "+79000000000".to_string()),
                };
            duplicated(&value, &name, &[state::new_id()]).into_reply()
        }
        429 => envelope_err(429, &quota::message(quota_per_hour.unwrap_or(30000))),
        _ => envelope_err(status, http::reason(status)),
    }
}
