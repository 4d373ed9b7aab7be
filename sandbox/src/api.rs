//! One API request, start to end: verb check, auth, quota, then the resource module that owns the
//! operation. The order of checks is the vendor's (see the crate docs).

use serde_json::json;

use crate::args::require;
use crate::envelope::{envelope_err, envelope_ok, ser, ApiErr, Res};
use crate::form::Params;
use crate::http::Reply;
use crate::routes::{rest_verbs, Route};
use crate::shared::Shared;
use crate::state::State;
use crate::{cards, products, sales, templates};

/// Handles one API request completely (auth, quota, state change), under the lock.
pub fn handle(shared: &Shared, verb: &str, route: &Route, p: &Params, auth_ok: bool) -> Reply {
    let verb = verb.to_ascii_uppercase();
    match route {
        Route::NotFound => return envelope_err(404, "Not found"),
        Route::UnknownMethod(name) => return envelope_err(404, &format!("Method ({name}) not found")),
        Route::Oapi(_) if verb != "POST" => return envelope_err(405, "Method not allowed: use POST"),
        Route::Rest(op) => {
            let allowed = rest_verbs(op);
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
    if let Some(r) = core.quota.check() {
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
        Err(e) => e.into_reply(),
    }
}

/// `getatoken`: the configured token for the configured credentials.
fn get_token(shared: &Shared, p: &Params) -> Res {
    require(p, &["nickname", "password"])?;
    let (n, pw) = (p.get("nickname").unwrap_or(""), p.get("password").unwrap_or(""));
    if n == shared.config.nickname && pw == shared.config.password {
        Ok(ser(&json!({ "token": shared.config.token })))
    } else {
        Err(ApiErr(401, "Wrong nickname or password".into()))
    }
}

fn oapi(shared: &Shared, s: &mut State, base: &str, name: &str, p: &Params) -> Res {
    match name {
        "getatoken" => get_token(shared, p),
        "getlisttemplates" => templates::list(s),
        "gettemplate" => templates::get(s, p),
        "gettemplates" => templates::all(s),
        "sendpush" => templates::send_push(s, p),
        "createcard" => cards::create(s, base, p),
        "getcard" => cards::get(s, base, p),
        "updatecard" => cards::update(s, base, p),
        "updatecards" => cards::update_found(s, p),
        "getcardswithpagination" => cards::page(s, base, p),
        "checkvariablevalue" => cards::check_value(s, p),
        "distribute" => cards::distribute(s, base, p),
        "deletecard" => cards::delete(s, p),
        "getcards" => cards::all(s, base, p),
        _ => Err(ApiErr(404, format!("Method ({name}) not found"))),
    }
}

fn rest(s: &mut State, verb: &str, op: &str, p: &Params) -> Res {
    match (op, verb) {
        ("sale", "GET") => sales::get(s, p),
        ("sale", "PUT") => sales::put(s, p),
        ("sale", "DELETE") => sales::delete(s, p),
        ("product", "POST") => products::create(s, p),
        ("product", "PUT") => products::update(s, p),
        ("product", "DELETE") => products::delete(s, p),
        ("products", _) => products::list(s, p),
        _ => Err(ApiErr(405, "Method not allowed".into())),
    }
}
