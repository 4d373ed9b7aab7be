//! Typed views of Passteam's objects, for Rust callers who prefer structs to `serde_json::Value`.
//!
//! Built from the spec's field lists (the vendor's JSON samples are malformed). Every struct keeps the fields
//! it does not name in `extra`, so a field Passteam adds tomorrow is not lost; fields whose type the vendor
//! sends inconsistently (`voided` as 0/1, dates as text) stay `Value` or `String`. PHP mixes numbers and
//! numeric strings and writes an empty object as `[]`: text fields accept numbers, counts accept numeric
//! strings, flags accept 0/1, variables accept `[]` (the helpers are in `loose.rs`), so a reply whose
//! operation succeeded never fails to read.
//!
//! ```no_run
//! # use passteam::{Client, models::Card};
//! fn show(client: &Client) -> passteam::Result<()> {
//!     let card: Card = client.call_as("getCard", serde_json::json!({"cardId": "5f0c1a2b3c4d5e6f7a8b9c0d"}))?;
//!     println!("{} has {} bonus points", card.card_id, card.value("BONUS").unwrap_or("0"));
//!     Ok(())
//! }
//! ```

use crate::loose;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A loyalty card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Card {
    #[serde(deserialize_with = "loose::string")]
    pub card_id: String,
    #[serde(deserialize_with = "loose::string")]
    pub card_code: String,
    #[serde(deserialize_with = "loose::string")]
    pub card_url: String,
    #[serde(deserialize_with = "loose::string")]
    pub apple_url: String,
    #[serde(deserialize_with = "loose::string")]
    pub google_url: String,
    #[serde(deserialize_with = "loose::string")]
    pub qrcode_url: String,
    #[serde(deserialize_with = "loose::string")]
    pub template_id: String,
    /// The variables, keyed `%NAME%`, as text (numbers and booleans turned to text, PHP's `[]` empty).
    #[serde(deserialize_with = "loose::text_map")]
    pub values: BTreeMap<String, String>,
    #[serde(deserialize_with = "loose::flag")]
    pub device_registered: bool,
    #[serde(deserialize_with = "loose::flag")]
    pub installed: bool,
    pub voided: Value,
    pub installed_g_pay: Value,
    #[serde(rename = "installedAW")]
    pub installed_aw: Value,
    pub expiration_date: Value,
    pub phone_number: Value,
    pub email: Value,
    #[serde(deserialize_with = "loose::string")]
    pub created: String,
    #[serde(deserialize_with = "loose::string")]
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
    #[serde(deserialize_with = "loose::string")]
    pub name: String,
    #[serde(deserialize_with = "loose::string")]
    pub title: String,
    /// `text`, `phone`, `email`, `date`, `date_time`, `list`, `flag`, `number`.
    #[serde(rename = "type", deserialize_with = "loose::string")]
    pub kind: String,
    pub params: Value,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A card template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Template {
    #[serde(deserialize_with = "loose::string")]
    pub template_id: String,
    #[serde(deserialize_with = "loose::string")]
    pub title: String,
    pub pass_type_id: Value,
    pub company: Value,
    pub cards_count: Value,
    #[serde(deserialize_with = "loose::list")]
    pub fields: Vec<TemplateField>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A page of `getcardswithpagination` (`previouslyPage` is the vendor's spelling).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct CardsPage {
    #[serde(deserialize_with = "loose::count")]
    pub page_count: u64,
    #[serde(deserialize_with = "loose::optional_count")]
    pub next_page: Option<u64>,
    #[serde(deserialize_with = "loose::optional_count")]
    pub previously_page: Option<u64>,
    #[serde(deserialize_with = "loose::count")]
    pub cards_count: u64,
    #[serde(deserialize_with = "loose::list")]
    pub cards: Vec<Card>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of `updatecard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CardUpdate {
    #[serde(deserialize_with = "loose::list")]
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
    #[serde(deserialize_with = "loose::flag")]
    pub created: bool,
    /// Set when a lost reply or a concurrent create was resolved by looking the card up.
    #[serde(deserialize_with = "loose::flag")]
    pub recovered: bool,
}

/// The result of `checkvariablevalue`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct UniquenessCheck {
    #[serde(deserialize_with = "loose::flag")]
    pub unique: bool,
    #[serde(deserialize_with = "loose::strings")]
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

    /// Issue 10, item 7: what a PHP backend really sends must read, not fail.
    #[test]
    fn php_s_loose_json_reads() {
        let card: Card = serde_json::from_value(json!({
            "cardId": "c1", "cardCode": 123456, "values": [], "deviceRegistered": 1, "installed": "0",
            "created": null
        }))
        .unwrap();
        assert_eq!(card.card_code, "123456");
        assert!(card.values.is_empty());
        assert!(card.device_registered && !card.installed);
        let card: Card = serde_json::from_value(json!({"values": {"%BONUS%": 62.5, "%VIP%": true}})).unwrap();
        assert_eq!((card.value("BONUS"), card.value("VIP")), (Some("62.5"), Some("true")));
        let page: CardsPage = serde_json::from_value(json!({
            "pageCount": "3", "nextPage": "", "previouslyPage": "2", "cardsCount": "60", "cards": {}
        }))
        .unwrap();
        assert_eq!(
            (page.page_count, page.next_page, page.previously_page, page.cards_count),
            (3, None, Some(2), 60)
        );
        let check: UniquenessCheck =
            serde_json::from_value(json!({"unique": 0, "cardsIds": [123, "abc"]})).unwrap();
        assert_eq!(check.cards_ids, ["123", "abc"]);
        let update: CardUpdate =
            serde_json::from_value(json!({"messages": {}, "updated": 1, "card": {"cardId": 7}})).unwrap();
        assert_eq!(update.card.card_id, "7");
        assert!(serde_json::from_value::<CardsPage>(json!({"pageCount": "many"})).is_err());
    }
}
