//! Untrusted input to the webhook code, fuzzed with fixed seeds: any bytes to the parser, any request
//! to the receiver over a real socket. Nothing panics, every answer is a status the contract names,
//! nothing malformed is stored, and the receiver keeps serving afterwards.

mod webhook_support;

use passteam::webhook::{parse, WebhookConfig, WebhookServer};
use passteam::Status;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;
use webhook_support::*;

fn cases(n: u32, seed: u64) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Bodies near the valid shape: fields dropped, retyped, or replaced by odd text.
fn near_valid_body() -> impl Strategy<Value = String> {
    let text =
        prop_oneof![Just(String::new()), "[a-zA-Z0-9%\\u{0}-\\u{1f}\\u{410}-\\u{44f}]{0,30}".prop_map(|s| s)];
    let field = prop_oneof![
        text.clone().prop_map(serde_json::Value::String),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(null)),
        Just(json!([])),
        Just(json!({"cardId": "c"})),
    ];
    (field.clone(), prop_oneof![Just(json!("installCard")), field.clone()], field)
        .prop_map(|(id, event, card)| json!({"webhookId": id, "event": event, "card": card}).to_string())
}

proptest! {
    #![proptest_config(cases(2000, 14))]

    #[test]
    fn parse_never_panics_and_fails_only_with_protocol(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Err(e) = parse(&bytes) {
            prop_assert_eq!(e.status, Status::Protocol);
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn near_valid_bodies_are_accepted_exactly_when_well_formed(body in near_valid_body()) {
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        let well_formed = value["webhookId"].as_str().map(str::trim).is_some_and(|s| !s.is_empty() && !s.chars().any(char::is_control))
            && value["event"] == "installCard"
            && value["card"]["cardId"].is_string();
        prop_assert_eq!(parse(body.as_bytes()).is_ok(), well_formed, "{}", body);
    }
}

/// Raw requests: a valid one cut or mangled at random points, or plain noise.
fn raw_request() -> impl Strategy<Value = Vec<u8>> {
    let valid = format!(
        "POST {SECRET} HTTP/1.1\r\nContent-Length: {}\r\n\r\n{}",
        webhook("fuzz", "installCard", "c").len(),
        webhook("fuzz", "installCard", "c")
    )
    .into_bytes();
    let mangled = (0..valid.len(), any::<u8>(), 0..valid.len()).prop_map(move |(at, byte, cut)| {
        let mut raw = valid.clone();
        raw[at] = byte;
        raw.truncate(cut.max(at + 1));
        raw
    });
    prop_oneof![mangled, proptest::collection::vec(any::<u8>(), 0..200)]
}

#[test]
fn the_receiver_answers_any_request_with_a_contract_status_and_keeps_serving() {
    let store = store_path("fuzz");
    let config = json!({"path": SECRET, "store_path": store.display().to_string(), "header_timeout_ms": 200,
                        "body_timeout_ms": 200});
    let server =
        WebhookServer::start(WebhookConfig::from_json(config.as_object().unwrap()).unwrap()).unwrap();
    let addr = server.local_addr();
    let mut runner = proptest::test_runner::TestRunner::new(cases(300, 41));
    runner
        .run(&raw_request(), |raw| {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let _ = stream.write_all(&raw);
            let _ = stream.shutdown(std::net::Shutdown::Write);
            let mut reply = Vec::new();
            let _ = stream.read_to_end(&mut reply);
            let status = parse_reply(&reply).status;
            prop_assert!(
                [200, 400, 404, 405, 408, 413, 431, 501].contains(&status),
                "{} for {:?}",
                status,
                raw
            );
            Ok(())
        })
        .unwrap();
    // Only the intact request can have been stored; the receiver still takes a good one.
    assert!(server.pending().unwrap() <= 1);
    assert_eq!(post(addr, SECRET, &webhook("after-fuzz", "installCard", "c")).status, 200);
}
