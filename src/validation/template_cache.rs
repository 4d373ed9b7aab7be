//! Templates read with `gettemplate`, kept per client for `template_ttl_ms`, and which template each
//! card seen belongs to (so that `updatecard` by `cardId` needs no extra round trip).

use super::rules::FieldType;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Cards remembered before the map is cleared (a bound, so a long-running till cannot grow it forever).
const MAX_CARDS: usize = 100_000;

/// The variables of one template, as the validation needs them.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRules {
    pub template_id: String,
    /// `%NAME%` and its type, in the template's order.
    pub fields: Vec<(String, FieldType)>,
}

impl TemplateRules {
    /// From `gettemplate`'s result; `None` when it has no `fields` array (then nothing is checked).
    pub fn from_result(template_id: &str, result: &Value) -> Option<TemplateRules> {
        let fields = result.get("fields")?.as_array()?;
        let fields = fields
            .iter()
            .filter_map(|f| {
                let name = crate::request::variable_key(f.get("name")?.as_str()?)?;
                let kind = f.get("type").and_then(Value::as_str).unwrap_or("text");
                let params = f.get("params").cloned().unwrap_or(Value::Null);
                Some((name, FieldType::from_template(kind, &params)))
            })
            .collect();
        Some(TemplateRules { template_id: template_id.to_owned(), fields })
    }

    pub fn field(&self, name: &str) -> Option<&FieldType> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }
}

struct Entry {
    fetched: Instant,
    rules: Arc<TemplateRules>,
}

/// The cache; every method takes `&self` and may be called from many threads.
pub struct TemplateCache {
    ttl: Duration,
    templates: Mutex<HashMap<String, Entry>>,
    card_templates: Mutex<HashMap<String, String>>,
}

impl std::fmt::Debug for TemplateCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemplateCache").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl TemplateCache {
    pub fn new(ttl: Duration) -> TemplateCache {
        TemplateCache { ttl, templates: Mutex::default(), card_templates: Mutex::default() }
    }

    /// A cached template younger than the TTL, with its age.
    pub fn get(&self, template_id: &str) -> Option<(Arc<TemplateRules>, Duration)> {
        let map = self.templates.lock().ok()?;
        let entry = map.get(template_id)?;
        let age = entry.fetched.elapsed();
        (age < self.ttl).then(|| (entry.rules.clone(), age))
    }

    pub fn put(&self, rules: TemplateRules) -> Arc<TemplateRules> {
        let rules = Arc::new(rules);
        if let Ok(mut map) = self.templates.lock() {
            map.insert(rules.template_id.clone(), Entry { fetched: Instant::now(), rules: rules.clone() });
        }
        rules
    }

    pub fn card_template(&self, card_id: &str) -> Option<String> {
        self.card_templates.lock().ok()?.get(card_id).cloned()
    }

    /// Whether the card's template is known (no copy made, unlike [`Self::card_template`]).
    pub fn knows_card(&self, card_id: &str) -> bool {
        self.card_templates.lock().is_ok_and(|map| map.contains_key(card_id))
    }

    pub fn learn_card(&self, card_id: &str, template_id: &str) {
        if card_id.is_empty() || template_id.is_empty() {
            return;
        }
        if let Ok(mut map) = self.card_templates.lock() {
            if map.len() >= MAX_CARDS && !map.contains_key(card_id) {
                map.clear();
            }
            map.insert(card_id.to_owned(), template_id.to_owned());
        }
    }
}
