//! Typed views of Passteam's objects, for Rust callers who prefer structs to `serde_json::Value`.
//!
//! Built from the spec's field lists (the vendor's JSON samples are malformed). Every struct keeps the fields
//! it does not name in `extra`, so a field Passteam adds tomorrow is not lost; fields whose type the vendor
//! sends inconsistently (`voided` as 0/1, dates as text) stay `Value` or `String`.
//!
//! ```no_run
//! # use passteam::{Client, models::Card};
//! fn show(client: &Client) -> passteam::Result<()> {
//!     let card: Card = client.call_as("getCard", serde_json::json!({"cardId": "5f0c1a2b3c4d5e6f7a8b9c0d"}))?;
//!     println!("{} has {} bonus points", card.card_id, card.value("BONUS").unwrap_or("0"));
//!     Ok(())
//! }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A loyalty card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Card {
    pub card_id: String,
    pub card_code: String,
    pub card_url: String,
    pub apple_url: String,
    pub google_url: String,
    pub qrcode_url: String,
    pub template_id: String,
    /// The variables, keyed `%NAME%`, as text.
    pub values: BTreeMap<String, String>,
    pub device_registered: bool,
    pub installed: bool,
    pub voided: Value,
    pub installed_g_pay: Value,
    #[serde(rename = "installedAW")]
    pub installed_aw: Value,
    pub expiration_date: Value,
    pub phone_number: Value,
    pub email: Value,
    pub created: String,
    pub updated: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Card {
    /// A variable's value, by name with or without `%`.
    pub fn value(&self, name: &str) -> Option<&str> {
        crate::request::variable_key(name).and_then(|key| self.values.get(&key)).map(String::as_str)
    }
}

/// One variable of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TemplateField {
    pub name: String,
    pub title: String,
    /// `text`, `phone`, `email`, `date`, `date_time`, `list`, `flag`, `number`.
    #[serde(rename = "type")]
    pub kind: String,
    pub params: Value,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A card template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Template {
    pub template_id: String,
    pub title: String,
    pub pass_type_id: Value,
    pub company: Value,
    pub cards_count: Value,
    pub fields: Vec<TemplateField>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A page of `getcardswithpagination` (`previouslyPage` is the vendor's spelling).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct CardsPage {
    pub page_count: u64,
    pub next_page: Option<u64>,
    pub previously_page: Option<u64>,
    pub cards_count: u64,
    pub cards: Vec<Card>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of `updatecard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CardUpdate {
    pub messages: Vec<Value>,
    pub updated: Value,
    pub card: Card,
}

/// The result of the issue-card scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct IssuedCard {
    pub card: Card,
    /// Whether this call created the card (false: it existed).
    pub created: bool,
    /// Set when a lost reply or a concurrent create was resolved by looking the card up.
    pub recovered: bool,
}

/// The result of `checkvariablevalue`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct UniquenessCheck {
    pub unique: bool,
    pub cards_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn card_reads_the_spec_fields_and_keeps_the_rest() {
        let card: Card = serde_json::from_value(json!({
            "cardId": "5f0c1a2b3c4d5e6f7a8b9c0d", "cardCode": "123", "values": {"%BONUS%": "75"},
            "installed": true, "voided": 0, "installedAW": 1, "somethingNew": [1]
        }))
        .unwrap();
        assert_eq!(card.value("BONUS"), Some("75"));
        assert_eq!(card.value("%BONUS%"), Some("75"));
        assert!(card.installed);
        assert_eq!(card.installed_aw, json!(1));
        assert_eq!(card.extra["somethingNew"], json!([1]));
        let page: CardsPage = serde_json::from_value(
            json!({"pageCount": 2, "nextPage": null, "previouslyPage": 1, "cardsCount": 60, "cards": []}),
        )
        .unwrap();
        assert_eq!((page.next_page, page.previously_page), (None, Some(1)));
    }
}
