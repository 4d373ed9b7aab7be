//! Issue 10, items 5-7: what a PHP backend can read, and what it sends back.
//!
//! PUT bodies urlencoded (PHP parses no multipart PUT), `null` never sent and clearing explicit, and PHP's
//! loose JSON (`"values": []`, numbers as strings and strings as numbers) read without a protocol error.
//! Against the sandbox, and against a small server on 127.0.0.1 that answers as PHP's `json_encode` does.

mod support;

use passteam::models::{Card, CardsPage};
use passteam_sandbox::{COMPANY_ID, SEED_SALE_ID, TEMPLATE_LOYALTY};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use support::*;

#[test]
fn put_bodies_are_urlencoded_and_post_bodies_multipart() {
    let sb = sandbox();
    let c = client(&sb, json!({}));
    c.call("updatesale", json!({"id": SEED_SALE_ID, "title": "Обед"})).unwrap();
    let product =
        c.call("createproduct", json!({"companyId": COMPANY_ID, "name": "Чай", "price": 90})).unwrap();
    let id = product["_id"].as_str().or(product["id"].as_str()).unwrap_or_default().to_owned();
    let _ = c.call("updateproduct", json!({"id": id, "price": 95}));
    let seen: Vec<(String, String, String)> =
        sb.requests().into_iter().map(|r| (r.verb, r.method, r.content_type)).collect();
    for (verb, method, encoding) in &seen {
        let expected = match verb.as_str() {
            "PUT" => "urlencoded",
            "POST" => "multipart",
            _ => continue,
        };
        assert_eq!(encoding, expected, "{verb} {method}: {seen:?}");
    }
    assert_eq!(seen.iter().filter(|(v, _, _)| v == "PUT").count(), 2, "{seen:?}");
}

#[test]
fn null_leaves_a_variable_alone_and_empty_text_clears_it() {
    let sb = sandbox();
    let c = client(&sb, json!({}));
    let phone = unique_phone();
    let card = c
        .create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone, "BONUS": 7, "CLIENT_NAME": "Анна"}}))
        .unwrap();
    let id = card["cardId"].as_str().unwrap();
    let updated = c.update_card(json!({"cardId": id, "values": {"BONUS": null, "CLIENT_NAME": ""}})).unwrap();
    let values = &updated["card"]["values"];
    assert_eq!(values["%BONUS%"], "7", "null must not clear: {values}");
    assert_eq!(values["%CLIENT_NAME%"], "", "\"\" clears: {values}");
    let sent = sb.requests().into_iter().rev().find(|r| r.method == "updatecard").unwrap();
    assert!(!sent.fields.contains_key("values[%BONUS%]"), "{:?}", sent.fields);
}

#[test]
fn an_empty_list_is_sent_so_that_it_can_be_cleared() {
    let sb = sandbox();
    let c = client(&sb, json!({}));
    let _ = c.call("updatesale", json!({"id": SEED_SALE_ID, "products": []}));
    let sent = sb.requests().into_iter().rev().find(|r| r.verb == "PUT").unwrap();
    assert_eq!(sent.fields.get("products").map(String::as_str), Some(""), "{:?}", sent.fields);
}

/// Serves each connection one canned envelope, as many times as asked; returns its base URL.
fn php_server(result: Value, replies: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let body = json!({"error": false, "code": 200, "message": "", "result": result}).to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(replies) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut sink = vec![0u8; length];
            let _ = reader.read_exact(&mut sink);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

#[test]
/// (Validation off: the canned server answers every request alike, so a template lookup would eat a reply.)
fn a_card_without_variables_has_an_object_of_values() {
    let php_card = json!({"cardId": "c1", "cardCode": 123456, "values": [], "installed": 0});
    let base = php_server(json!({"messages": [], "updated": 1, "card": php_card}), 3);
    let c = client_from(&json!({"token": "t", "base_url": base, "max_attempts": 1, "validation": "off"}))
        .unwrap();
    let result = c.update_card(json!({"cardId": "c1", "values": {"BONUS": 1}})).unwrap();
    assert_eq!(result["card"]["values"], json!({}));
    // The C ABI hands on the same normalised text.
    let raw = c.call_json("updatecard", json!({"cardId": "c1"}), None).unwrap();
    let parsed: Value = serde_json::from_str(raw.get()).unwrap();
    assert_eq!(parsed["card"]["values"], json!({}));
    // A typed read of an applied update never fails because PHP wrote a number.
    let update: passteam::models::CardUpdate = c.call_as("updatecard", json!({"cardId": "c1"})).unwrap();
    assert_eq!(update.card.card_code, "123456");
}

#[test]
fn typed_models_take_numbers_as_strings_and_strings_as_numbers() {
    let page = json!({"pageCount": "1", "nextPage": null, "previouslyPage": "", "cardsCount": "1",
                      "cards": [{"cardId": "c1", "cardCode": 42, "values": [], "deviceRegistered": "1"}]});
    let base = php_server(page, 1);
    let c = client_from(&json!({"token": "t", "base_url": base, "max_attempts": 1, "validation": "off"}))
        .unwrap();
    let page: CardsPage =
        c.call_as("getcardswithpagination", json!({"templateId": TEMPLATE_LOYALTY})).unwrap();
    assert_eq!((page.page_count, page.cards_count, page.next_page), (1, 1, None));
    let card: &Card = &page.cards[0];
    assert_eq!((card.card_code.as_str(), card.device_registered), ("42", true));
    assert!(card.values.is_empty());
}
