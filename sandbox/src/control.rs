//! The control interface: JSON over HTTP under `/_sandbox/`, no auth. Used by the tests of every language.

use serde_json::{json, Value};

use crate::faults::{Fault, FaultKind};
use crate::http::{Reply, Request};
use crate::quota::Quota;
use crate::shared::Shared;
use crate::{COMPANY_ID, SEED_PRODUCT_ID, SEED_SALE_ID, TEMPLATE_GIFT, TEMPLATE_LOYALTY};

fn ok(v: Value) -> Reply {
    Reply::json(200, v.to_string())
}

fn err(status: u16, msg: &str) -> Reply {
    Reply::json(status, json!({ "error": msg }).to_string())
}

fn body_json(req: &Request) -> Result<Value, String> {
    if req.body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&req.body).map_err(|e| format!("body is not JSON: {e}"))
}

pub fn fault_from_json(v: &Value) -> Result<Fault, String> {
    let o = v.as_object().ok_or("a fault is a JSON object")?;
    let kind_s =
        o.get("kind").and_then(Value::as_str).ok_or("\"kind\" is required: delay|drop|garbage|status")?;
    let kind = FaultKind::parse(kind_s)
        .ok_or_else(|| format!("unknown kind ({kind_s}): delay|drop|garbage|status"))?;
    let method = match o.get("method") {
        None | Some(Value::Null) => "*".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("\"method\" must be a string".into()),
    };
    let mut f = Fault::new(&method, kind);
    if let Some(s) = o.get("status").filter(|v| !v.is_null()) {
        let n = s
            .as_u64()
            .filter(|n| (100..=599).contains(n))
            .ok_or("\"status\" must be an HTTP status (100-599)")?;
        f.status = n as u16;
    }
    if let Some(d) = o.get("delay_ms").filter(|v| !v.is_null()) {
        f.delay_ms = d.as_u64().ok_or("\"delay_ms\" must be a non-negative integer")?;
    }
    if let Some(t) = o.get("times").filter(|v| !v.is_null()) {
        f.times = t
            .as_u64()
            .and_then(|t| u32::try_from(t).ok())
            .ok_or("\"times\" must be a non-negative integer")?;
    }
    if let Some(a) = o.get("after_processing").filter(|v| !v.is_null()) {
        f.after_processing = a.as_bool().ok_or("\"after_processing\" must be a boolean")?;
    }
    f.message = o.get("message").and_then(Value::as_str).map(String::from);
    f.body = o.get("body").and_then(Value::as_str).map(String::from);
    Ok(f)
}

pub fn handle(shared: &Shared, req: &Request) -> Reply {
    if let Some(reply) = crate::webhooks::control(shared, req) {
        return reply;
    }
    let path = req.path.trim_end_matches('/');
    let verb = req.verb.to_ascii_uppercase();
    match (verb.as_str(), path) {
        ("POST", "/_sandbox/faults") => {
            let v = match body_json(req) {
                Ok(v) => v,
                Err(e) => return err(400, &e),
            };
            let items = match &v {
                Value::Array(a) => a.clone(),
                Value::Object(_) => vec![v.clone()],
                _ => return err(400, "send a fault object or an array of them"),
            };
            let mut faults = Vec::new();
            for it in &items {
                match fault_from_json(it) {
                    Ok(f) => faults.push(f),
                    Err(e) => return err(400, &e),
                }
            }
            let mut core = shared.lock();
            match core.faults.push_all(faults) {
                Ok(()) => ok(json!({ "ok": true, "queued": core.faults.len() })),
                Err(e) => err(400, &e),
            }
        }
        ("GET", "/_sandbox/faults") => {
            ok(serde_json::to_value(shared.lock().faults.items()).unwrap_or(Value::Null))
        }
        ("DELETE", "/_sandbox/faults") => {
            shared.lock().faults.clear();
            ok(json!({ "ok": true }))
        }
        ("GET", "/_sandbox/requests") => {
            ok(serde_json::to_value(shared.lock().log.entries()).unwrap_or(Value::Null))
        }
        ("DELETE", "/_sandbox/requests") => {
            shared.lock().log.clear();
            ok(json!({ "ok": true }))
        }
        ("POST", "/_sandbox/reset") => {
            shared.reset();
            ok(json!({ "ok": true }))
        }
        ("POST", "/_sandbox/quota") => {
            let v = match body_json(req) {
                Ok(v) => v,
                Err(e) => return err(400, &e),
            };
            let per_hour = match v.get("per_hour") {
                None | Some(Value::Null) => None,
                Some(n) => match n.as_u64() {
                    Some(n) => Some(n),
                    None => return err(400, "\"per_hour\" must be a non-negative integer or null"),
                },
            };
            let status = match v.get("status") {
                None | Some(Value::Null) => 429,
                Some(s) => match s.as_u64().filter(|n| (100..=599).contains(n)) {
                    Some(n) => n as u16,
                    None => return err(400, "\"status\" must be an HTTP status (100-599)"),
                },
            };
            shared.lock().quota = Quota::new(per_hour, status);
            ok(json!({ "per_hour": per_hour, "status": status }))
        }
        ("GET", "/_sandbox/quota") => {
            let core = shared.lock();
            ok(
                json!({ "per_hour": core.quota.per_hour, "status": core.quota.status, "used": core.quota.count }),
            )
        }
        ("GET", "/_sandbox/info") | ("GET", "/_sandbox") => ok(json!({
            "base_url": shared.base_url,
            "token": shared.config.token,
            "nickname": shared.config.nickname,
            "password": shared.config.password,
            "templates": { "loyalty": TEMPLATE_LOYALTY, "gift": TEMPLATE_GIFT },
            "company_id": COMPANY_ID,
            "sale_id": SEED_SALE_ID,
            "product_id": SEED_PRODUCT_ID,
        })),
        _ => err(404, &format!("unknown control endpoint: {verb} {path}")),
    }
}
