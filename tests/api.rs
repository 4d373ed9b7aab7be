//! Every operation of the method table against the sandbox, over real HTTP, in both body encodings;
//! every status code and the error object's fields.

use passteam::{Client, Config, Status};
use passteam_sandbox::{
    Fault, Sandbox, SandboxConfig, COMPANY_ID, SEED_SALE_ID, TEMPLATE_GIFT, TEMPLATE_LOYALTY,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).expect("sandbox starts")
}

fn client_with(sb: &Sandbox, extra: Value) -> Client {
    let mut config = json!({
        "token": sb.token(),
        "base_url": sb.base_url(),
        "timeout_ms": 5000,
        "retry_base_delay_ms": 5,
        "retry_max_delay_ms": 20,
    });
    for (k, v) in extra.as_object().expect("object") {
        config[k] = v.clone();
    }
    Client::new(Config::from_json(config.as_object().unwrap()).expect("valid config")).expect("client")
}

fn client(sb: &Sandbox) -> Client {
    client_with(sb, json!({}))
}

fn phone(n: u32) -> String {
    format!("+7916{:07}", 3_000_000 + n)
}

/// The sandbox's log of one method, the latest first.
fn logged(sb: &Sandbox, method: &str) -> Vec<passteam_sandbox::RecordedRequest> {
    let mut log: Vec<_> = sb.requests().into_iter().filter(|r| r.method == method).collect();
    log.reverse();
    log
}

fn every_oapi_method(encoding: &str) {
    let sb = sandbox();
    let c = client_with(&sb, json!({ "body_encoding": encoding }));

    let token = c.get_a_token(json!({"nickname": "demo", "password": "demo"})).unwrap();
    let token = token.get("token").unwrap_or(&token).as_str().unwrap().to_owned();
    assert_eq!(token, sb.token());
    let req = &logged(&sb, "getatoken")[0];
    assert!(!req.has_authorization, "getatoken is sent without Authorization");

    let list = c.get_list_templates(json!({})).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["templateId"].as_str().unwrap_or_else(|| t.as_str().unwrap()))
        .collect();
    assert!(ids.contains(&TEMPLATE_LOYALTY) && ids.contains(&TEMPLATE_GIFT), "{list}");

    let template = c.get_template(json!({"templateId": TEMPLATE_LOYALTY})).unwrap();
    assert_eq!(template["templateId"], TEMPLATE_LOYALTY);
    assert!(template["fields"].as_array().unwrap().iter().any(|f| f["name"] == "%PHONE%"));

    // Variables written with and without % arrive as values[%NAME%].
    let card = c
        .create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(1), "%CLIENT_NAME%": "Анна", "BONUS": 10, "SUBSCRIBED": true}}))
        .unwrap();
    let card_id = card["cardId"].as_str().unwrap().to_owned();
    let card_code = card["cardCode"].as_str().unwrap().to_owned();
    assert_eq!(card_id.len(), 24);
    assert_eq!(card["values"]["%CLIENT_NAME%"], "Анна");
    assert_eq!(card["values"]["%BONUS%"], "10");
    let req = &logged(&sb, "createcard")[0];
    assert_eq!(req.content_type, encoding);
    assert!(req.auth_ok, "raw token in Authorization");
    assert_eq!(req.fields.get("values[%PHONE%]").map(String::as_str), Some(phone(1).as_str()));
    assert_eq!(req.fields.get("values[%SUBSCRIBED%]").map(String::as_str), Some("true"));

    for query in [
        json!({"cardId": card_id}),
        json!({"cardCode": card_code}),
        json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(1)}}),
    ] {
        assert_eq!(c.get_card(query.clone()).unwrap()["cardId"], card_id.as_str(), "{query}");
    }

    let updated = c.update_card(json!({"cardId": card_id, "values": {"BONUS": 75}})).unwrap();
    assert_eq!(updated["updated"], true);
    assert_eq!(updated["card"]["values"]["%BONUS%"], "75");
    assert_eq!(updated["card"]["values"]["%CLIENT_NAME%"], "Анна", "values not sent are kept");

    for i in 2..=4 {
        c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(i)}})).unwrap();
    }
    let page = c
        .get_cards_with_pagination(json!({"templateId": TEMPLATE_LOYALTY, "page": 2, "perPage": 3}))
        .unwrap();
    assert_eq!(page["cardsCount"], 4);
    assert_eq!(page["pageCount"], 2);
    assert_eq!(page["cards"].as_array().unwrap().len(), 1);
    assert_eq!(page["previouslyPage"], 1);
    assert!(page["nextPage"].is_null());

    let taken = c
        .check_variable_value(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(1)}}))
        .unwrap();
    assert_eq!(taken["unique"], false);
    assert_eq!(taken["cardsIds"], json!([card_id]));
    let free = c
        .check_variable_value(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(99)}}))
        .unwrap();
    assert_eq!(free["unique"], true);

    assert_eq!(c.distribute(json!({"cardId": card_id, "type": "sms"})).unwrap(), json!(true));
    assert_eq!(logged(&sb, "distribute")[0].fields.get("type").map(String::as_str), Some("sms"));

    let many = c.update_cards(json!({"cardId": card_id, "values": {"LEVEL": "Gold"}})).unwrap();
    assert_eq!(many["updated"], 1);
    assert_eq!(c.get_card(json!({"cardId": card_id})).unwrap()["values"]["%LEVEL%"], "Gold");

    let templates = c.get_templates(json!({})).unwrap();
    assert_eq!(templates.as_array().unwrap().len(), 2);
    let cards = c.get_cards(json!({"templateId": TEMPLATE_LOYALTY})).unwrap();
    assert_eq!(cards.as_array().unwrap().len(), 4);

    assert_eq!(
        c.send_push(json!({"templateId": TEMPLATE_LOYALTY, "message": "Двойные баллы в субботу ☕"}))
            .unwrap(),
        json!(true)
    );
    assert_eq!(
        logged(&sb, "sendpush")[0].fields.get("message").map(String::as_str),
        Some("Двойные баллы в субботу ☕")
    );

    let deleted = c.delete_card(json!({"cardId": card_id})).unwrap();
    assert_eq!(deleted["n"], 1);
    assert_eq!(c.delete_card(json!({"cardId": card_id})).unwrap()["n"], 0);
    assert_eq!(c.get_card(json!({"cardId": card_id})).unwrap_err().status, Status::NotFound);
}

#[test]
fn every_oapi_method_multipart() {
    every_oapi_method("multipart");
}

#[test]
fn every_oapi_method_urlencoded() {
    every_oapi_method("urlencoded");
}

#[test]
fn sales_and_products_use_their_verbs() {
    let sb = sandbox();
    let c = client(&sb);
    let sale = c.get_sale(json!({"id": SEED_SALE_ID})).unwrap();
    assert_eq!(sale["id"].as_str().or(sale["_id"].as_str()), Some(SEED_SALE_ID), "{sale}");
    let get = sb.requests().into_iter().last().unwrap();
    assert_eq!((get.verb.as_str(), get.content_type.as_str()), ("GET", "none"));
    assert_eq!(get.fields.get("id").map(String::as_str), Some(SEED_SALE_ID));

    let product =
        c.create_product(json!({"companyId": COMPANY_ID, "name": "Капучино", "price": 250})).unwrap();
    let product_id = product["_id"].as_str().or(product["id"].as_str()).unwrap().to_owned();
    let written = c
        .update_sale(json!({
            "id": "sale-42", "title": "Чек 42", "paymentType": "CARD", "paymentStatus": "PAID", "totalPrice": 500,
            "products": [{"_id": product_id, "name": "Капучино", "quantity": 2, "price": 250}], "clientName": "Анна"
        }))
        .unwrap();
    assert_eq!(written["totalPrice"].to_string().trim_matches('"'), "500", "{written}");
    let put = sb.requests().into_iter().last().unwrap();
    assert_eq!(put.verb, "PUT");
    assert_eq!(put.fields.get("products[0][quantity]").map(String::as_str), Some("2"));
    assert_eq!(c.get_sale(json!({"id": "sale-42"})).unwrap()["title"], "Чек 42");

    let renamed = c.update_product(json!({"id": product_id, "name": "Латте", "price": 270})).unwrap();
    assert_eq!(renamed["name"], "Латте");
    let listed = c.list_products(json!({"companyId": COMPANY_ID, "page": 1, "perPage": 10})).unwrap();
    assert!(listed["products"].as_array().unwrap().iter().any(|p| p["name"] == "Латте"), "{listed}");
    c.delete_product(json!({"id": product_id})).unwrap();
    assert_eq!(sb.requests().into_iter().last().unwrap().verb, "DELETE");
    c.delete_sale(json!({"id": "sale-42"})).unwrap();
    assert_eq!(c.get_sale(json!({"id": "sale-42"})).unwrap_err().status, Status::NotFound);

    let e = c.update_sale(json!({"id": "x", "paymentType": "BARTER"})).unwrap_err();
    assert_eq!(e.status, Status::Validation, "enums are checked before sending");
}

#[test]
fn rest_endpoints_are_configurable() {
    let sb = sandbox();
    let c = client_with(&sb, json!({"endpoints": {"getsale": {"path": "/somewhere/else", "verb": "POST"}}}));
    let e = c.get_sale(json!({"id": SEED_SALE_ID})).unwrap_err();
    assert_eq!(e.status, Status::NotFound);
    let req = sb.requests().into_iter().last().unwrap();
    assert_eq!((req.verb.as_str(), req.path.as_str()), ("POST", "/somewhere/else"));
}

#[test]
fn scenarios_issue_and_update() {
    let sb = sandbox();
    let c = client(&sb);
    let first = c
        .issue_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(7), "BONUS": 0}}))
        .unwrap();
    assert_eq!(first["created"], true);
    let typed: passteam::models::IssuedCard = c
        .call_as("issueCard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(7)}}))
        .unwrap();
    assert!(!typed.created);
    assert_eq!(typed.card.card_id, first["card"]["cardId"].as_str().unwrap());
    assert_eq!(typed.card.value("PHONE"), Some(phone(7).as_str()));
    let page: passteam::models::CardsPage =
        c.call_as("getCardsWithPagination", json!({"templateId": TEMPLATE_LOYALTY})).unwrap();
    assert_eq!(page.cards.len(), 1);
    let e = c
        .call_as::<Vec<passteam::models::Card>>("getCard", json!({"cardId": first["card"]["cardId"]}))
        .unwrap_err();
    assert_eq!(e.status, Status::Protocol, "a card is not a list of cards");
    let again = c
        .issue_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(7), "BONUS": 0}}))
        .unwrap();
    assert_eq!(again["created"], false);
    assert_eq!(again["card"]["cardId"], first["card"]["cardId"]);
    let by_id = c.issue_card(json!({"cardId": first["card"]["cardId"]})).unwrap();
    assert_eq!(by_id["created"], false);
    let gift = c.issue_card(json!({"templateId": TEMPLATE_GIFT, "uniqueVariable": "CODE", "values": {"CODE": "G-1", "AMOUNT": 1000}})).unwrap();
    assert_eq!(gift["created"], true);

    let updated = c
        .update_client(
            json!({"templateId": TEMPLATE_LOYALTY, "find": {"PHONE": phone(7)}, "values": {"BONUS": 120}}),
        )
        .unwrap();
    assert_eq!(updated["card"]["values"]["%BONUS%"], "120");
    let by_code =
        c.update_client(json!({"cardCode": first["card"]["cardCode"], "values": {"BONUS": 130}})).unwrap();
    assert_eq!(by_code["card"]["values"]["%BONUS%"], "130");
    let e = c
        .update_client(
            json!({"templateId": TEMPLATE_LOYALTY, "find": {"PHONE": phone(8)}, "values": {"BONUS": 1}}),
        )
        .unwrap_err();
    assert_eq!(e.status, Status::NotFound);
    let e = c.issue_card(json!({"cardId": "000000000000000000000000"})).unwrap_err();
    assert_eq!(e.status, Status::NotFound, "no template to create from");
}

#[test]
fn unknown_parameters_pass_through_untouched() {
    let sb = sandbox();
    let c = client(&sb);
    let card = c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(11)}, "expirationDate": "31.12.2030", "extra": {"a": [1, "x"]}})).unwrap();
    let req = &logged(&sb, "createcard")[0];
    assert_eq!(req.fields.get("expirationDate").map(String::as_str), Some("31.12.2030"));
    assert_eq!(req.fields.get("extra[a][0]").map(String::as_str), Some("1"));
    assert_eq!(req.fields.get("extra[a][1]").map(String::as_str), Some("x"));
    assert!(card["cardId"].is_string());
}

fn assert_error_object(e: &passteam::Error, status: Status, http: Option<u16>) -> Value {
    let doc = e.to_json();
    assert_eq!(doc["status"], status.code(), "{doc}");
    assert_eq!(doc["name"], status.name());
    assert!(doc["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(doc["http_status"], http.map_or(Value::Null, Value::from), "{doc}");
    assert!(doc["retryable"].is_boolean());
    assert!(doc["details"].is_object());
    doc
}

#[test]
fn every_status_code_with_its_error_object() {
    let sb = sandbox();
    let c = client_with(&sb, json!({"max_attempts": 1}));

    // 1: unknown method; 2: params not an object; 3: missing required parameter.
    assert_error_object(&c.call("getCrad", json!({})).unwrap_err(), Status::InvalidArgument, None);
    assert_error_object(&c.call("getcard", json!([1])).unwrap_err(), Status::InvalidJson, None);
    let v = assert_error_object(&c.get_template(json!({})).unwrap_err(), Status::Validation, None);
    assert_eq!(v["details"]["field"], "templateId");
    assert!(sb.requests().is_empty(), "nothing is sent for local errors");

    // 6: a wrong token.
    let bad = client_with(&sb, json!({"token": "wrong-token"}));
    let doc = assert_error_object(&bad.get_list_templates(json!({})).unwrap_err(), Status::Auth, Some(401));
    assert_eq!(doc["api_code"], 401);
    assert!(!doc.to_string().contains("wrong-token"));

    // 7, 8, 10 from the server's envelopes.
    let doc = assert_error_object(
        &c.get_card(json!({"cardId": "000000000000000000000000"})).unwrap_err(),
        Status::NotFound,
        Some(404),
    );
    assert_eq!(doc["api_code"], 404);
    let first =
        c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(21)}})).unwrap();
    let e =
        c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(21)}})).unwrap_err();
    let doc = assert_error_object(&e, Status::Conflict, Some(409));
    assert_eq!(doc["api_code"], 409);
    assert_eq!(doc["retryable"], false);
    assert_eq!(doc["details"]["cardIds"], json!([first["cardId"]]));
    assert!(
        e.message.starts_with(&format!(
            "Provided value ({}) of field (%PHONE%) is duplicated. Duplicated cards: ",
            phone(21)
        )),
        "{}",
        e.message
    );
    let e = c
        .create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"CLIENT_NAME": "no phone"}}))
        .unwrap_err();
    assert_error_object(&e, Status::Api, Some(500));
    assert_eq!(e.message, "Provided field (PHONE) is unique and must be set.");
    // A bad phone: refused before sending by the client's validation (3), by the server when it is off (10).
    let bad_phone = json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "12345"}});
    assert_error_object(&c.create_card(bad_phone.clone()).unwrap_err(), Status::Validation, None);
    let unchecked = client_with(&sb, json!({"max_attempts": 1, "validation": "off"}));
    assert_error_object(&unchecked.create_card(bad_phone).unwrap_err(), Status::Api, Some(400));

    // 9: the server's quota message.
    sb.set_quota(Some(0), 429);
    let e = c.get_list_templates(json!({})).unwrap_err();
    let doc = assert_error_object(&e, Status::RateLimited, Some(429));
    assert!(e.message.contains("You can only make 0 requests per hour"), "{}", e.message);
    assert_eq!(doc["details"]["limit"], 0);
    sb.set_quota(None, 429);
    // The client learned the server's limit: it now refuses locally, without sending.
    let sent = sb.requests().len();
    let e = c.get_list_templates(json!({})).unwrap_err();
    assert_eq!(e.status, Status::RateLimited);
    assert!(e.retry_after_ms.is_some());
    assert_eq!(sb.requests().len(), sent);
    let c = client_with(&sb, json!({"max_attempts": 1}));

    // 11: a reply that is not the envelope; 4: a dropped connection on a create (outcome unknown).
    sb.add_fault(Fault::garbage("getlisttemplates"));
    assert_error_object(&c.get_list_templates(json!({})).unwrap_err(), Status::Protocol, Some(200));
    sb.add_fault(Fault::drop("createcard"));
    let e =
        c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone(22)}})).unwrap_err();
    let doc = assert_error_object(&e, Status::Transport, None);
    assert_eq!(doc["outcome"], "unknown");

    // 5: a reply slower than the call's deadline.
    let slow = client_with(&sb, json!({"timeout_ms": 300, "max_attempts": 1}));
    sb.add_fault(Fault::delay("getlisttemplates", 1500));
    let started = Instant::now();
    assert_error_object(&slow.get_list_templates(json!({})).unwrap_err(), Status::Timeout, None);
    assert!(started.elapsed() < Duration::from_millis(1200), "{:?}", started.elapsed());

    // 4: nobody listening.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let closed = Client::from_json(
        &json!({"token": "t", "base_url": format!("http://127.0.0.1:{port}"), "max_attempts": 1}).to_string(),
    )
    .unwrap();
    assert_error_object(&closed.get_list_templates(json!({})).unwrap_err(), Status::Transport, None);

    // 6 without a reply: no token configured.
    let anonymous = Client::from_json(&json!({"base_url": sb.base_url()}).to_string()).unwrap();
    assert_error_object(&anonymous.get_list_templates(json!({})).unwrap_err(), Status::Auth, None);
}

#[test]
fn oversized_replies_are_refused() {
    let sb = sandbox();
    let c = client_with(&sb, json!({"max_response_bytes": 200}));
    let e = c.get_templates(json!({})).unwrap_err();
    assert_eq!(e.status, Status::Protocol);
    assert!(e.message.contains("max_response_bytes"), "{}", e.message);
}

#[test]
fn config_errors_name_the_problem() {
    let e = Client::from_json(r#"{"token": "t", "base_url": "http://passteam.example"}"#).unwrap_err();
    assert_eq!(e.status, Status::InvalidArgument);
    let e = Client::from_json(r#"{"tokn": "t"}"#).unwrap_err();
    assert!(e.message.contains("\"tokn\""), "{}", e.message);
    assert_eq!(Client::from_json("{").unwrap_err().status, Status::InvalidJson);
    assert_eq!(Client::from_json("[]").unwrap_err().status, Status::InvalidJson);
    assert!(Client::from_json("").is_ok(), "empty config = defaults");
}
