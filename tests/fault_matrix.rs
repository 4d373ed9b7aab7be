//! Every operation of the method table under every fault the sandbox can inject: the right status,
//! the right number of requests on the wire (from the sandbox's request log), `outcome: unknown` where
//! a non-idempotent request may have been applied, no second createcard, no hang.
//!
//! The matrix is built from `passteam::METHODS`, so a new operation is covered as soon as it is in the
//! table, and fails here until [`recipe`] knows valid parameters for it. The two scenarios are
//! composed of these operations and have their own tests (tests/reliability.rs).

mod support;

use passteam::methods::{Kind, Method};
use passteam::{Client, Status, METHODS};
use passteam_sandbox::{
    Fault, RecordedRequest, Sandbox, COMPANY_ID, SEED_PRODUCT_ID, SEED_SALE_ID, TEMPLATE_LOYALTY,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Per attempt: a delay fault is longer than this, so the attempt times out and may be retried.
const READ_TIMEOUT_MS: u64 = 150;
const DELAY_MS: u64 = 400;
/// Bounds the whole call; every cell must answer within it (plus scheduling slack).
const TIMEOUT_MS: u64 = 2500;
const MAX_ATTEMPTS: u64 = 3;

fn operations() -> impl Iterator<Item = &'static Method> {
    METHODS.iter().filter(|m| m.kind != Kind::Scenario)
}

/// Minimal valid parameters for `method`, creating what it needs (a card) through `setup`.
/// Panics for an operation it does not know: add a recipe when the table grows.
fn recipe(method: &Method, setup: &Client) -> Value {
    let new_card = || {
        let card = setup
            .call("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": support::unique_phone(), "EMAIL": "anna@example.com"}}))
            .expect("setup: createcard");
        card["cardId"].as_str().expect("cardId").to_owned()
    };
    match method.name {
        "getatoken" => json!({"nickname": "demo", "password": "demo"}),
        "getlisttemplates" | "gettemplates" => json!({}),
        "gettemplate" | "getcards" => json!({"templateId": TEMPLATE_LOYALTY}),
        "createcard" => {
            json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": support::unique_phone(), "CLIENT_NAME": "Anna"}})
        }
        "getcard" | "deletecard" => json!({"cardId": new_card()}),
        "updatecard" | "updatecards" => {
            json!({"cardId": new_card(), "values": {"BONUS": 150, "LEVEL": "Gold"}})
        }
        "getcardswithpagination" => json!({"templateId": TEMPLATE_LOYALTY, "page": 1, "perPage": 10}),
        "checkvariablevalue" => {
            json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": support::unique_phone()}})
        }
        "distribute" => json!({"cardId": new_card(), "type": "email"}),
        "sendpush" => json!({"templateId": TEMPLATE_LOYALTY, "message": "Double points today"}),
        "getsale" | "deletesale" => json!({"id": SEED_SALE_ID}),
        "updatesale" => {
            json!({"id": SEED_SALE_ID, "title": "Coffee", "paymentType": "CARD", "paymentStatus": "PAID", "totalPrice": 250})
        }
        "createproduct" => json!({"companyId": COMPANY_ID, "name": "Latte", "price": 250}),
        "updateproduct" => json!({"id": SEED_PRODUCT_ID, "name": "Latte XL", "price": 300}),
        "deleteproduct" => json!({"id": SEED_PRODUCT_ID}),
        "listproducts" => json!({"companyId": COMPANY_ID, "page": 1, "perPage": 10}),
        other => panic!("no parameters recipe for the operation {other:?}: add one to tests/fault_matrix.rs"),
    }
}

/// The sandbox's fault key of an operation: the oapi method name, or the REST resource (`sale`, `product`).
fn fault_key(method: &Method) -> &'static str {
    method.path.rsplit('/').next().expect("a path")
}

/// Requests of this operation in the sandbox's log (REST operations share a path: the verb tells them apart).
fn on_wire(log: &[RecordedRequest], method: &Method) -> usize {
    log.iter().filter(|r| r.path == method.path && r.verb == method.verb.as_str()).count()
}

fn config(sb: &Sandbox) -> Value {
    support::config_json(
        sb,
        json!({
            "timeout_ms": TIMEOUT_MS, "read_timeout_ms": READ_TIMEOUT_MS, "max_attempts": MAX_ATTEMPTS,
            "retry_base_delay_ms": 10, "retry_max_delay_ms": 20,
            // Each cell counts the requests of one operation and no others; validation would add its
            // gettemplate (and getcard) reads. Faults under validation: tests/validation.rs.
            "validation": "off"
        }),
    )
}

/// What a cell must observe.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Succeeds after this many requests.
    Ok { requests: usize },
    /// Fails with this status after this many requests, with or without `outcome: unknown`.
    Fail { status: Status, requests: usize, unknown: bool },
}

/// One cell: a fresh sandbox (faults and state of other cells cannot leak in: a delayed request is
/// still sleeping in the old one), the recipe's setup, the fault, one call. Returns the problems seen.
fn cell(
    method: &'static Method,
    fault_name: &str,
    fault: impl Fn(&str) -> Fault,
    expect: impl Fn(&Method) -> Expect,
) -> Vec<String> {
    let sb = support::sandbox();
    let setup = support::client(&sb, json!({}));
    let params = recipe(method, &setup);
    let client = support::client_from(&config(&sb)).expect("client");
    sb.clear_requests();
    sb.add_fault(fault(fault_key(method)));
    let started = Instant::now();
    let result = client.call(method.name, params.clone());
    let elapsed = started.elapsed();
    let log = sb.requests();
    let requests = on_wire(&log, method);
    let here = format!("{} + {fault_name}", method.name);
    let mut problems = Vec::new();
    if elapsed > Duration::from_millis(TIMEOUT_MS + 250) {
        problems.push(format!("{here}: took {elapsed:?}, longer than timeout_ms {TIMEOUT_MS}"));
    }
    if log.len() != requests {
        problems.push(format!("{here}: {} requests of other operations were sent", log.len() - requests));
    }
    match (expect(method), &result) {
        (Expect::Ok { requests: want }, Ok(_)) => {
            if requests != want {
                problems.push(format!("{here}: succeeded after {requests} requests, expected {want}"));
            }
        }
        (Expect::Ok { .. }, Err(e)) => {
            problems.push(format!("{here}: expected success, got {}", e.to_json()))
        }
        (Expect::Fail { .. }, Ok(v)) => problems.push(format!("{here}: expected a failure, got {v}")),
        (Expect::Fail { status, requests: want, unknown }, Err(e)) => {
            let doc = e.to_json();
            if e.status != status {
                problems.push(format!("{here}: status {:?}, expected {status:?}: {doc}", e.status));
            }
            if requests != want {
                problems.push(format!("{here}: {requests} requests on the wire, expected {want}"));
            }
            if doc["details"]["attempts"].as_u64() != Some(requests as u64) {
                problems.push(format!(
                    "{here}: details.attempts {} but {requests} requests were sent",
                    doc["details"]["attempts"]
                ));
            }
            if doc["details"]["method"] != method.name {
                problems.push(format!("{here}: details.method is {}", doc["details"]["method"]));
            }
            if unknown && (doc["outcome"] != "unknown" || doc["retryable"] != false) {
                problems.push(format!("{here}: the request may have been applied: expected outcome unknown, not retryable: {doc}"));
            }
            if !unknown && doc.get("outcome").is_some() {
                problems.push(format!("{here}: unexpected outcome: {doc}"));
            }
        }
    }
    if method.name == "createcard" {
        if requests > 1 {
            problems.push(format!("{here}: createcard sent {requests} times"));
        }
        // The card of this call exists at most once (a delayed one may still be on its way: wait for it).
        std::thread::sleep(Duration::from_millis(if fault_name.starts_with("delay") { DELAY_MS } else { 0 }));
        let phone = params["values"]["PHONE"].as_str().unwrap();
        let check = setup
            .call("checkvariablevalue", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}}))
            .unwrap();
        let n = check["cardsIds"].as_array().map_or(0, Vec::len);
        if n > 1 {
            problems.push(format!("{here}: {n} cards with {phone}"));
        }
    }
    problems
}

/// Runs one fault against every operation and fails with the whole list of problems.
fn matrix(fault_name: &str, fault: impl Fn(&str) -> Fault, expect: impl Fn(&Method) -> Expect) {
    let problems: Vec<String> = operations().flat_map(|m| cell(m, fault_name, &fault, &expect)).collect();
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// A transient failure after which the request may have been applied: idempotent operations are
/// retried to success, the others fail once with outcome unknown.
fn transient(status: Status) -> impl Fn(&Method) -> Expect {
    move |m| {
        if m.idempotent {
            Expect::Ok { requests: 2 }
        } else {
            Expect::Fail { status, requests: 1, unknown: true }
        }
    }
}

/// A definite answer from the server: never retried, no unknown outcome.
fn definite(status: Status) -> impl Fn(&Method) -> Expect {
    move |_| Expect::Fail { status, requests: 1, unknown: false }
}

#[test]
fn every_operation_has_a_recipe_that_succeeds_without_faults() {
    let sb = support::sandbox();
    let setup = support::client(&sb, json!({}));
    let client = support::client_from(&config(&sb)).unwrap();
    for m in operations() {
        sb.reset();
        let params = recipe(m, &setup);
        sb.clear_requests();
        client.call(m.name, params).unwrap_or_else(|e| panic!("{}: {}", m.name, e.to_json()));
        assert_eq!(on_wire(&sb.requests(), m), 1, "{}", m.name);
    }
}

#[test]
fn dropped_connection() {
    matrix("drop", Fault::drop, transient(Status::Transport));
}

#[test]
fn dropped_connection_after_processing() {
    // Idempotent operations are resent; deleting twice may answer "not found" the second time.
    matrix(
        "drop after processing",
        |k| Fault::drop(k).after_processing(),
        |m| {
            if m.idempotent && m.name.starts_with("delete") && m.kind == Kind::Rest {
                Expect::Fail { status: Status::NotFound, requests: 2, unknown: false }
            } else {
                transient(Status::Transport)(m)
            }
        },
    );
}

#[test]
fn slow_reply_beyond_the_read_timeout() {
    matrix("delay", |k| Fault::delay(k, DELAY_MS), transient(Status::Timeout));
}

#[test]
fn gateway_errors_once() {
    for status in [502, 503, 504] {
        matrix(&format!("{status}"), |k| Fault::status(k, status), transient(Status::Transport));
    }
}

#[test]
fn gateway_errors_that_persist() {
    matrix(
        "502 x all",
        |k| Fault::status(k, 502).times(0),
        |m| {
            if m.idempotent {
                Expect::Fail { status: Status::Transport, requests: MAX_ATTEMPTS as usize, unknown: false }
            } else {
                Expect::Fail { status: Status::Transport, requests: 1, unknown: true }
            }
        },
    );
}

#[test]
fn garbage_reply() {
    // A 200 whose body is not the envelope is not retried; for a non-idempotent operation it may hide
    // an applied request, so its outcome is unknown.
    matrix("garbage", Fault::garbage, |m| Expect::Fail {
        status: Status::Protocol,
        requests: 1,
        unknown: !m.idempotent,
    });
}

#[test]
fn client_and_server_errors_are_answered_once() {
    matrix("401", |k| Fault::status(k, 401), definite(Status::Auth));
    matrix("404", |k| Fault::status(k, 404), definite(Status::NotFound));
    matrix("409", |k| Fault::status(k, 409), definite(Status::Conflict));
    matrix("500", |k| Fault::status(k, 500), definite(Status::Api));
}

#[test]
fn rate_limited() {
    matrix("429", |k| Fault::status(k, 429), definite(Status::RateLimited));
}

#[test]
fn conflict_names_the_duplicated_cards() {
    for m in operations() {
        let sb = support::sandbox();
        let params = recipe(m, &support::client(&sb, json!({})));
        sb.add_fault(Fault::status(fault_key(m), 409));
        let e = support::client_from(&config(&sb)).unwrap().call(m.name, params).unwrap_err();
        assert_eq!(e.status, Status::Conflict, "{}", m.name);
        assert_eq!(e.card_ids().len(), 1, "{}: {}", m.name, e.to_json());
        assert_eq!(e.to_json()["http_status"], 409);
    }
}
