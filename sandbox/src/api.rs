//! The emulated API: routing, auth, quota, every oapi method and the REST sales/products operations.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use crate::form::Params;
use crate::state::{self, Card, CardOut, FieldDef, Product, Sale, SaleProduct, State, Template};
use crate::{Core, Shared};

/// A reply ready to be written.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, body: String) -> Reply {
        Reply { status, content_type: "application/json; charset=utf-8", body: body.into_bytes() }
    }
    pub fn html(status: u16, body: String) -> Reply {
        Reply { status, content_type: "text/html; charset=utf-8", body: body.into_bytes() }
    }
}

/// `{"result": R, "message": "OK", "code": 200, "error": false}` with `R` already serialized (so the
/// field order of the structs is kept).
pub fn envelope_ok(result_json: &str) -> Reply {
    Reply::json(200, format!(r#"{{"result":{result_json},"message":"OK","code":200,"error":false}}"#))
}

pub fn envelope_err(code: u16, message: &str) -> Reply {
    let msg = serde_json::to_string(message).unwrap_or_else(|_| "\"error\"".into());
    Reply::json(code, format!(r#"{{"result":null,"message":{msg},"code":{code},"error":true}}"#))
}

pub struct ApiErr(pub u16, pub String);

type Res = Result<String, ApiErr>;

fn bad(msg: impl Into<String>) -> ApiErr {
    ApiErr(400, msg.into())
}

fn ser<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

pub const OAPI_METHODS: &[&str] = &[
    "getatoken",
    "getlisttemplates",
    "gettemplate",
    "createcard",
    "getcard",
    "updatecard",
    "getcardswithpagination",
    "checkvariablevalue",
    "distribute",
    "deletecard",
    "updatecards",
    "gettemplates",
    "getcards",
    "sendpush",
];

pub const REST_OPS: &[&str] = &["sale", "product", "products"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// A known oapi method, lower case.
    Oapi(String),
    /// `sale`, `product` or `products`.
    Rest(String),
    /// `/oapi/v1/<unknown>`.
    UnknownMethod(String),
    /// Any other path.
    NotFound,
}

/// Routes a path (without query) and gives the `method` recorded in the request log.
pub fn route(path: &str) -> (Route, String) {
    let trimmed = path.trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    if let Some(name) = lower.strip_prefix("/oapi/v1/") {
        if !name.is_empty() && !name.contains('/') {
            if OAPI_METHODS.contains(&name) {
                return (Route::Oapi(name.to_string()), name.to_string());
            }
            if REST_OPS.contains(&name) {
                return (Route::Rest(name.to_string()), lower.clone());
            }
            return (Route::UnknownMethod(name.to_string()), name.to_string());
        }
    }
    (Route::NotFound, lower)
}

/// Handles one API request completely (auth, quota, state change), under the lock.
pub fn handle(shared: &Shared, verb: &str, route: &Route, p: &Params, auth_ok: bool) -> Reply {
    let verb = verb.to_ascii_uppercase();
    match route {
        Route::NotFound => return envelope_err(404, "Not found"),
        Route::UnknownMethod(name) => return envelope_err(404, &format!("Method ({name}) not found")),
        Route::Oapi(_) if verb != "POST" => return envelope_err(405, "Method not allowed: use POST"),
        Route::Rest(op) => {
            let allowed: &[&str] = match op.as_str() {
                "sale" => &["GET", "PUT", "DELETE"],
                "product" => &["POST", "PUT", "DELETE"],
                _ => &["POST", "GET"],
            };
            if !allowed.contains(&verb.as_str()) {
                return envelope_err(405, &format!("Method not allowed: use {}", allowed.join(", ")));
            }
        }
        _ => {}
    }
    let is_token = matches!(route, Route::Oapi(n) if n == "getatoken");
    if !is_token && !auth_ok {
        return envelope_err(401, "Unauthorized");
    }
    let mut core = shared.lock();
    if let Some(r) = quota_check(&mut core) {
        return r;
    }
    if let Some(e) = &p.error {
        return envelope_err(400, e);
    }
    let base = shared.base_url.as_str();
    // A card about to be deleted is kept for its deleteCard webhook.
    let doomed = match (route, p.get("cardId")) {
        (Route::Oapi(name), Some(id)) if name == "deletecard" => core
            .state
            .card_index(id)
            .and_then(|i| serde_json::to_value(core.state.card_out(&core.state.cards[i], base)).ok()),
        _ => None,
    };
    let res = match route {
        Route::Oapi(name) => oapi(shared, &mut core.state, base, name, p),
        Route::Rest(op) => rest(&mut core.state, &verb, op, p),
        _ => Err(ApiErr(404, "Not found".into())),
    };
    if let (Route::Oapi(name), Ok(json)) = (route, &res) {
        if let Some((event, card)) = crate::webhooks::event_of(name, json, doomed) {
            shared.webhooks.emit(event, card);
        }
    }
    match res {
        Ok(json) => envelope_ok(&json),
        Err(ApiErr(code, msg)) => envelope_err(code, &msg),
    }
}

pub fn quota_message(n: u64) -> String {
    format!("You can only make {n} requests per hour")
}

fn quota_check(core: &mut Core) -> Option<Reply> {
    let hour =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs()
            / 3600;
    let q = &mut core.quota;
    if q.hour != hour {
        q.hour = hour;
        q.count = 0;
    }
    if let Some(n) = q.per_hour {
        if q.count >= n {
            return Some(envelope_err(q.status, &quota_message(n)));
        }
    }
    q.count += 1;
    None
}

// ---------------------------------------------------------------------------------------------
// helpers

fn require(p: &Params, keys: &[&str]) -> Result<(), ApiErr> {
    let missing: Vec<&str> = keys.iter().copied().filter(|k| p.get_nonempty(k).is_none()).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(bad(format!("Missing required parameter(s): {}", missing.join(", "))))
    }
}

fn req<'a>(p: &'a Params, key: &str) -> Result<&'a str, ApiErr> {
    p.get_nonempty(key).map(str::trim).ok_or_else(|| bad(format!("Missing required parameter(s): {key}")))
}

/// `values[%NAME%]=v` pairs, in the order sent.
fn values_of(p: &Params) -> Result<Vec<(String, String)>, ApiErr> {
    match p.nested.get("values") {
        None => Ok(Vec::new()),
        Some(Value::Object(m)) => {
            let mut out = Vec::new();
            // keep the order of the flat pairs (the map is sorted)
            let mut seen = std::collections::HashSet::new();
            for (k, _) in &p.flat {
                if let Some(rest) = k.strip_prefix("values[") {
                    let name = rest.split(']').next().unwrap_or("");
                    if seen.insert(name.to_string()) {
                        match m.get(name) {
                            Some(Value::String(s)) => out.push((name.to_string(), s.clone())),
                            Some(_) => {
                                return Err(bad(format!(
                                    "Provided value of field ({name}) must be a plain value"
                                )))
                            }
                            None => {}
                        }
                    }
                }
            }
            Ok(out)
        }
        Some(_) => Err(bad("Parameter (values) must be sent as values[%NAME%]=value")),
    }
}

fn template<'a>(s: &'a State, id: &str) -> Result<&'a Template, ApiErr> {
    s.template(id).ok_or_else(|| ApiErr(404, format!("Template ({id}) not found")))
}

fn field<'a>(t: &'a Template, name: &str) -> Result<&'a FieldDef, ApiErr> {
    t.field(name).ok_or_else(|| {
        let known: Vec<&str> = t.fields.iter().map(|f| f.name.as_str()).collect();
        bad(format!("Unknown variable ({name}) for template ({}); known: {}", t.id, known.join(" ")))
    })
}

fn check_values(t: &Template, vals: &[(String, String)]) -> Result<(), ApiErr> {
    for (k, v) in vals {
        let f = field(t, k)?;
        if !v.trim().is_empty() {
            f.check(v.trim()).map_err(bad)?;
        }
    }
    Ok(())
}

fn duplicated(value: &str, name: &str, ids: &[String]) -> ApiErr {
    ApiErr(
        409,
        format!(
            "Provided value ({value}) of field ({name}) is duplicated. Duplicated cards: {}",
            ids.join(" ")
        ),
    )
}

fn card_404() -> ApiErr {
    ApiErr(404, "Card not found".into())
}

fn card_json(s: &State, c: &Card, base: &str) -> String {
    ser(&s.card_out(c, base))
}

/// System fields that createcard/updatecard accept besides `values`.
struct System {
    phone_number: Option<String>,
    email: Option<String>,
    expiration_date: Option<String>,
    voided: Option<u8>,
    strip: Option<String>,
    logo: Option<String>,
    icon: Option<String>,
    import_uid: Option<String>,
}

fn system_fields(p: &Params) -> Result<System, ApiErr> {
    let s = |k: &str| p.get(k).map(|v| v.trim().to_string());
    let phone_number = s("phoneNumber");
    if let Some(v) = phone_number.as_deref().filter(|v| !v.is_empty()) {
        if !state::valid_phone(v) {
            return Err(bad(format!(
                "Provided value ({v}) of field (phoneNumber) is not a valid phone number"
            )));
        }
    }
    let email = s("email");
    if let Some(v) = email.as_deref().filter(|v| !v.is_empty()) {
        if !state::valid_email(v) {
            return Err(bad(format!("Provided value ({v}) of field (email) is not a valid e-mail")));
        }
    }
    let voided = match s("voided").filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match state::parse_flag(&v) {
            Some(b) => Some(b as u8),
            None => return Err(bad(format!("Provided value ({v}) of field (voided) must be 0 or 1"))),
        },
    };
    Ok(System {
        phone_number,
        email,
        expiration_date: s("expirationDate"),
        voided,
        strip: s("strip"),
        logo: s("logo"),
        icon: s("icon"),
        import_uid: s("importUid"),
    })
}

fn apply_system(c: &mut Card, sys: System) {
    if let Some(v) = sys.phone_number {
        c.phone_number = v;
    }
    if let Some(v) = sys.email {
        c.email = v;
    }
    if let Some(v) = sys.expiration_date {
        c.expiration_date = v;
    }
    if let Some(v) = sys.voided {
        c.voided = v;
    }
    if let Some(v) = sys.strip {
        c.strip = v;
    }
    if let Some(v) = sys.logo {
        c.logo = v;
    }
    if let Some(v) = sys.icon {
        c.icon = v;
    }
    if let Some(v) = sys.import_uid {
        c.import_uid = v;
    }
}

fn check_card_code(s: &State, code: &str, skip: Option<&str>) -> Result<(), ApiErr> {
    let ids: Vec<String> = s
        .cards
        .iter()
        .filter(|c| c.code == code && Some(c.id.as_str()) != skip)
        .map(|c| c.id.clone())
        .collect();
    if ids.is_empty() {
        Ok(())
    } else {
        Err(duplicated(code, "cardCode", &ids))
    }
}

fn positive(p: &Params, key: &str, default: u64) -> Result<u64, ApiErr> {
    match p.get_nonempty(key) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(bad(format!("Parameter ({key}) must be a positive integer, got ({v})"))),
        },
    }
}

/// Validates and applies an update of `values` and system fields to card `idx`.
fn apply_update(s: &mut State, idx: usize, vals: &[(String, String)], p: &Params) -> Result<(), ApiErr> {
    let card_id = s.cards[idx].id.clone();
    let t = template(s, &s.cards[idx].template_id)?.clone();
    check_values(&t, vals)?;
    let sys = system_fields(p)?;
    for (k, v) in vals {
        let f = field(&t, k)?;
        if f.unique {
            if v.trim().is_empty() {
                return Err(ApiErr(
                    500,
                    format!("Provided field ({}) is unique and must be set.", f.bare_name()),
                ));
            }
            let ids = s.cards_with_value(&t.id, f, v, Some(&card_id));
            if !ids.is_empty() {
                return Err(duplicated(v, &f.name, &ids));
            }
        }
    }
    let new_code = p.get_nonempty("cardCode").map(|c| c.trim().to_string());
    if let Some(code) = &new_code {
        check_card_code(s, code, Some(&card_id))?;
    }
    let c = &mut s.cards[idx];
    for (k, v) in vals {
        c.values.insert(k.clone(), v.clone());
    }
    if let Some(code) = new_code {
        c.code = code;
    }
    apply_system(c, sys);
    c.updated = state::now_stamp();
    Ok(())
}

/// Cards of `t` matching every given value; at least one of the variables must be unique.
fn find_by_values(s: &State, t: &Template, vals: &[(String, String)]) -> Result<Vec<usize>, ApiErr> {
    let mut any_unique = false;
    let mut fields = Vec::new();
    for (k, v) in vals {
        let f = field(t, k)?;
        any_unique |= f.unique;
        fields.push((f, v));
    }
    if !any_unique {
        let uniques: Vec<&str> = t.fields.iter().filter(|f| f.unique).map(|f| f.name.as_str()).collect();
        return Err(bad(format!(
            "A card is found by a unique variable ({}), not by {}",
            uniques.join(" "),
            vals.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(" ")
        )));
    }
    Ok(s.cards
        .iter()
        .enumerate()
        .filter(|(_, c)| c.template_id == t.id)
        .filter(|(_, c)| {
            fields.iter().all(|(f, v)| {
                c.values
                    .get(&f.name)
                    .is_some_and(|cv| !cv.trim().is_empty() && f.canonical(cv) == f.canonical(v))
            })
        })
        .map(|(i, _)| i)
        .collect())
}

// ---------------------------------------------------------------------------------------------
// oapi methods

#[derive(Serialize)]
struct UpdateOut<'a> {
    messages: Vec<String>,
    updated: bool,
    card: CardOut<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PageOut<'a> {
    page_count: u64,
    next_page: Option<u64>,
    previously_page: Option<u64>,
    cards_count: u64,
    cards: Vec<CardOut<'a>>,
}

fn oapi(shared: &Shared, s: &mut State, base: &str, name: &str, p: &Params) -> Res {
    match name {
        "getatoken" => {
            require(p, &["nickname", "password"])?;
            let (n, pw) = (p.get("nickname").unwrap_or(""), p.get("password").unwrap_or(""));
            if n == shared.config.nickname && pw == shared.config.password {
                Ok(ser(&json!({ "token": shared.config.token })))
            } else {
                Err(ApiErr(401, "Wrong nickname or password".into()))
            }
        }
        "getlisttemplates" => {
            let list: Vec<Value> =
                s.templates.iter().map(|t| json!({"templateId": t.id, "title": t.title})).collect();
            Ok(ser(&list))
        }
        "gettemplate" => {
            let t = template(s, req(p, "templateId")?)?;
            Ok(ser(&s.template_out(t)))
        }
        "gettemplates" => {
            let list: Vec<_> = s.templates.iter().map(|t| s.template_out(t)).collect();
            Ok(ser(&list))
        }
        "createcard" => createcard(s, base, p),
        "getcard" => {
            let idx = if let Some(id) = p.get_nonempty("cardId") {
                s.card_index(id.trim()).ok_or_else(card_404)?
            } else if let Some(code) = p.get_nonempty("cardCode") {
                let tid = p.get_nonempty("templateId");
                s.cards
                    .iter()
                    .position(|c| c.code == code.trim() && tid.is_none_or(|t| t == c.template_id))
                    .ok_or_else(card_404)?
            } else if let Some(tid) = p.get_nonempty("templateId") {
                let t = template(s, tid.trim())?;
                let vals = values_of(p)?;
                if vals.is_empty() {
                    return Err(bad("Missing required parameter(s): values[%VAR%] (or cardId, or cardCode)"));
                }
                let found = find_by_values(s, t, &vals)?;
                match found.len() {
                    0 => return Err(card_404()),
                    1 => found[0],
                    _ => {
                        let ids: Vec<String> = found.iter().map(|&i| s.cards[i].id.clone()).collect();
                        return Err(duplicated(&vals[0].1, &vals[0].0, &ids));
                    }
                }
            } else {
                return Err(bad(
                    "Missing required parameter(s): cardId, or cardCode, or templateId and values[%VAR%]",
                ));
            };
            Ok(card_json(s, &s.cards[idx], base))
        }
        "updatecard" => {
            let id = req(p, "cardId")?;
            let idx = s.card_index(id).ok_or_else(card_404)?;
            let vals = values_of(p)?;
            apply_update(s, idx, &vals, p)?;
            let out = UpdateOut { messages: vec![], updated: true, card: s.card_out(&s.cards[idx], base) };
            Ok(ser(&out))
        }
        "updatecards" => {
            let vals = values_of(p)?;
            let idx = if let Some(id) = p.get_nonempty("cardId") {
                s.card_index(id.trim()).ok_or_else(card_404)?
            } else if let Some(code) = p.get_nonempty("cardCode") {
                s.cards.iter().position(|c| c.code == code.trim()).ok_or_else(card_404)?
            } else if let Some(tid) = p.get_nonempty("templateId") {
                let t = template(s, tid.trim())?;
                check_values(t, &vals)?;
                let keys: Vec<(String, String)> =
                    vals.iter().filter(|(k, _)| t.field(k).is_some_and(|f| f.unique)).cloned().collect();
                if keys.is_empty() {
                    return Err(bad(
                        "updatecards by templateId needs a unique variable in values[...] to find the card",
                    ));
                }
                let found = find_by_values(s, t, &keys)?;
                match found.len() {
                    0 => return Err(card_404()),
                    1 => found[0],
                    _ => {
                        let ids: Vec<String> = found.iter().map(|&i| s.cards[i].id.clone()).collect();
                        return Err(duplicated(&keys[0].1, &keys[0].0, &ids));
                    }
                }
            } else {
                return Err(bad("Missing required parameter(s): cardId, or cardCode, or templateId and a unique values[%VAR%]"));
            };
            apply_update(s, idx, &vals, p)?;
            Ok(ser(&json!({"messages": [], "updated": 1, "processed": 1})))
        }
        "getcardswithpagination" => {
            let t = template(s, req(p, "templateId")?)?;
            let page = positive(p, "page", 1)?;
            let per = positive(p, "perPage", 50)?.min(50);
            let cards: Vec<&Card> = s.cards.iter().filter(|c| c.template_id == t.id).collect();
            let count = cards.len() as u64;
            let page_count = count.div_ceil(per);
            let start = ((page - 1).saturating_mul(per)).min(count) as usize;
            let end = (start + per as usize).min(cards.len());
            let out = PageOut {
                page_count,
                next_page: if page < page_count { Some(page + 1) } else { None },
                previously_page: if page > 1 && page_count > 0 {
                    Some((page - 1).min(page_count))
                } else {
                    None
                },
                cards_count: count,
                cards: cards[start..end].iter().map(|c| s.card_out(c, base)).collect(),
            };
            Ok(ser(&out))
        }
        "checkvariablevalue" => {
            let t = template(s, req(p, "templateId")?)?;
            let vals = values_of(p)?;
            if vals.is_empty() {
                return Err(bad("Missing required parameter(s): values[%VAR%]"));
            }
            let mut ids: Vec<String> = Vec::new();
            for (k, v) in &vals {
                let f = field(t, k)?;
                if v.trim().is_empty() {
                    continue;
                }
                for id in s.cards_with_value(&t.id, f, v, None) {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            Ok(ser(&json!({"unique": ids.is_empty(), "cardsIds": ids})))
        }
        "distribute" => {
            require(p, &["cardId", "type"])?;
            let kind = req(p, "type")?.to_ascii_lowercase();
            if kind != "sms" && kind != "email" {
                return Err(bad(format!("Parameter (type) must be sms or email, got ({kind})")));
            }
            let idx = s.card_index(req(p, "cardId")?).ok_or_else(card_404)?;
            let out = s.card_out(&s.cards[idx], base);
            let out = serde_json::to_value(&out).unwrap_or(Value::Null);
            let has = |k: &str| out.get(k).and_then(Value::as_str).is_some_and(|v| !v.is_empty());
            if kind == "sms" && !has("phoneNumber") {
                return Err(bad("The card has no phone number to send an SMS to"));
            }
            if kind == "email" && !has("email") {
                return Err(bad("The card has no e-mail to send to"));
            }
            Ok("true".into())
        }
        "deletecard" => {
            let id = req(p, "cardId")?;
            let n = match s.card_index(id) {
                Some(i) => {
                    s.cards.remove(i);
                    1
                }
                None => 0,
            };
            Ok(ser(&json!({"n": n, "ok": 1, "err": null, "errmsg": null})))
        }
        "getcards" => {
            let t = template(s, req(p, "templateId")?)?;
            let list: Vec<CardOut> =
                s.cards.iter().filter(|c| c.template_id == t.id).map(|c| s.card_out(c, base)).collect();
            Ok(ser(&list))
        }
        "sendpush" => {
            require(p, &["templateId", "message"])?;
            template(s, req(p, "templateId")?)?;
            Ok("true".into())
        }
        _ => Err(ApiErr(404, format!("Method ({name}) not found"))),
    }
}

fn createcard(s: &mut State, base: &str, p: &Params) -> Res {
    let t = template(s, req(p, "templateId")?)?.clone();
    let vals = values_of(p)?;
    check_values(&t, &vals)?;
    let sys = system_fields(p)?;
    let given: BTreeMap<&str, &str> = vals.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for f in t.fields.iter().filter(|f| f.unique) {
        if given.get(f.name.as_str()).is_none_or(|v| v.trim().is_empty()) {
            return Err(ApiErr(
                500,
                format!("Provided field ({}) is unique and must be set.", f.bare_name()),
            ));
        }
    }
    for f in t.fields.iter().filter(|f| f.unique) {
        let v = given[f.name.as_str()];
        let ids = s.cards_with_value(&t.id, f, v, None);
        if !ids.is_empty() {
            return Err(duplicated(v, &f.name, &ids));
        }
    }
    let code = match p.get_nonempty("cardCode") {
        Some(c) => {
            check_card_code(s, c.trim(), None)?;
            c.trim().to_string()
        }
        None => s.next_card_code(),
    };
    let stamp = state::now_stamp();
    let mut card = Card {
        id: state::new_id(),
        code,
        template_id: t.id.clone(),
        values: vals.into_iter().collect(),
        phone_number: String::new(),
        email: String::new(),
        expiration_date: String::new(),
        voided: 0,
        strip: String::new(),
        logo: String::new(),
        icon: String::new(),
        import_uid: String::new(),
        created: stamp.clone(),
        updated: stamp,
    };
    apply_system(&mut card, sys);
    s.cards.push(card);
    let c = s.cards.last().expect("just pushed");
    Ok(card_json(s, c, base))
}

// ---------------------------------------------------------------------------------------------
// REST: sales and products

fn number_param(p: &Params, key: &str) -> Result<Option<Value>, ApiErr> {
    match p.get_nonempty(key) {
        None => Ok(None),
        Some(v) => state::parse_number(v)
            .map(|n| Some(state::number_value(n)))
            .ok_or_else(|| bad(format!("Parameter ({key}) must be a number, got ({v})"))),
    }
}

fn sale_products(p: &Params) -> Result<Option<Vec<SaleProduct>>, ApiErr> {
    let items: Vec<Value> = match p.nested.get("products") {
        None => return Ok(None),
        Some(Value::Array(a)) => a.clone(),
        Some(Value::String(s)) if s.trim().is_empty() => Vec::new(),
        Some(_) => return Err(bad("Parameter (products) must be sent as products[i][name]=...")),
    };
    let mut out = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let Some(o) = it.as_object() else {
            return Err(bad(format!("products[{i}] must have _id, name, quantity, price")));
        };
        let get = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").trim().to_string();
        let num = |k: &str| -> Result<Value, ApiErr> {
            let v = get(k);
            if v.is_empty() {
                return Ok(json!(0));
            }
            state::parse_number(&v)
                .map(state::number_value)
                .ok_or_else(|| bad(format!("products[{i}][{k}] must be a number, got ({v})")))
        };
        let id = get("_id");
        out.push(SaleProduct {
            id: if id.is_empty() { state::new_id() } else { id },
            name: get("name"),
            quantity: num("quantity")?,
            price: num("price")?,
        });
    }
    Ok(Some(out))
}

fn rest(s: &mut State, verb: &str, op: &str, p: &Params) -> Res {
    match (op, verb) {
        ("sale", "GET") => {
            let id = req(p, "id")?;
            let sale = s
                .sales
                .iter()
                .find(|x| x.id == id)
                .ok_or_else(|| ApiErr(404, format!("Sale ({id}) not found")))?;
            Ok(ser(sale))
        }
        ("sale", "PUT") => {
            let id = req(p, "id")?.to_string();
            let enum_param = |key: &str, allowed: &[&str]| -> Result<Option<String>, ApiErr> {
                match p.get_nonempty(key) {
                    None => Ok(None),
                    Some(v) if allowed.contains(&v.trim()) => Ok(Some(v.trim().to_string())),
                    Some(v) => {
                        Err(bad(format!("Parameter ({key}) must be one of {}, got ({v})", allowed.join("|"))))
                    }
                }
            };
            let payment_type = enum_param("paymentType", &["CARD", "CASH"])?;
            let payment_status = enum_param("paymentStatus", &["DRAFT", "PAID"])?;
            let total_price = match p.get_nonempty("totalPrice") {
                None => None,
                Some(v) => Some(
                    v.trim()
                        .parse::<i64>()
                        .map_err(|_| bad(format!("Parameter (totalPrice) must be an integer, got ({v})")))?,
                ),
            };
            let products = sale_products(p)?;
            let stamp = state::now_stamp();
            let idx = match s.sales.iter().position(|x| x.id == id) {
                Some(i) => i,
                None => {
                    s.sales.push(Sale {
                        id: id.clone(),
                        title: String::new(),
                        payment_type: "CARD".into(),
                        payment_status: "DRAFT".into(),
                        total_price: 0,
                        card_id: String::new(),
                        products: Vec::new(),
                        client_name: String::new(),
                        created: stamp.clone(),
                        updated: stamp.clone(),
                    });
                    s.sales.len() - 1
                }
            };
            let sale = &mut s.sales[idx];
            if let Some(v) = p.get("title") {
                sale.title = v.to_string();
            }
            if let Some(v) = payment_type {
                sale.payment_type = v;
            }
            if let Some(v) = payment_status {
                sale.payment_status = v;
            }
            if let Some(v) = total_price {
                sale.total_price = v;
            }
            if let Some(v) = p.get("cardId") {
                sale.card_id = v.trim().to_string();
            }
            if let Some(v) = products {
                sale.products = v;
            }
            if let Some(v) = p.get("clientName") {
                sale.client_name = v.to_string();
            }
            sale.updated = stamp;
            Ok(ser(&*sale))
        }
        ("sale", "DELETE") => {
            let id = req(p, "id")?;
            let i = s
                .sales
                .iter()
                .position(|x| x.id == id)
                .ok_or_else(|| ApiErr(404, format!("Sale ({id}) not found")))?;
            s.sales.remove(i);
            Ok("true".into())
        }
        ("product", "POST") => {
            require(p, &["companyId", "name", "price"])?;
            let price = number_param(p, "price")?.unwrap_or(json!(0));
            let prod = Product {
                id: state::new_id(),
                company_id: req(p, "companyId")?.to_string(),
                name: p.get("name").unwrap_or("").to_string(),
                price,
            };
            s.products.push(prod);
            Ok(ser(s.products.last().expect("pushed")))
        }
        ("product", "PUT") => {
            let id = req(p, "id")?;
            let price = number_param(p, "price")?;
            let prod = s
                .products
                .iter_mut()
                .find(|x| x.id == id)
                .ok_or_else(|| ApiErr(404, format!("Product ({id}) not found")))?;
            if let Some(n) = p.get_nonempty("name") {
                prod.name = n.to_string();
            }
            if let Some(v) = price {
                prod.price = v;
            }
            Ok(ser(&*prod))
        }
        ("product", "DELETE") => {
            let id = req(p, "id")?;
            let i = s
                .products
                .iter()
                .position(|x| x.id == id)
                .ok_or_else(|| ApiErr(404, format!("Product ({id}) not found")))?;
            s.products.remove(i);
            Ok("true".into())
        }
        ("products", _) => {
            let company = req(p, "companyId")?;
            let page = positive(p, "page", 1)?;
            let per = positive(p, "perPage", 20)?.min(100);
            let list: Vec<&Product> = s.products.iter().filter(|x| x.company_id == company).collect();
            let count = list.len() as u64;
            let page_count = count.div_ceil(per);
            let start = ((page - 1).saturating_mul(per)).min(count) as usize;
            let end = (start + per as usize).min(list.len());
            #[derive(Serialize)]
            #[serde(rename_all = "camelCase")]
            struct Out<'a> {
                page_count: u64,
                page: u64,
                products: &'a [&'a Product],
            }
            Ok(ser(&Out { page_count, page, products: &list[start..end] }))
        }
        _ => Err(ApiErr(405, "Method not allowed".into())),
    }
}

// ---------------------------------------------------------------------------------------------
// fault replies and the card page

/// The reply of a `status` fault: an HTML page for 502/503/504 (like a real proxy), else the envelope.
pub fn status_fault_reply(
    shared: &Shared,
    status: u16,
    message: Option<&str>,
    body: Option<&str>,
    p: &Params,
) -> Reply {
    if let Some(b) = body {
        let ct = if b.trim_start().starts_with('{') || b.trim_start().starts_with('[') {
            "application/json; charset=utf-8"
        } else {
            "text/html; charset=utf-8"
        };
        return Reply { status, content_type: ct, body: b.as_bytes().to_vec() };
    }
    if let Some(m) = message {
        return envelope_err(status, m);
    }
    match status {
        502..=504 => {
            let reason = crate::server::reason(status);
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
            envelope_err(409, &duplicated(&value, &name, &[state::new_id()]).1)
        }
        429 => {
            let n = shared.lock().quota.per_hour.unwrap_or(30000);
            envelope_err(429, &quota_message(n))
        }
        _ => envelope_err(status, crate::server::reason(status)),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `GET /c/{cardId}[/apple|/google|/qr]`: a tiny page standing for the card download page.
pub fn card_page(shared: &Shared, path: &str) -> Reply {
    let id = path.trim_start_matches("/c/").split('/').next().unwrap_or("");
    let core = shared.lock();
    let Some(c) = core.state.cards.iter().find(|c| c.id == id) else {
        return Reply::html(404, "<html><body><h1>Card not found</h1></body></html>".into());
    };
    let title = core.state.template(&c.template_id).map(|t| t.title.clone()).unwrap_or_default();
    let mut rows = String::new();
    for (k, v) in &c.values {
        rows.push_str(&format!("<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(v)));
    }
    Reply::html(
        200,
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head><body>\
             <h1>{t}</h1><p>Card <b>{code}</b> ({id}) &mdash; Passteam sandbox</p><table>{rows}</table></body></html>",
            t = esc(&title),
            code = esc(&c.code),
            id = esc(&c.id),
        ),
    )
}
