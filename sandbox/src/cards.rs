//! Cards: create, find (by id, code or unique values), update, page through, check, distribute, delete.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use crate::args::{positive, req, require, values};
use crate::envelope::{bad, duplicated, ser, unique_must_be_set, ApiErr, Res};
use crate::form::Params;
use crate::lookup::{self, card_not_found};
use crate::paging::Page;
use crate::state::{self, Card, CardOut, State, Template};
use crate::templates::{check_values, field, template};

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

fn card_json(s: &State, c: &Card, base: &str) -> String {
    ser(&s.card_out(c, base))
}

/// The index of the card with that id (trimmed), or the card 404.
fn by_id(s: &State, id: &str) -> Result<usize, ApiErr> {
    lookup::index_of(&s.cards, id.trim())
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
                return Err(unique_must_be_set(f.bare_name()));
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

/// The one card of `t` matching every given value; at least one of the variables must be unique. None is a
/// 404, several a 409 naming them.
fn single_by_values(s: &State, t: &Template, vals: &[(String, String)]) -> Result<usize, ApiErr> {
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
    let found: Vec<usize> = s
        .cards
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
        .collect();
    match found.len() {
        0 => Err(card_not_found()),
        1 => Ok(found[0]),
        _ => {
            let ids: Vec<String> = found.iter().map(|&i| s.cards[i].id.clone()).collect();
            Err(duplicated(&vals[0].1, &vals[0].0, &ids))
        }
    }
}

/// `createcard`
pub fn create(s: &mut State, base: &str, p: &Params) -> Res {
    let t = template(s, req(p, "templateId")?)?.clone();
    let vals = values(p)?;
    check_values(&t, &vals)?;
    let sys = system_fields(p)?;
    let given: BTreeMap<&str, &str> = vals.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for f in t.fields.iter().filter(|f| f.unique) {
        if given.get(f.name.as_str()).is_none_or(|v| v.trim().is_empty()) {
            return Err(unique_must_be_set(f.bare_name()));
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

/// `getcard`: by `cardId`, by `cardCode` (optionally within `templateId`), or by `templateId` and values.
pub fn get(s: &State, base: &str, p: &Params) -> Res {
    let idx = if let Some(id) = p.get_nonempty("cardId") {
        by_id(s, id)?
    } else if let Some(code) = p.get_nonempty("cardCode") {
        let tid = p.get_nonempty("templateId");
        s.cards
            .iter()
            .position(|c| c.code == code.trim() && tid.is_none_or(|t| t == c.template_id))
            .ok_or_else(card_not_found)?
    } else if let Some(tid) = p.get_nonempty("templateId") {
        let t = template(s, tid.trim())?;
        let vals = values(p)?;
        if vals.is_empty() {
            return Err(bad("Missing required parameter(s): values[%VAR%] (or cardId, or cardCode)"));
        }
        single_by_values(s, t, &vals)?
    } else {
        return Err(bad(
            "Missing required parameter(s): cardId, or cardCode, or templateId and values[%VAR%]",
        ));
    };
    Ok(card_json(s, &s.cards[idx], base))
}

#[derive(Serialize)]
struct UpdateOut<'a> {
    messages: Vec<String>,
    updated: bool,
    card: CardOut<'a>,
}

/// `updatecard`
pub fn update(s: &mut State, base: &str, p: &Params) -> Res {
    let idx = by_id(s, req(p, "cardId")?)?;
    let vals = values(p)?;
    apply_update(s, idx, &vals, p)?;
    let out = UpdateOut { messages: vec![], updated: true, card: s.card_out(&s.cards[idx], base) };
    Ok(ser(&out))
}

/// `updatecards`: one card found by `cardId`, `cardCode`, or `templateId` and a unique variable.
pub fn update_found(s: &mut State, p: &Params) -> Res {
    let vals = values(p)?;
    let idx = if let Some(id) = p.get_nonempty("cardId") {
        by_id(s, id)?
    } else if let Some(code) = p.get_nonempty("cardCode") {
        s.cards.iter().position(|c| c.code == code.trim()).ok_or_else(card_not_found)?
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
        single_by_values(s, t, &keys)?
    } else {
        return Err(bad(
            "Missing required parameter(s): cardId, or cardCode, or templateId and a unique values[%VAR%]",
        ));
    };
    apply_update(s, idx, &vals, p)?;
    Ok(ser(&json!({"messages": [], "updated": 1, "processed": 1})))
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

/// `getcardswithpagination`: at most 50 a page.
pub fn page(s: &State, base: &str, p: &Params) -> Res {
    let t = template(s, req(p, "templateId")?)?;
    let page = positive(p, "page", 1)?;
    let per = positive(p, "perPage", 50)?.min(50);
    let cards: Vec<&Card> = s.cards.iter().filter(|c| c.template_id == t.id).collect();
    let at = Page::of(cards.len(), page, per);
    let out = PageOut {
        page_count: at.page_count,
        next_page: if page < at.page_count { Some(page + 1) } else { None },
        previously_page: if page > 1 && at.page_count > 0 {
            Some((page - 1).min(at.page_count))
        } else {
            None
        },
        cards_count: cards.len() as u64,
        cards: cards[at.start..at.end].iter().map(|c| s.card_out(c, base)).collect(),
    };
    Ok(ser(&out))
}

/// `checkvariablevalue`: which cards already hold any of the values.
pub fn check_value(s: &State, p: &Params) -> Res {
    let t = template(s, req(p, "templateId")?)?;
    let vals = values(p)?;
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

/// `distribute`: accepted when the card has somewhere to send to (nothing is sent anywhere).
pub fn distribute(s: &State, base: &str, p: &Params) -> Res {
    require(p, &["cardId", "type"])?;
    let kind = req(p, "type")?.to_ascii_lowercase();
    if kind != "sms" && kind != "email" {
        return Err(bad(format!("Parameter (type) must be sms or email, got ({kind})")));
    }
    let idx = lookup::index_of(&s.cards, req(p, "cardId")?)?;
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

/// `deletecard`: a MongoDB-style result; an unknown id deletes nothing (`n: 0`), it is not an error.
pub fn delete(s: &mut State, p: &Params) -> Res {
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

/// `getcards`: every card of a template.
pub fn all(s: &State, base: &str, p: &Params) -> Res {
    let t = template(s, req(p, "templateId")?)?;
    let list: Vec<CardOut> =
        s.cards.iter().filter(|c| c.template_id == t.id).map(|c| s.card_out(c, base)).collect();
    Ok(ser(&list))
}
