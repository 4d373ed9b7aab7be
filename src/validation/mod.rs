//! Template-aware validation and normalisation of card variables before anything is sent.
//!
//! For `createcard`, `updatecard`, `getcard` by values, `checkvariablevalue`, `issuecard` and
//! `updateclient`, each variable is checked against the template's own field types (read once with
//! `gettemplate` and cached per client): a name the template does not have is refused with the closest
//! known names; phones are parsed as libphonenumber parses them and sent in E.164; e-mails, list items,
//! flags, numbers and dates are checked and, in `normalize` mode, put in the form Passteam stores. Every
//! problem is reported at once (`details.problems`), before a request leaves.
//!
//! The client calls [`Validator::prepare`] before a call and [`Validator::learn`] after it; everything
//! else is here. `rules` knows the types, `phone`, `email` and `dates` the formats, `suggest` the
//! "did you mean", `template_cache` the templates and which template each card belongs to.

pub mod dates;
pub mod email;
pub mod phone;
pub mod phone_metadata;
pub mod rules;
pub mod suggest;
pub mod template_cache;

pub use rules::{FieldType, Mode};
pub use template_cache::{TemplateCache, TemplateRules};

use crate::client::Client;
use crate::error::{Error, Result, Status};
use crate::methods::{self, Method};
use crate::request::variable_key;
use crate::scenarios::Steps as _;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One refused value: which variable, what was given, what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub value: String,
    pub problem: String,
    /// For a variable the template does not have: the closest names it does have.
    pub suggestions: Vec<String>,
}

impl Problem {
    fn to_json(&self) -> Value {
        let mut v = json!({"field": self.field, "value": self.value, "problem": self.problem});
        if !self.suggestions.is_empty() {
            v["suggestions"] = json!(self.suggestions);
        }
        v
    }

    fn sentence(&self) -> String {
        let shown: String = self.value.chars().take(64).collect();
        if self.suggestions.is_empty() && self.problem.starts_with("is not a variable") {
            format!("{} {}", self.field, self.problem)
        } else if self.problem.starts_with("is not a variable") {
            format!("{} {} (did you mean {}?)", self.field, self.problem, self.suggestions.join(" or "))
        } else {
            format!("{} {shown:?} {}", self.field, self.problem)
        }
    }
}

/// Checks every value of `values` against `rules`; returns the values to send, or the problems.
pub fn check_values(
    rules: &TemplateRules,
    values: &Map<String, Value>,
    mode: Mode,
    phones: &phone::Reader,
) -> std::result::Result<Map<String, Value>, Vec<Problem>> {
    let mut out = Map::with_capacity(values.len());
    let mut problems = Vec::new();
    for (key, value) in values {
        let Some(name) = variable_key(key) else {
            out.insert(key.clone(), value.clone()); // the request builder refuses an empty name
            continue;
        };
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                out.insert(name, value.clone()); // null clears, objects are refused by the request builder
                continue;
            }
        };
        let Some(ty) = rules.field(&name) else {
            let known = rules.fields.iter().map(|(n, _)| n.as_str());
            problems.push(Problem {
                suggestions: suggest::closest(&name, known),
                field: name,
                value: text,
                problem: format!("is not a variable of the template {}", rules.template_id),
            });
            continue;
        };
        if text.is_empty() {
            out.insert(name, Value::String(text)); // an empty value clears the variable
            continue;
        }
        match rules::check(ty, &text, mode, phones) {
            Ok(fixed) => {
                out.insert(name, Value::String(fixed));
            }
            Err(problem) => problems.push(Problem { field: name, value: text, problem, suggestions: vec![] }),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The error of a refused call: one sentence naming every problem, and the list in `details.problems`.
pub fn problems_error(method: &str, template_id: &str, problems: &[Problem]) -> Error {
    let count = problems.len();
    let what = if count == 1 { "a value does" } else { "values do" };
    let list: Vec<String> = problems.iter().map(Problem::sentence).collect();
    let message = format!(
        "{method}: {what} not fit the template {template_id}, nothing was sent: {}.",
        list.join("; ")
    );
    let mut error = Error::new(Status::Validation, message)
        .with_detail("problems", Value::Array(problems.iter().map(Problem::to_json).collect()))
        .with_detail("templateId", Value::from(template_id))
        .with_detail("method", Value::from(method))
        .with_detail("attempts", Value::from(0));
    if let Some(first) = problems.first() {
        error = error.with_detail("field", Value::from(first.field.clone()));
    }
    error
}

/// A client's validation: its mode, its phone region, its template cache.
#[derive(Debug)]
pub struct Validator {
    mode: Mode,
    phones: phone::Reader,
    cache: TemplateCache,
}

/// Which parameters hold a template's variables, per operation.
fn value_params(method: &str) -> &'static [&'static str] {
    match method {
        "createcard" | "getcard" | "checkvariablevalue" | "issuecard" | "updatecard" => &["values"],
        "updateclient" => &["find", "values"],
        _ => &[],
    }
}

impl Validator {
    pub fn new(mode: Mode, region: &str, template_ttl: Duration) -> Validator {
        Validator { mode, phones: phone::Reader::new(region), cache: TemplateCache::new(template_ttl) }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Checks and normalises the variables of a call before it is sent (the one hook in the client).
    /// Reads the template (cached) and, for `updatecard` / `updateclient` by `cardId`, the card's
    /// template id (remembered from every card seen; one `getcard` the first time a card is met).
    pub(crate) fn prepare(
        &self,
        client: &Client,
        method: &Method,
        mut params: Map<String, Value>,
        deadline: Instant,
    ) -> Result<Map<String, Value>> {
        let keys = value_params(method.name);
        if self.mode == Mode::Off || !keys.iter().any(|k| params.get(*k).is_some_and(Value::is_object)) {
            return Ok(params);
        }
        // With an outbox, a till that cannot reach Passteam must still queue its updates: when the template
        // (or the card's template id) cannot be read for want of a network, the values go as given and
        // the outbox takes the call. Without one, the call fails with the reason, as it would when sent.
        let offline_ok = client.offline.is_some();
        let template_id = match self.template_of(client, &params, deadline) {
            Ok(Some(id)) => id,
            Ok(None) => return Ok(params),
            Err(e) if offline_ok && unreachable(&e) => return Ok(params),
            Err(e) => return Err(e),
        };
        let (mut rules, mut fresh) = match self.template(client, &template_id, deadline, false) {
            Ok(Some(found)) => found,
            Ok(None) => return Ok(params),
            Err(e) if offline_ok && unreachable(&e) => return Ok(params),
            Err(e) => return Err(e),
        };
        loop {
            let mut checked = Vec::new();
            let mut problems = Vec::new();
            for key in keys {
                if let Some(Value::Object(values)) = params.get(*key) {
                    match check_values(&rules, values, self.mode, &self.phones) {
                        Ok(v) => checked.push((*key, v)),
                        Err(p) => problems.extend(p),
                    }
                }
            }
            if problems.is_empty() {
                for (key, values) in checked {
                    params.insert(key.to_owned(), Value::Object(values));
                }
                return Ok(params);
            }
            // A name the cached template does not know may be a variable added since: read it again, once.
            if !fresh && problems.iter().any(|p| p.problem.starts_with("is not a variable")) {
                match self.template(client, &template_id, deadline, true)? {
                    Some((newer, _)) => (rules, fresh) = (newer, true),
                    None => return Ok(params),
                }
                continue;
            }
            return Err(problems_error(method.name, &template_id, &problems));
        }
    }

    /// Remembers which template the cards in a result belong to (getcard, createcard, the scenarios).
    pub(crate) fn learn(&self, method: &Method, params: &Map<String, Value>, result: &RawValue) {
        if self.mode == Mode::Off
            || !matches!(method.name, "getcard" | "createcard" | "updatecard" | "issuecard" | "updateclient")
        {
            return;
        }
        // A card's template never changes: a call by a cardId the cache already maps has nothing to teach,
        // and skipping the parse keeps a till's repeated getcard of one card at the cost of the call alone
        // (the parse was about 1 µs of a 50 µs loopback round trip; issue 16).
        if let Some(card_id) = params.get("cardId").and_then(Value::as_str) {
            if self.cache.knows_card(card_id) {
                return;
            }
        }
        #[derive(serde::Deserialize)]
        struct Seen {
            #[serde(rename = "cardId")]
            card_id: Option<String>,
            #[serde(rename = "templateId")]
            template_id: Option<String>,
            card: Option<Box<Seen>>,
        }
        let Ok(seen) = serde_json::from_str::<Seen>(result.get()) else { return };
        let seen = match seen.card {
            Some(card) => *card,
            None => seen,
        };
        if let (Some(card), Some(template)) = (seen.card_id, seen.template_id) {
            self.cache.learn_card(&card, &template);
        }
    }

    /// The template the call's variables belong to: `templateId`, or the card's.
    fn template_of(
        &self,
        client: &Client,
        params: &Map<String, Value>,
        deadline: Instant,
    ) -> Result<Option<String>> {
        let text = |key: &str| params.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
        if let Some(id) = text("templateId") {
            return Ok(Some(id.to_owned()));
        }
        let Some(card_id) = text("cardId") else { return Ok(None) };
        if let Some(template) = self.cache.card_template(card_id) {
            return Ok(Some(template));
        }
        let getcard = methods::find("getcard").expect("getcard is in the method table");
        let card = client.invoke(getcard, &params_of(json!({"cardId": card_id})), deadline)?;
        let template = card.get("templateId").and_then(Value::as_str).map(str::to_owned);
        if let Some(t) = &template {
            self.cache.learn_card(card_id, t);
        }
        Ok(template)
    }

    /// The template's rules (cached; `force` reads it again) and whether they were read just now.
    fn template(
        &self,
        client: &Client,
        template_id: &str,
        deadline: Instant,
        force: bool,
    ) -> Result<Option<(Arc<TemplateRules>, bool)>> {
        if !force {
            if let Some((rules, _age)) = self.cache.get(template_id) {
                return Ok(Some((rules, false)));
            }
        }
        let gettemplate = methods::find("gettemplate").expect("gettemplate is in the method table");
        let result = client
            .invoke(gettemplate, &params_of(json!({"templateId": template_id})), deadline)
            .map_err(|e| {
                let mut e = e;
                e.message = format!("reading the template {template_id} to check the values: {}", e.message);
                e
            })?;
        Ok(TemplateRules::from_result(template_id, &result).map(|rules| (self.cache.put(rules), true)))
    }
}

/// Failures that say nothing about the values: the network, the quota, a gateway, an open breaker.
fn unreachable(e: &crate::Error) -> bool {
    use crate::Status;
    matches!(e.status, Status::Transport | Status::Timeout | Status::RateLimited)
        || e.http_status.is_some_and(|s| s >= 500)
}

fn params_of(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
