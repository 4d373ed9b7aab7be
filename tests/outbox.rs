//! The outbox, the circuit breaker and last-known cards (issue 12), over real HTTP to the sandbox and to a
//! closed loopback port ("the shop's internet is down").

mod support;

use passteam::{Client, Status};
use passteam_sandbox::{Fault, TEMPLATE_LOYALTY};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::*;

/// A loopback port nothing listens on: connections are refused at once.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn outbox_file(name: &str) -> PathBuf {
    temp_dir(name).join("outbox.sqlite")
}

/// A client whose outbox is `path`, replayed manually; `extra` as in [`config_json`].
fn offline_client(sb: &passteam_sandbox::Sandbox, path: &Path, extra: Value) -> Client {
    let mut cfg = json!({"outbox_path": path.to_str().unwrap(), "outbox_replay": "manual"});
    for (k, v) in extra.as_object().unwrap() {
        cfg[k] = v.clone();
    }
    client(sb, cfg)
}

fn new_card(c: &Client, bonus: i64) -> String {
    let card = c
        .call(
            "createcard",
            json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": unique_phone(), "BONUS": bonus}}),
        )
        .unwrap();
    card["cardId"].as_str().unwrap().to_owned()
}

fn bonus_of(c: &Client, card_id: &str) -> String {
    c.call("getcard", json!({"cardId": card_id})).unwrap()["values"]["%BONUS%"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[test]
fn an_update_that_cannot_be_delivered_is_queued_and_arrives_after_a_flush() {
    let sb = sandbox();
    let path = outbox_file("queue");
    let online = client(&sb, json!({}));
    let card_id = new_card(&online, 0);
    let down = offline_client(&sb, &path, json!({"base_url": closed_port_url()}));

    let e = down.call("updatecard", json!({"cardId": card_id, "values": {"BONUS": 42}})).unwrap_err();
    assert_eq!(e.status, Status::Queued, "{e}");
    let doc = e.to_json();
    assert_eq!(doc["status"], 12);
    assert_eq!(doc["name"], "PASSTEAM_QUEUED");
    assert!(doc["outbox_id"].as_i64().unwrap() > 0, "{doc}");
    assert_eq!(doc["details"]["status"], Status::Transport.code(), "details hold the cause: {doc}");
    assert!(doc["details"].get("outbox_id").is_none(), "the id is at the top level only: {doc}");
    assert_eq!(e.outbox_id(), doc["outbox_id"].as_i64());
    assert!(!doc.to_string().contains(sb.token()), "never the token");

    let stats = down.outbox_stats().unwrap();
    assert_eq!((stats["pending"].as_i64(), stats["dead"].as_i64()), (Some(1), Some(0)), "{stats}");
    assert!(stats["oldest_age_ms"].as_i64().unwrap() >= 0);
    assert_eq!(stats["last_error"]["status"], Status::Transport.code());
    let list = down.outbox_list(&json!({})).unwrap();
    let entry = &list[0];
    assert_eq!(entry["method"], "updatecard");
    assert_eq!(entry["state"], "pending");
    assert_eq!(entry["params"]["values"]["BONUS"], 42);
    assert!(entry["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(!list.to_string().contains(sb.token()));
    assert_eq!(bonus_of(&online, &card_id), "0", "nothing arrived yet");

    // A flush through a client that can reach Passteam (same file) delivers it.
    let up = offline_client(&sb, &path, json!({}));
    let report = up.outbox_flush(Duration::from_secs(5)).unwrap();
    assert_eq!(report, json!({"sent": 1, "failed": 0, "pending": 0, "dead": 0}));
    assert_eq!(bonus_of(&online, &card_id), "42");
    assert_eq!(up.outbox_flush(Duration::from_secs(5)).unwrap()["sent"], 0, "sent once");
}

#[test]
fn client_errors_are_never_queued_and_reads_never_queue() {
    let sb = sandbox();
    let path = outbox_file("noqueue");
    let c = offline_client(&sb, &path, json!({}));
    let e = c.call("updatecard", json!({"values": {"BONUS": 1}})).unwrap_err();
    assert_eq!(e.status, Status::Validation);
    let e = c
        .call("updatecard", json!({"cardId": "000000000000000000000000", "values": {"BONUS": 1}}))
        .unwrap_err();
    assert_eq!(e.status, Status::NotFound, "a 404 fails as today");
    sb.add_fault(Fault::status("updatecard", 400));
    let card_id = new_card(&c, 0);
    assert_ne!(
        c.call("updatecard", json!({"cardId": card_id, "values": {"BONUS": 1}})).unwrap_err().status,
        Status::Queued
    );
    let down = offline_client(&sb, &path, json!({"base_url": closed_port_url()}));
    assert_eq!(down.call("getcard", json!({"cardId": card_id})).unwrap_err().status, Status::Transport);
    assert_eq!(
        down.call("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"CLIENT_NAME": "x"}}))
            .unwrap_err()
            .status,
        Status::Transport,
        "a createcard without a unique variable cannot be made exactly-once: not queued"
    );
    assert_eq!(c.outbox_stats().unwrap()["pending"], 0);
}

#[test]
fn a_server_error_queues_and_a_later_call_of_the_same_customer_goes_behind() {
    let sb = sandbox();
    let path = outbox_file("behind");
    let c = offline_client(&sb, &path, json!({"max_attempts": 1}));
    let card_id = new_card(&c, 0);
    sb.add_fault(Fault::status("updatecard", 503));
    let first = c
        .call("updatecard", json!({"cardId": card_id, "values": {"BONUS": 1, "LEVEL": "Gold"}}))
        .unwrap_err();
    assert_eq!(first.status, Status::Queued, "{first}");
    sb.clear_requests();
    // Passteam is back, but an older update of this customer is still queued: this one must not overtake it.
    let second = c.call("updatecard", json!({"cardId": card_id, "values": {"BONUS": 2}})).unwrap_err();
    assert_eq!(second.status, Status::Queued);
    assert_eq!(second.outbox_id(), first.outbox_id(), "consecutive updates of one customer merge");
    assert!(sb.requests().is_empty(), "nothing was sent ahead of the queue");
    let report = c.outbox_flush(Duration::from_secs(5)).unwrap();
    assert_eq!(report["sent"], 1, "{report}");
    let card = c.call("getcard", json!({"cardId": card_id})).unwrap();
    assert_eq!(card["values"]["%BONUS%"], "2");
    assert_eq!(card["values"]["%LEVEL%"], "Gold", "the merge keeps the variables only the first set");
    // Another customer was never held up.
    let other = new_card(&c, 0);
    assert!(c.call("updatecard", json!({"cardId": other, "values": {"BONUS": 5}})).is_ok());
}

#[test]
fn a_day_offline_sends_one_update_per_customer() {
    let sb = sandbox();
    let path = outbox_file("coalesce");
    let online = client(&sb, json!({}));
    let cards: Vec<String> = (0..3).map(|_| new_card(&online, 0)).collect();
    let down = offline_client(&sb, &path, json!({"base_url": closed_port_url(), "breaker_failures": 1000}));
    for round in 1..=40 {
        for card in &cards {
            assert!(down
                .call("updatecard", json!({"cardId": card, "values": {"BONUS": round}}))
                .unwrap_err()
                .is_queued());
        }
    }
    assert_eq!(down.outbox_stats().unwrap()["pending"], 3);
    sb.clear_requests();
    let up = offline_client(&sb, &path, json!({}));
    assert_eq!(up.outbox_flush(Duration::from_secs(5)).unwrap()["sent"], 3);
    let updates = sb.requests().iter().filter(|r| r.method == "updatecard").count();
    assert_eq!(updates, 3, "one update per customer, not 120");
    for card in &cards {
        assert_eq!(bonus_of(&online, card), "40");
    }
}

#[test]
fn permanent_failures_go_to_the_dead_list_and_retry_and_discard_act_on_them() {
    let sb = sandbox();
    let path = outbox_file("dead");
    let down = offline_client(&sb, &path, json!({"base_url": closed_port_url()}));
    let up = offline_client(&sb, &path, json!({}));
    let card_id = new_card(&up, 0);
    let ghost = down
        .call("updatecard", json!({"cardId": "000000000000000000000000", "values": {"BONUS": 1}}))
        .unwrap_err();
    let real = down.call("updatecard", json!({"cardId": card_id, "values": {"BONUS": 9}})).unwrap_err();
    let (ghost_id, real_id) = (ghost.outbox_id().unwrap(), real.outbox_id().unwrap());
    let report = up.outbox_flush(Duration::from_secs(5)).unwrap();
    assert_eq!(report, json!({"sent": 1, "failed": 1, "pending": 0, "dead": 1}));
    let dead = up.outbox_list(&json!({"state": "dead"})).unwrap();
    assert_eq!(dead.as_array().unwrap().len(), 1);
    assert_eq!(dead[0]["id"], ghost_id);
    assert_eq!(dead[0]["last_error"]["status"], Status::NotFound.code(), "{dead}");
    assert_eq!(dead[0]["attempts"], 1);
    assert_eq!(up.outbox_flush(Duration::from_secs(5)).unwrap()["failed"], 0, "never retried blindly");

    assert_eq!(up.outbox_retry(ghost_id).unwrap(), json!({"retried": ghost_id}));
    assert_eq!(up.outbox_list(&json!({"state": "pending"})).unwrap()[0]["id"], ghost_id);
    assert_eq!(
        up.outbox_flush(Duration::from_secs(5)).unwrap()["dead"],
        1,
        "dead again, with its attempt counted"
    );
    assert_eq!(up.outbox_discard(ghost_id).unwrap(), json!({"discarded": ghost_id}));
    assert_eq!(up.outbox_stats().unwrap()["dead"], 0);
    assert_eq!(up.outbox_discard(ghost_id).unwrap_err().status, Status::NotFound);
    assert_eq!(up.outbox_retry(real_id).unwrap_err().status, Status::NotFound, "the delivered entry is gone");
    assert_eq!(up.outbox_list(&json!({"state": "nonsense"})).unwrap_err().status, Status::InvalidArgument);
}

#[test]
fn without_an_outbox_the_outbox_operations_say_outbox_path_is_not_set() {
    let sb = sandbox();
    let c = client(&sb, json!({}));
    for e in [
        c.outbox_flush(Duration::from_secs(1)).unwrap_err(),
        c.outbox_stats().unwrap_err(),
        c.outbox_list(&json!({})).unwrap_err(),
        c.outbox_retry(1).unwrap_err(),
        c.outbox_discard(1).unwrap_err(),
    ] {
        assert_eq!(e.status, Status::InvalidArgument);
        assert!(e.message.contains("outbox_path"), "{}", e.message);
    }
    let e = client_from(&config_json(&sb, json!({"stale_reads": true}))).unwrap_err();
    assert!(e.message.contains("outbox_path"), "{}", e.message);
    let e = client_from(&config_json(&sb, json!({"outbox_replay": "sometimes", "outbox_path": "/tmp/x"})))
        .unwrap_err();
    assert!(e.message.contains("outbox_replay"));
}

#[test]
fn a_queued_createcard_replays_exactly_once_through_issuecard() {
    let sb = sandbox();
    let path = outbox_file("create");
    let phone = unique_phone();
    let down = offline_client(&sb, &path, json!({"base_url": closed_port_url()}));
    let create = json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone, "BONUS": 1}});
    let first = down.call("createcard", create.clone()).unwrap_err();
    assert!(first.is_queued(), "{first}");
    // The cashier pressed the button twice, and then a bonus update by phone.
    assert!(down.call("createcard", create).unwrap_err().is_queued());
    let update = json!({"templateId": TEMPLATE_LOYALTY, "find": {"PHONE": phone}, "values": {"BONUS": 7}});
    assert!(down.call("updateclient", update).unwrap_err().is_queued());
    let up = offline_client(&sb, &path, json!({}));
    let report = up.outbox_flush(Duration::from_secs(10)).unwrap();
    assert_eq!(report, json!({"sent": 3, "failed": 0, "pending": 0, "dead": 0}));
    let creates: Vec<_> = sb.requests().into_iter().filter(|r| r.method == "createcard").collect();
    assert_eq!(creates.len(), 1, "one card, however often it was queued");
    let card =
        up.call("getcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}})).unwrap();
    assert_eq!(card["values"]["%BONUS%"], "7", "the update waited for the card to exist");
}

#[test]
fn distribute_is_queued_only_when_it_certainly_did_not_leave() {
    let sb = sandbox();
    let path = outbox_file("distribute");
    let online = offline_client(&sb, &path, json!({"max_attempts": 1}));
    let card_id = new_card(&online, 0);
    sb.add_fault(Fault::drop("distribute").after_processing());
    let e = online.call("distribute", json!({"cardId": card_id, "type": "sms"})).unwrap_err();
    assert_ne!(e.status, Status::Queued, "it may have been sent: not queued, {e}");
    let down = offline_client(&sb, &path, json!({"base_url": closed_port_url()}));
    let e = down.call("distribute", json!({"cardId": card_id, "type": "sms"})).unwrap_err();
    assert!(e.is_queued(), "a refused connection sent nothing: {e}");
    assert_eq!(online.outbox_flush(Duration::from_secs(5)).unwrap()["sent"], 1);
}

#[test]
fn an_open_breaker_answers_a_cashier_within_50_ms_without_touching_the_network() {
    let sb = sandbox();
    let path = outbox_file("breaker");
    let c = offline_client(
        &sb,
        &path,
        json!({"max_attempts": 1, "read_timeout_ms": 150, "timeout_ms": 400, "breaker_failures": 3, "breaker_cooldown_ms": 600}),
    );
    let cards: Vec<String> = (0..6).map(|_| new_card(&c, 0)).collect();
    // Passteam hangs: every request waits past the read timeout.
    sb.add_fault(Fault::delay("*", 2_000).times(0));
    for card in &cards[..3] {
        let started = Instant::now();
        let e = c.call("updatecard", json!({"cardId": card, "values": {"BONUS": 1}})).unwrap_err();
        assert!(e.is_queued(), "{e}");
        assert!(started.elapsed() >= Duration::from_millis(100), "these waited for the timeout");
    }
    let seen = sb.requests().len();
    let started = Instant::now();
    let e = c.call("updatecard", json!({"cardId": cards[3], "values": {"BONUS": 1}})).unwrap_err();
    let took = started.elapsed();
    assert!(e.is_queued(), "{e}");
    assert_eq!(e.to_json()["details"]["details"]["breaker"], "open", "{e}");
    assert!(took < Duration::from_millis(50), "the open breaker answered in {took:?}");
    let started = Instant::now();
    let read = c.call("getcard", json!({"cardId": cards[4]})).unwrap_err();
    assert_eq!(read.status, Status::Transport);
    assert!(started.elapsed() < Duration::from_millis(50));
    assert_eq!(sb.requests().len(), seen, "no request reached the network while open");
    assert!(
        c.outbox_flush(Duration::from_secs(1)).unwrap()["sent"] == 0,
        "the replay respects the breaker too"
    );

    // Passteam is back: after the cool-down one probe goes through and closes the breaker.
    sb.clear_faults();
    std::thread::sleep(Duration::from_millis(650));
    assert!(c.call("updatecard", json!({"cardId": cards[5], "values": {"BONUS": 3}})).is_ok());
    let report = c.outbox_flush(Duration::from_secs(5)).unwrap();
    assert_eq!(report["pending"], 0, "{report}");
    for card in &cards[..4] {
        assert_eq!(bonus_of(&c, card), "1");
    }
}

#[test]
fn stale_reads_answer_the_last_known_card_with_the_queued_updates_applied() {
    let sb = sandbox();
    let path = outbox_file("stale");
    let up = offline_client(&sb, &path, json!({"stale_reads": true}));
    let phone = unique_phone();
    let card = up
        .call("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone, "BONUS": 10}}))
        .unwrap();
    let card_id = card["cardId"].as_str().unwrap().to_owned();
    let fresh = up.call("getcard", json!({"cardId": card_id})).unwrap();
    assert!(fresh.get("stale").is_none());
    // An update that went through is part of the last-known card too.
    up.call("updatecard", json!({"cardId": card_id, "values": {"BONUS": 20, "LEVEL": "Gold"}})).unwrap();
    let down = offline_client(&sb, &path, json!({"base_url": closed_port_url(), "stale_reads": true}));
    assert!(down
        .call("updatecard", json!({"cardId": card_id, "values": {"BONUS": 25}}))
        .unwrap_err()
        .is_queued());
    let stale = down.call("getcard", json!({"cardId": card_id})).unwrap();
    assert_eq!(stale["stale"], true);
    assert!(stale["as_of"].as_str().unwrap().ends_with('Z'));
    assert_eq!(stale["values"]["%BONUS%"], "25", "the queued update is applied");
    assert_eq!(stale["values"]["%LEVEL%"], "Gold", "the delivered update is remembered");
    assert_eq!(stale["cardId"], card_id.as_str());
    let by_phone =
        down.call("getcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}})).unwrap();
    assert_eq!(by_phone["stale"], true, "found by its unique variable too");
    let unknown = down.call("getcard", json!({"cardId": "000000000000000000000001"})).unwrap_err();
    assert_eq!(unknown.status, Status::Transport, "no stored card: fails as today");
    let plain = offline_client(&sb, &path, json!({"base_url": closed_port_url()}));
    assert_eq!(plain.call("getcard", json!({"cardId": card_id})).unwrap_err().status, Status::Transport);
}

#[test]
fn the_background_replay_delivers_without_a_flush_and_stops_with_the_client() {
    let sb = sandbox();
    let path = outbox_file("background");
    let online = client(&sb, json!({}));
    let card_id = new_card(&online, 0);
    let down = offline_client(&sb, &path, json!({"base_url": closed_port_url()}));
    assert!(down
        .call("updatecard", json!({"cardId": card_id, "values": {"BONUS": 77}}))
        .unwrap_err()
        .is_queued());
    let background = client(&sb, json!({"outbox_path": path.to_str().unwrap()}));
    let deadline = Instant::now() + Duration::from_secs(10);
    while bonus_of(&online, &card_id) != "77" {
        assert!(Instant::now() < deadline, "the background replay never delivered");
        std::thread::sleep(Duration::from_millis(50));
    }
    let started = Instant::now();
    drop(background);
    assert!(started.elapsed() < Duration::from_secs(2), "freeing the client stops its replay thread");
}
