//! The whole loop: the sandbox posts a webhook for each card change (and repeats it with the same
//! webhookId, as Passteam does) to a receiver; the host sees each event once, in order.

mod webhook_support;

use passteam::webhook::{WebhookConfig, WebhookServer};
use passteam::{Client, Config};
use passteam_sandbox::{Sandbox, SandboxConfig, TEMPLATE_LOYALTY};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use webhook_support::*;

fn control(sandbox: &Sandbox, verb: &str, path: &str, body: &Value) -> Reply {
    let addr: SocketAddr = sandbox.base_url().trim_start_matches("http://").parse().unwrap();
    let text = body.to_string();
    let raw = format!(
        "{verb} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{text}",
        text.len()
    );
    exchange(addr, raw.as_bytes())
}

#[test]
fn sandbox_changes_arrive_once_each_despite_the_repeats() {
    let sandbox = Sandbox::start(SandboxConfig::default()).unwrap();
    let store = store_path("loop");
    let config = json!({"path": SECRET, "store_path": store.display().to_string()});
    let receiver =
        WebhookServer::start(WebhookConfig::from_json(config.as_object().unwrap()).unwrap()).unwrap();
    let set = control(
        &sandbox,
        "POST",
        "/_sandbox/webhooks",
        &json!({"url": receiver.url(), "repeats": 2, "repeat_delay_ms": 50}),
    );
    assert_eq!(set.status, 200, "{set:?}");
    let refused = control(&sandbox, "POST", "/_sandbox/webhooks", &json!({"url": "http://192.0.2.1:80/x"}));
    assert_eq!(refused.status, 400, "the sandbox posts to loopback only");

    let client = Client::new(Config {
        token: Some(sandbox.token().to_owned()),
        base_url: sandbox.base_url().to_owned(),
        ..Config::default()
    })
    .unwrap();
    let card = client
        .create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "+79161230001"}}))
        .unwrap();
    let card_id = card["cardId"].as_str().unwrap().to_owned();
    client.update_card(json!({"cardId": card_id, "values": {"BONUS": 120}})).unwrap();
    assert_eq!(
        control(&sandbox, "POST", "/_sandbox/install", &json!({"cardId": card_id, "installed": true})).status,
        200
    );
    client.delete_card(json!({"cardId": card_id})).unwrap();

    let mut seen: Vec<(String, Value)> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.len() < 4 && Instant::now() < deadline {
        if let Some(event) = receiver.next(Duration::from_millis(200)).unwrap() {
            receiver.ack(event["webhookId"].as_str().unwrap()).unwrap();
            seen.push((event["event"].as_str().unwrap().to_owned(), event["card"].clone()));
        }
    }
    let names: Vec<&str> = seen.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(names, ["createCard", "updateCard", "installCard", "deleteCard"]);
    assert!(seen.iter().all(|(_, card)| card["cardId"] == card_id.as_str()));
    assert_eq!(seen[1].1["values"]["%BONUS%"], "120");
    assert_eq!(seen[2].1["installed"], true);

    // Every event went out three times (the first and two repeats); the receiver kept one of each.
    let deadline = Instant::now() + Duration::from_secs(5);
    let deliveries = loop {
        let listed = control(&sandbox, "GET", "/_sandbox/webhooks", &json!({}));
        let deliveries = listed.body["deliveries"].as_array().cloned().unwrap_or_default();
        if deliveries.len() >= 12 || Instant::now() > deadline {
            break deliveries;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(deliveries.len(), 12, "{deliveries:?}");
    assert!(deliveries.iter().all(|d| d["status"] == 200), "{deliveries:?}");
    assert_eq!(
        receiver.next(Duration::from_millis(200)).unwrap(),
        None,
        "the repeats were not delivered again"
    );
    assert_eq!(receiver.pending().unwrap(), 0);
    sandbox.shutdown();
}
