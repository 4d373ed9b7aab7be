//! Last-known cards: with `stale_reads`, every card a getcard or issuecard returned is kept in the outbox
//! file, and a getcard that cannot reach Passteam answers it, with the queued updates applied and
//! `"stale": true`, `"as_of"` (RFC 3339) added.

use super::order::{self, card_key, merge_values, scalar_text};
use super::store::Store;
use crate::error::Result;
use serde_json::{Map, Value};

/// The keys a card can be asked for by: its cardId, its cardCode, its phone, and the lookup that found it.
pub fn keys_of(card: &Value, lookup: Option<String>) -> Vec<String> {
    let mut keys: Vec<String> = lookup.into_iter().collect();
    let field = |name: &str| card.get(name).and_then(scalar_text).filter(|s| !s.is_empty());
    if let Some(id) = field("cardId") {
        keys.push(format!("card:{id}"));
    }
    if let Some(code) = field("cardCode") {
        keys.push(format!("code:{code}"));
    }
    if let (Some(template), Some(values)) =
        (field("templateId"), card.get("values").and_then(Value::as_object))
    {
        let params: Map<String, Value> =
            [("values".to_owned(), Value::Object(values.clone()))].into_iter().collect();
        if let Some((_, phone)) = order::unique_value(&params, "values") {
            keys.push(format!("uniq:{template}:{phone}"));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Whether a successful call's result is worth remembering (it carries a card).
pub fn carries_card(method: &str) -> bool {
    matches!(method, "getcard" | "issuecard" | "updatecard" | "updateclient")
}

/// Remembers the card a getcard, issuecard, updatecard or updateclient returned,
/// so that the last-known card also shows the updates that went through.
pub fn remember(store: &Store, method: &str, params: &Map<String, Value>, result: &Value) -> Result<()> {
    let lookup_values = if method == "updateclient" { "find" } else { "values" };
    if !carries_card(method) {
        return Ok(());
    }
    // getcard answers the card; issuecard, updatecard and updateclient wrap it as `card`.
    let card =
        if result.get("cardId").is_some() { result } else { result.get("card").unwrap_or(&Value::Null) };
    if card.get("cardId").and_then(Value::as_str).is_none() {
        return Ok(()); // not a card (an older server's bare `true`, say)
    }
    store.remember_card(&keys_of(card, card_key(params, lookup_values)), card)
}

/// The last-known card for a getcard's parameters, with the queued updates applied; `None` when none is stored.
pub fn answer(store: &Store, params: &Map<String, Value>) -> Result<Option<Value>> {
    let Some(key) = card_key(params, "values") else { return Ok(None) };
    let Some((mut card, as_of)) = store.card(&key)? else { return Ok(None) };
    let customers = keys_of(&card, Some(key));
    for (method, queued) in store.pending_of(&customers)? {
        if !matches!(method.as_str(), "updatecard" | "updatecards" | "updateclient") {
            continue;
        }
        let Some(new) = queued.get("values").and_then(Value::as_object) else { continue };
        // Passteam returns values as text: show the queued ones the same way.
        let as_text: Map<String, Value> =
            new.iter().map(|(k, v)| (k.clone(), scalar_text(v).map_or(v.clone(), Value::from))).collect();
        if let Some(obj) = card.as_object_mut() {
            let values = obj.entry("values").or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(values) = values {
                merge_values(values, &as_text);
            }
        }
    }
    if let Some(obj) = card.as_object_mut() {
        obj.insert("stale".into(), Value::Bool(true));
        obj.insert("as_of".into(), Value::from(super::clock::rfc3339(as_of)));
    }
    Ok(Some(card))
}
