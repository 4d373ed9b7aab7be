//! Tolerance for PHP's loose JSON, in one place.
//!
//! Passteam's backend is PHP, whose `json_encode` writes an empty associative array as `[]`: a card without
//! variables comes back with `"values": []`, a list where every host expects an object (Python's
//! `card["values"].get(...)` then raises). PHP also mixes numbers and numeric strings freely (`cardCode`
//! `123` or `"123"`, `cardsCount` `"60"`). [`normalise_result`] fixes the first in the result every host
//! receives; the `deserialize_with` helpers below let the typed models (`models.rs`) accept the second.
//! A reply whose operation succeeded must never become an error because a model was too strict.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// The result with every `"values": []` turned into `"values": {}`, at any depth (cards, pages of cards,
/// `updatecard`'s `card`). The text is handed on unchanged, without parsing, when it holds no such pair.
pub fn normalise_result(raw: Box<RawValue>) -> Box<RawValue> {
    if !has_empty_values_list(raw.get()) {
        return raw;
    }
    let Ok(mut value) = serde_json::from_str::<Value>(raw.get()) else {
        return raw;
    };
    empty_values_to_object(&mut value);
    serde_json::value::to_raw_value(&value).unwrap_or(raw)
}

/// Whether the text holds `"values"`, a colon and an empty list (whitespace allowed between them).
fn has_empty_values_list(text: &str) -> bool {
    // memchr's SIMD substring search: this runs over every result, and core's `str::find` (two-way) was
    // about 1 % of a loopback getcard's CPU (perf, issue 16).
    static FINDER: once_cell::sync::Lazy<memchr::memmem::Finder<'static>> =
        once_cell::sync::Lazy::new(|| memchr::memmem::Finder::new(b"\"values\""));
    let mut rest = text;
    while let Some(at) = FINDER.find(rest.as_bytes()) {
        rest = &rest[at + "\"values\"".len()..];
        let after = rest.trim_start();
        if let Some(after_colon) = after.strip_prefix(':') {
            if let Some(inside) = after_colon.trim_start().strip_prefix('[') {
                if inside.trim_start().starts_with(']') {
                    return true;
                }
            }
        }
    }
    false
}

fn empty_values_to_object(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "values" && child.as_array().is_some_and(Vec::is_empty) {
                    *child = Value::Object(Map::new());
                } else {
                    empty_values_to_object(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(empty_values_to_object),
        _ => {}
    }
}

/// Text from a string, a number or a boolean; `null` is empty text.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => String::new(),
        other => text_of(&other).ok_or_else(|| de::Error::custom(format!("expected text, got {other}")))?,
    })
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// A count from a number or a numeric string; `null` and `""` are 0.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    optional_count(d).map(Option::unwrap_or_default)
}

/// An optional count (`nextPage`): a number, a numeric string, or `null` / `""` / `false` for none.
pub fn optional_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let value = Value::deserialize(d)?;
    let number = match &value {
        Value::Null | Value::Bool(false) => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    match number {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= u64::MAX as f64 => Ok(Some(n as u64)),
        _ => Err(de::Error::custom(format!("expected a count, got {value}"))),
    }
}

/// A flag from `true`/`false`, `0`/`1`, `"0"`/`"1"`, `"true"`/`"false"`, `null` (false).
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(FlagVisitor)
}

struct FlagVisitor;

impl<'de> Visitor<'de> for FlagVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean, 0/1 or their text")
    }
    fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_u64<E>(self, v: u64) -> Result<bool, E> {
        Ok(v != 0)
    }
    fn visit_i64<E>(self, v: i64) -> Result<bool, E> {
        Ok(v != 0)
    }
    fn visit_f64<E>(self, v: f64) -> Result<bool, E> {
        Ok(v != 0.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim().to_ascii_lowercase().as_str() {
            "" | "0" | "false" | "no" => Ok(false),
            "1" | "true" | "yes" => Ok(true),
            _ => Err(E::custom(format!("expected a flag, got {v:?}"))),
        }
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// The card variables as text: an object of scalars, or PHP's `[]` for none.
pub fn text_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| match text_of(&v) {
                Some(text) => Ok((k, text)),
                None => Err(de::Error::custom(format!("the variable {k} is not text: {v}"))),
            })
            .collect(),
        Value::Array(items) if items.is_empty() => Ok(BTreeMap::new()),
        Value::Null => Ok(BTreeMap::new()),
        other => Err(de::Error::custom(format!("expected an object of variables, got {other}"))),
    }
}

/// A list of ids, each a string or a number; `null` is empty.
pub fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Array(items) => items
            .iter()
            .map(|v| text_of(v).ok_or_else(|| de::Error::custom(format!("expected an id, got {v}"))))
            .collect(),
        Value::Null => Ok(Vec::new()),
        Value::Object(map) if map.is_empty() => Ok(Vec::new()),
        other => Err(de::Error::custom(format!("expected a list of ids, got {other}"))),
    }
}

/// A list that PHP may send as `{}` when empty (or `null`).
pub fn list<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::Object(map) if map.is_empty() => Ok(Vec::new()),
        other => serde_json::from_value(other).map_err(de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_values_lists_become_objects_at_any_depth() {
        let raw = RawValue::from_string(
            r#"{"cards": [{"cardId": "a", "values" : [ ]}, {"cardId": "b", "values": {"%X%": "1"}}], "card": {"values":[]}}"#
                .to_owned(),
        )
        .unwrap();
        let fixed: Value = serde_json::from_str(normalise_result(raw).get()).unwrap();
        assert_eq!(fixed["cards"][0]["values"], json!({}));
        assert_eq!(fixed["cards"][1]["values"], json!({"%X%": "1"}));
        assert_eq!(fixed["card"]["values"], json!({}));
    }

    #[test]
    fn other_texts_pass_through_untouched() {
        for text in
            [r#"{"values": ["a"]}"#, r#"{"title": "\"values\": []"}"#, r#"[1, 2]"#, r#"{"values":{}}"#]
        {
            let raw = RawValue::from_string(text.to_owned()).unwrap();
            let out = normalise_result(raw);
            // A string that merely contains the words is reparsed but keeps its meaning.
            let before: Value = serde_json::from_str(text).unwrap();
            let after: Value = serde_json::from_str(out.get()).unwrap();
            assert_eq!(before, after, "{text}");
        }
        assert!(!has_empty_values_list(r#"{"values": ["a"]}"#));
        assert!(has_empty_values_list(r#"{"values":[]}"#));
    }
}
