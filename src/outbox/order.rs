//! Which calls the outbox may hold, whose customer each one concerns, and how consecutive updates merge.
//!
//! The customer key orders the replay: entries with the same key replay in the order they were queued,
//! and a new call whose key still has queued entries goes behind them. The key is the identity the caller
//! used (`card:<cardId>`, `code:<cardCode>`, `uniq:<templateId>:<value>`): a till that names one customer
//! in two ways (by cardId here, by phone there) gets two independent queues.

use crate::error::{Error, Outcome, Status};
use crate::methods::Method;
use crate::request::variable_key;
use serde_json::{Map, Value};

/// When a failed call of an operation may be stored instead of failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queueing {
    /// Never (reads, createproduct, a createcard without a unique variable).
    Never,
    /// After any failure that says "not now" (transport, timeout, 5xx, rate limit, breaker open):
    /// resending it is harmless (absolute updates) or guarded by a look-up (issuecard).
    Unreachable,
    /// Only when the request certainly did not leave (distribute, sendpush: not idempotent, no look-up).
    NotSent,
}

/// What the outbox needs to know about one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub queueing: Queueing,
    /// The customer (or sale, product) the call concerns; `None` = no order to keep.
    pub key: Option<String>,
}

/// The unique variable a createcard / issuecard is identified by: the one named in `uniqueVariable`,
/// else `%PHONE%` when present. (A createcard without one cannot be made exactly-once, so it never queues.)
pub fn unique_value(params: &Map<String, Value>, values_key: &str) -> Option<(String, String)> {
    let values = params.get(values_key)?.as_object()?;
    let named = params.get("uniqueVariable").and_then(Value::as_str).and_then(variable_key);
    let wanted = named.unwrap_or_else(|| "%PHONE%".to_owned());
    let value = values.iter().find(|(k, _)| variable_key(k).as_deref() == Some(wanted.as_str()))?.1;
    let text = scalar_text(value)?;
    (!text.trim().is_empty()).then(|| (wanted, text.trim().to_owned()))
}

/// A scalar as the text Passteam stores (`5` and `"5"` are the same value).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn text(params: &Map<String, Value>, key: &str) -> Option<String> {
    params.get(key).and_then(scalar_text).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The customer key of a card identified by cardId, cardCode, or templateId + a unique value in `values_key`.
pub fn card_key(params: &Map<String, Value>, values_key: &str) -> Option<String> {
    if let Some(id) = text(params, "cardId") {
        return Some(format!("card:{id}"));
    }
    if let Some(code) = text(params, "cardCode") {
        return Some(format!("code:{code}"));
    }
    let template = text(params, "templateId")?;
    let (_, value) = unique_value(params, values_key)?;
    Some(format!("uniq:{template}:{value}"))
}

/// The outbox policy of a call.
pub fn policy(method: &Method, params: &Map<String, Value>) -> Policy {
    let never = Policy { queueing: Queueing::Never, key: None };
    let by_id = |prefix: &str| text(params, "id").map(|id| format!("{prefix}:{id}"));
    match method.name {
        "updatecard" | "deletecard" => {
            Policy { queueing: Queueing::Unreachable, key: card_key(params, "values") }
        }
        "updatecards" | "issuecard" => {
            Policy { queueing: Queueing::Unreachable, key: card_key(params, "values") }
        }
        "updateclient" => Policy { queueing: Queueing::Unreachable, key: card_key(params, "find") },
        "createcard" => match (text(params, "templateId"), unique_value(params, "values")) {
            // The same key as an issuecard of that customer, so later updateclient calls wait for it.
            (Some(template), Some((_, value))) => {
                Policy { queueing: Queueing::Unreachable, key: Some(format!("uniq:{template}:{value}")) }
            }
            _ => never,
        },
        "updatesale" | "deletesale" => Policy { queueing: Queueing::Unreachable, key: by_id("sale") },
        "updateproduct" | "deleteproduct" => {
            Policy { queueing: Queueing::Unreachable, key: by_id("product") }
        }
        "distribute" => Policy { queueing: Queueing::NotSent, key: card_key(params, "values") },
        "sendpush" => Policy { queueing: Queueing::NotSent, key: None },
        _ => never,
    }
}

/// Whether an error means "Passteam cannot be reached now" (and says nothing about the call itself).
pub fn unreachable(error: &Error) -> bool {
    match error.status {
        Status::Transport | Status::Timeout | Status::RateLimited => true,
        Status::Api => error.http_status.is_some_and(|s| s >= 500),
        _ => false,
    }
}

/// Whether a transport failure counts against the circuit breaker (the network, not the server's word).
pub fn network_failure(error: &Error) -> bool {
    matches!(error.status, Status::Transport | Status::Timeout) && error.http_status.is_none_or(|s| s >= 500)
}

/// Whether a failed call of this policy is stored in the outbox.
pub fn should_queue(policy: &Policy, error: &Error) -> bool {
    match policy.queueing {
        Queueing::Never => false,
        Queueing::Unreachable => unreachable(error),
        // No reply at all and no "may have been applied": the request did not leave (or a 429/budget refused it).
        Queueing::NotSent => {
            error.outcome != Some(Outcome::Unknown)
                && match error.status {
                    Status::RateLimited => true,
                    Status::Transport | Status::Timeout => error.http_status.is_none(),
                    _ => false,
                }
        }
    }
}

/// Operations whose queued entries merge: they set absolute values, so the last value of each field wins.
const MERGEABLE: &[&str] = &["updatecard", "updateclient", "updatecards", "updatesale", "updateproduct"];

/// Merges a new call into the newest queued entry of the same customer, when both are the same absolute
/// update of the same target: `values` merge variable by variable (the newer wins), other fields are replaced.
/// `None` when they do not merge (the new call is queued behind).
pub fn coalesce(
    queued_method: &str,
    queued: &Map<String, Value>,
    method: &str,
    params: &Map<String, Value>,
) -> Option<Map<String, Value>> {
    if queued_method != method || !MERGEABLE.contains(&method) {
        return None;
    }
    // The same target: every lookup field must agree (the key already says "same customer").
    for field in ["cardId", "cardCode", "templateId", "id", "find", "uniqueVariable"] {
        if queued.get(field) != params.get(field) {
            return None;
        }
    }
    let mut merged = queued.clone();
    for (key, value) in params {
        match (key.as_str(), merged.get_mut(key), value) {
            ("values", Some(Value::Object(old)), Value::Object(new)) => merge_values(old, new),
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    Some(merged)
}

/// Variable by variable, names normalised to `%NAME%` so that `BONUS` and `%BONUS%` are one variable.
pub fn merge_values(old: &mut Map<String, Value>, new: &Map<String, Value>) {
    for (name, value) in new {
        let key = variable_key(name).unwrap_or_else(|| name.clone());
        old.retain(|k, _| variable_key(k).as_deref() != Some(key.as_str()));
        old.insert(key, value.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::find;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn reads_never_queue_and_updates_do() {
        for name in ["getcard", "gettemplate", "getcards", "listproducts", "createproduct", "getsale"] {
            assert_eq!(
                policy(find(name).unwrap(), &obj(json!({"cardId": "c"}))).queueing,
                Queueing::Never,
                "{name}"
            );
        }
        for name in ["updatecard", "deletecard", "updatecards", "issuecard", "updateclient", "updatesale"] {
            assert_eq!(
                policy(find(name).unwrap(), &obj(json!({"cardId": "c", "id": "s"}))).queueing,
                Queueing::Unreachable,
                "{name}"
            );
        }
        assert_eq!(policy(find("distribute").unwrap(), &obj(json!({}))).queueing, Queueing::NotSent);
    }

    #[test]
    fn createcard_queues_only_with_a_unique_variable() {
        let m = find("createcard").unwrap();
        assert_eq!(
            policy(m, &obj(json!({"templateId": "t", "values": {"NAME": "x"}}))).queueing,
            Queueing::Never
        );
        let p = policy(m, &obj(json!({"templateId": "t", "values": {"PHONE": "+7916"}})));
        assert_eq!(p, Policy { queueing: Queueing::Unreachable, key: Some("uniq:t:+7916".into()) });
        let issue = policy(
            find("issuecard").unwrap(),
            &obj(json!({"templateId": "t", "values": {"%PHONE%": "+7916"}})),
        );
        assert_eq!(issue.key, p.key, "an issuecard and a createcard of one customer share a queue");
        let named = obj(
            json!({"templateId": "t", "uniqueVariable": "CODE", "values": {"CODE": "G1", "PHONE": "+7"}}),
        );
        assert_eq!(policy(m, &named).key.as_deref(), Some("uniq:t:G1"));
    }

    #[test]
    fn what_is_queued_after_which_failure() {
        let unreachable = Policy { queueing: Queueing::Unreachable, key: None };
        let not_sent = Policy { queueing: Queueing::NotSent, key: None };
        let transport = Error::new(Status::Transport, "down");
        let mut maybe = Error::new(Status::Timeout, "slow");
        maybe.outcome = Some(Outcome::Unknown);
        let mut five = Error::new(Status::Api, "500");
        five.http_status = Some(500);
        let mut four = Error::new(Status::Api, "400");
        four.http_status = Some(400);
        assert!(should_queue(&unreachable, &transport));
        assert!(should_queue(&unreachable, &maybe));
        assert!(should_queue(&unreachable, &five));
        assert!(!should_queue(&unreachable, &four));
        assert!(!should_queue(&unreachable, &Error::new(Status::Conflict, "dup")));
        assert!(!should_queue(&unreachable, &Error::validation("cardId", "missing")));
        assert!(should_queue(&not_sent, &transport));
        assert!(!should_queue(&not_sent, &maybe), "a distribute that may have left is never queued");
        assert!(!should_queue(&not_sent, &five));
    }

    #[test]
    fn consecutive_updates_merge_the_last_value_winning() {
        let a = obj(json!({"cardId": "c", "values": {"BONUS": 1, "%LEVEL%": "Gold"}}));
        let b = obj(json!({"cardId": "c", "values": {"%BONUS%": 2}}));
        let merged = coalesce("updatecard", &a, "updatecard", &b).unwrap();
        assert_eq!(
            Value::Object(merged),
            json!({"cardId": "c", "values": {"%BONUS%": 2, "%LEVEL%": "Gold"}})
        );
        let other = obj(json!({"cardId": "d", "values": {"BONUS": 3}}));
        assert!(coalesce("updatecard", &a, "updatecard", &other).is_none());
        assert!(coalesce("deletecard", &a, "deletecard", &a).is_none());
        assert!(coalesce("updatecard", &a, "updateclient", &b).is_none());
    }
}
