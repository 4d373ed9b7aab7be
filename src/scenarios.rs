//! The vendor's two integration scenarios as calls of their own.
//!
//! **issuecard**: find the card (by `cardId`, `cardCode`, or `templateId` + a unique variable); create it
//! if absent; return `{"card": card, "created": bool}`. It is exactly-once: when createcard's outcome is
//! unknown (the reply was lost), or another till created the same customer meanwhile (409), the card is
//! looked up by its unique variable before anything is created again.
//!
//! **updateclient**: find the card (`cardId`, `cardCode`, or `templateId` + `find`), then `updatecard`
//! with `values`; returns updatecard's result.

use crate::error::{Error, Outcome, Result, Status};
use crate::methods::{self, Method};
use crate::request::variable_key;
use serde_json::{json, Map, Value};
use std::time::Instant;

/// What a scenario needs from the client: one operation of the table, with retries, within a deadline.
/// A trait, so this module does not depend on the client (which depends on it to dispatch).
pub(crate) trait Steps {
    fn invoke(&self, method: &Method, params: &Map<String, Value>, deadline: Instant) -> Result<Value>;
}

/// The scenarios of the method table: dispatch on this is checked for exhaustiveness by the compiler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scenario {
    IssueCard,
    UpdateClient,
}

impl Scenario {
    /// Every scenario (the test below checks it against the table's `Kind::Scenario` entries).
    pub(crate) const ALL: [Scenario; 2] = [Scenario::IssueCard, Scenario::UpdateClient];

    /// The table name of a scenario.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scenario::IssueCard => "issuecard",
            Scenario::UpdateClient => "updateclient",
        }
    }

    /// The scenario of a table entry, if it is one.
    pub(crate) fn of(method: &Method) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.name() == method.name)
    }
}

/// Runs a scenario entry of the method table.
pub(crate) fn run(
    client: &impl Steps,
    method: &Method,
    params: &Map<String, Value>,
    deadline: Instant,
) -> Result<Value> {
    let scenario = Scenario::of(method)
        .ok_or_else(|| Error::internal(format!("scenario {} has no implementation", method.name)))?;
    // The table's parameter checks apply to scenarios too (types, one of the lookups).
    let params = crate::request::prepare(method, params)?;
    match scenario {
        Scenario::IssueCard => issue_card(client, &params, deadline),
        Scenario::UpdateClient => update_client(client, &params, deadline),
    }
}

fn op(name: &str) -> &'static Method {
    methods::find(name).expect("scenario steps are in the method table")
}

fn text(params: &Map<String, Value>, key: &str) -> Option<String> {
    params.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// How a card is looked up: the getcard parameters.
fn lookup(params: &Map<String, Value>, values_key: &str, unique: Option<&str>) -> Result<Map<String, Value>> {
    if let Some(id) = text(params, "cardId") {
        return Ok(obj(json!({ "cardId": id })));
    }
    if let Some(code) = text(params, "cardCode") {
        return Ok(obj(json!({ "cardCode": code })));
    }
    let template = text(params, "templateId").ok_or_else(|| {
        Error::validation("templateId", "give cardId, cardCode, or templateId with a unique variable")
    })?;
    let values = params.get(values_key).and_then(Value::as_object).cloned().unwrap_or_default();
    let (name, value) = pick_unique(&values, unique)?;
    Ok(obj(json!({ "templateId": template, "values": { name: value } })))
}

/// The unique variable to look up by: the one named, else `%PHONE%` when present, else the only value.
fn pick_unique(values: &Map<String, Value>, named: Option<&str>) -> Result<(String, Value)> {
    let wanted = match named.and_then(variable_key) {
        Some(key) => key,
        None if values.contains_key("%PHONE%") => "%PHONE%".to_owned(),
        None if values.len() == 1 => values.keys().next().cloned().unwrap_or_default(),
        None => {
            return Err(Error::validation(
                "uniqueVariable",
                "name the unique variable to look the card up by (uniqueVariable, e.g. \"PHONE\")",
            ))
        }
    };
    match values.get(&wanted) {
        Some(v) if v.as_str().is_none_or(|s| !s.is_empty()) => Ok((wanted, v.clone())),
        _ => Err(Error::validation(
            "values",
            format!("the unique variable {wanted} has no value to look the card up by"),
        )),
    }
}

/// getcard, with "not found" as `None`.
fn find_card(client: &impl Steps, query: &Map<String, Value>, deadline: Instant) -> Result<Option<Value>> {
    match client.invoke(op("getcard"), query, deadline) {
        Ok(card) => Ok(Some(card)),
        Err(e) if e.status == Status::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn issue_card(client: &impl Steps, params: &Map<String, Value>, deadline: Instant) -> Result<Value> {
    let unique = text(params, "uniqueVariable");
    let query = lookup(params, "values", unique.as_deref())?;
    if let Some(card) = find_card(client, &query, deadline)? {
        return Ok(json!({ "card": card, "created": false }));
    }
    let template = text(params, "templateId").ok_or_else(|| {
        Error::new(Status::NotFound, "no such card, and no templateId to create one from")
            .with_detail("lookup", Value::Object(query.clone()))
    })?;
    // By unique variable, whatever the first lookup used: that is what tells whether a lost create happened.
    let recheck = lookup(
        &obj(json!({ "templateId": template, "values": params.get("values").cloned().unwrap_or(json!({})) })),
        "values",
        unique.as_deref(),
    )
    .ok();
    let mut create = obj(json!({ "templateId": template }));
    for key in ["values", "cardCode"] {
        if let Some(v) = params.get(key) {
            create.insert(key.to_owned(), v.clone());
        }
    }
    match client.invoke(op("createcard"), &create, deadline) {
        Ok(card) => Ok(json!({ "card": card, "created": true })),
        Err(e) if e.outcome == Some(Outcome::Unknown) || e.status == Status::Conflict => {
            let Some(recheck) = recheck else { return Err(e) };
            let lost_reply = e.outcome == Some(Outcome::Unknown);
            match find_card(client, &recheck, deadline)? {
                // A lost reply whose create did happen: that card is ours. A conflict: another till's card.
                Some(card) => Ok(json!({ "card": card, "created": lost_reply, "recovered": true })),
                None if lost_reply => {
                    // The lost create never happened: creating now cannot make a second card.
                    let card = client.invoke(op("createcard"), &create, deadline)?;
                    Ok(json!({ "card": card, "created": true, "recovered": true }))
                }
                None => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

fn update_client(client: &impl Steps, params: &Map<String, Value>, deadline: Instant) -> Result<Value> {
    let card_id = match text(params, "cardId") {
        Some(id) => id,
        None => {
            let query = lookup(params, "find", None)?;
            let card = find_card(client, &query, deadline)?.ok_or_else(|| {
                Error::new(Status::NotFound, "updateclient: no card matches the lookup")
                    .with_detail("lookup", Value::Object(query))
            })?;
            card.get("cardId")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| Error::new(Status::Protocol, "getcard returned a card without cardId"))?
        }
    };
    let mut update = obj(json!({ "cardId": card_id }));
    if let Some(values) = params.get("values") {
        update.insert("values".to_owned(), values.clone());
    }
    client.invoke(op("updatecard"), &update, deadline)
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::{Kind, METHODS};

    #[test]
    fn every_scenario_of_the_table_has_an_implementation() {
        let table: Vec<&str> = METHODS.iter().filter(|m| m.kind == Kind::Scenario).map(|m| m.name).collect();
        let ours: Vec<&str> = Scenario::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(table, ours);
        assert!(METHODS.iter().filter(|m| m.kind != Kind::Scenario).all(|m| Scenario::of(m).is_none()));
    }
}
