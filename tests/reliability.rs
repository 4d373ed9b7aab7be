//! Reliability of one call: the retry policy by idempotency, the exactly-once issuecard, the request
//! budget, timeouts (connect, read, whole call), secrets (token, phones, e-mails, TLS settings) and
//! panics at the C ABI. Everything talks real HTTP to the sandbox on 127.0.0.1 (or to a local socket
//! that misbehaves on purpose); every assertion is about behaviour the issue asks for.

mod support;

use passteam::{Client, Error, Status, METHODS};
use passteam_ffi::{
    passteam_call, passteam_call_with_timeout, passteam_client_free, passteam_client_new,
    passteam_debug_panic, passteam_string_free, PassteamClient,
};
use passteam_sandbox::{Fault, Sandbox, SandboxConfig, TEMPLATE_LOYALTY};
use serde_json::{json, Value};
use std::ffi::{c_char, CStr, CString};
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

/// Slack for "returns within the timeout": scheduling on a loaded 2-core machine, not a tolerance of the code.
const MARGIN: Duration = Duration::from_millis(250);

/// Requests the sandbox received for an oapi method.
fn sent(sb: &Sandbox, method: &str) -> usize {
    sb.requests().iter().filter(|r| r.method == method).count()
}

fn create_card(client: &Client, phone: &str) -> String {
    let card = client
        .call("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}}))
        .expect("createcard");
    card["cardId"].as_str().expect("cardId").to_owned()
}

/// Ids of the cards holding `phone`, asked two ways (uniqueness check, and a scan of every card).
fn cards_with_phone(client: &Client, phone: &str) -> Vec<String> {
    let check = client
        .call("checkvariablevalue", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}}))
        .expect("checkvariablevalue");
    let mut by_check: Vec<String> = check["cardsIds"]
        .as_array()
        .expect("cardsIds")
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let all = client.call("getcards", json!({"templateId": TEMPLATE_LOYALTY})).expect("getcards");
    let mut by_scan: Vec<String> = all
        .as_array()
        .expect("getcards returns an array")
        .iter()
        .filter(|c| c["values"]["%PHONE%"] == phone)
        .map(|c| c["cardId"].as_str().unwrap().to_owned())
        .collect();
    by_check.sort();
    by_scan.sort();
    assert_eq!(by_check, by_scan, "checkvariablevalue and getcards disagree about {phone}");
    by_check
}

fn attempts(e: &Error) -> u64 {
    e.details
        .get("attempts")
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("no details.attempts in {}", e.to_json()))
}

// ---------------------------------------------------------------------------------------------
// Retry policy by idempotency

#[test]
fn the_table_marks_exactly_the_side_effects_as_not_idempotent() {
    // The retry policy is read from this flag: if it drifts, createcard could be sent twice.
    let mut not_idempotent: Vec<&str> = METHODS
        .iter()
        .filter(|m| m.kind != passteam::methods::Kind::Scenario && !m.idempotent)
        .map(|m| m.name)
        .collect();
    not_idempotent.sort();
    assert_eq!(not_idempotent, ["createcard", "createproduct", "distribute", "sendpush"]);
    assert!(!passteam::methods::find("issuecard").unwrap().idempotent);
}

#[test]
fn idempotent_calls_are_retried_on_drop_timeout_and_gateway_errors() {
    let sb = support::sandbox();
    // read_timeout 200 ms < delay 500 ms < timeout 3 s: the first attempt times out, the second succeeds.
    let client = support::client(&sb, json!({"read_timeout_ms": 200}));
    let setup = support::client(&sb, json!({}));
    let card = create_card(&setup, &support::unique_phone());
    let calls: Vec<(&str, Value)> = vec![
        ("getcard", json!({"cardId": card})),
        ("gettemplate", json!({"templateId": TEMPLATE_LOYALTY})),
        ("checkvariablevalue", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "+79160000001"}})),
        ("updatecard", json!({"cardId": card, "values": {"BONUS": 5}})),
        ("getcardswithpagination", json!({"templateId": TEMPLATE_LOYALTY, "page": 1})),
    ];
    let faults: Vec<(&str, fn(&str) -> Fault)> = vec![
        ("drop", |m| Fault::drop(m)),
        ("delay 500 ms", |m| Fault::delay(m, 500)),
        ("502", |m| Fault::status(m, 502)),
        ("503", |m| Fault::status(m, 503)),
        ("504", |m| Fault::status(m, 504)),
    ];
    for (method, params) in &calls {
        for (fault_name, fault) in &faults {
            sb.clear_requests();
            sb.add_fault(fault(method));
            let result = client.call(method, params.clone());
            assert!(
                result.is_ok(),
                "{method} + {fault_name}: not retried to success: {}",
                result.unwrap_err().to_json()
            );
            assert_eq!(sent(&sb, method), 2, "{method} + {fault_name}: one failed attempt, one retry");
        }
    }
    // The last call (deletecard) of the list the issue names: retried too.
    sb.clear_requests();
    sb.add_fault(Fault::drop("deletecard"));
    client.call("deletecard", json!({"cardId": card})).expect("deletecard retried after a drop");
    assert_eq!(sent(&sb, "deletecard"), 2);
}

#[test]
fn retries_stop_at_max_attempts() {
    let sb = support::sandbox();
    for max_attempts in [1u64, 2, 3, 5] {
        let client = support::client(
            &sb,
            json!({"max_attempts": max_attempts, "retry_base_delay_ms": 1, "retry_max_delay_ms": 2}),
        );
        for fault in [Fault::status("gettemplate", 502).times(0), Fault::drop("gettemplate").times(0)] {
            sb.reset();
            sb.add_fault(fault);
            let e = client.call("gettemplate", json!({"templateId": TEMPLATE_LOYALTY})).unwrap_err();
            assert_eq!(e.status, Status::Transport, "{}", e.to_json());
            assert_eq!(sent(&sb, "gettemplate") as u64, max_attempts, "max_attempts {max_attempts}");
            assert_eq!(attempts(&e), max_attempts);
            assert!(e.outcome.is_none(), "a read has no unknown outcome");
        }
    }
}

#[test]
fn backoff_grows_exponentially_between_attempts() {
    let sb = support::sandbox();
    // Equal jitter: pause n is at least half of base * 2^(n-1). With base 100 ms:
    // 3 attempts -> pauses >= 50 + 100 ms; 4 attempts -> >= 50 + 100 + 200 ms.
    for (max_attempts, at_least, at_most) in [(3u64, 150u64, 300u64), (4, 350, 700)] {
        let client = support::client(
            &sb,
            json!({"max_attempts": max_attempts, "retry_base_delay_ms": 100, "retry_max_delay_ms": 10_000, "timeout_ms": 10_000}),
        );
        sb.reset();
        sb.add_fault(Fault::status("gettemplate", 503).times(0));
        let started = Instant::now();
        let e = client.call("gettemplate", json!({"templateId": TEMPLATE_LOYALTY})).unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(e.status, Status::Transport);
        assert_eq!(sent(&sb, "gettemplate") as u64, max_attempts);
        assert!(
            elapsed >= Duration::from_millis(at_least),
            "{max_attempts} attempts took {elapsed:?}: no backoff?"
        );
        assert!(
            elapsed < Duration::from_millis(at_most) + 4 * MARGIN,
            "{max_attempts} attempts took {elapsed:?}"
        );
    }
    // retry_max_delay_ms caps every pause.
    let client = support::client(
        &sb,
        json!({"max_attempts": 6, "retry_base_delay_ms": 1000, "retry_max_delay_ms": 20, "timeout_ms": 10_000}),
    );
    sb.reset();
    sb.add_fault(Fault::status("gettemplate", 503).times(0));
    let started = Instant::now();
    client.call("gettemplate", json!({"templateId": TEMPLATE_LOYALTY})).unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(5 * 20) + 4 * MARGIN, "{:?}", started.elapsed());
    assert_eq!(sent(&sb, "gettemplate"), 6);
}

#[test]
fn the_deadline_bounds_retries_and_backoff() {
    let sb = support::sandbox();
    // Gateway errors forever, many attempts allowed, long pauses: timeout_ms ends it.
    let client = support::client(
        &sb,
        json!({"timeout_ms": 500, "max_attempts": 100, "retry_base_delay_ms": 60, "retry_max_delay_ms": 60}),
    );
    sb.add_fault(Fault::status("getcardswithpagination", 502).times(0));
    let started = Instant::now();
    let e = client.call("getcardswithpagination", json!({"templateId": TEMPLATE_LOYALTY})).unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(e.status, Status::Transport | Status::Timeout), "{}", e.to_json());
    assert!(elapsed < Duration::from_millis(500) + MARGIN, "took {elapsed:?} with timeout_ms 500");
    let n = sent(&sb, "getcardswithpagination") as u64;
    assert!((2..100).contains(&n), "{n} attempts");
    assert_eq!(attempts(&e), n, "details.attempts counts what was sent");

    // Slow replies forever: each attempt ends at read_timeout, the whole call at timeout_ms.
    sb.reset();
    let client = support::client(
        &sb,
        json!({"timeout_ms": 450, "read_timeout_ms": 100, "max_attempts": 100, "retry_base_delay_ms": 10}),
    );
    sb.add_fault(Fault::delay("gettemplate", 2000).times(0));
    let started = Instant::now();
    let e = client.call("gettemplate", json!({"templateId": TEMPLATE_LOYALTY})).unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(e.status, Status::Timeout, "{}", e.to_json());
    assert!(elapsed < Duration::from_millis(450) + MARGIN, "took {elapsed:?} with timeout_ms 450");
    assert!(
        sent(&sb, "gettemplate") >= 2,
        "read_timeout_ms is per attempt: the call retried within its deadline"
    );
}

#[test]
fn client_errors_and_conflicts_are_never_retried() {
    let sb = support::sandbox();
    let client = support::client(&sb, json!({}));
    let phone = support::unique_phone();
    let first = create_card(&client, &phone);
    let second = create_card(&client, &support::unique_phone());
    let wrong_token = support::client(&sb, json!({"token": "not-the-token"}));
    let throttled = support::client(&sb, json!({}));

    let cases: Vec<(&str, &Client, &str, Value, Option<Fault>, Status)> = vec![
        (
            "400",
            &client,
            "getcard",
            json!({"templateId": TEMPLATE_LOYALTY, "values": {"BONUS": 1}}),
            None,
            Status::Api,
        ),
        ("401", &wrong_token, "getcard", json!({"cardId": first}), None, Status::Auth),
        (
            "403",
            &client,
            "getcard",
            json!({"cardId": first}),
            Some(Fault::status("getcard", 403)),
            Status::Auth,
        ),
        ("404", &client, "getcard", json!({"cardId": "000000000000000000000000"}), None, Status::NotFound),
        (
            "409",
            &client,
            "updatecard",
            json!({"cardId": second, "values": {"PHONE": phone}}),
            None,
            Status::Conflict,
        ),
        (
            "409 fault",
            &client,
            "getcard",
            json!({"cardId": first}),
            Some(Fault::status("getcard", 409)),
            Status::Conflict,
        ),
        (
            "500",
            &client,
            "deletecard",
            json!({"cardId": first}),
            Some(Fault::status("deletecard", 500)),
            Status::Api,
        ),
        // Last, and on a client of its own: a refusal pauses the client's budget.
        (
            "429",
            &throttled,
            "gettemplate",
            json!({"templateId": TEMPLATE_LOYALTY}),
            Some(Fault::status("gettemplate", 429)),
            Status::RateLimited,
        ),
    ];
    for (name, c, method, params, fault, status) in cases {
        sb.clear_requests();
        if let Some(f) = fault {
            sb.add_fault(f);
        }
        let e = c.call(method, params).unwrap_err();
        assert_eq!(e.status, status, "{name}: {}", e.to_json());
        assert_eq!(sent(&sb, method), 1, "{name}: {method} must be sent exactly once");
        assert_eq!(attempts(&e), 1, "{name}");
    }
}

#[test]
fn non_idempotent_calls_are_never_resent_once_they_may_have_arrived() {
    let sb = support::sandbox();
    let client = support::client(&sb, json!({"read_timeout_ms": 200}));
    let card = create_card(&client, &support::unique_phone());
    let calls: Vec<(&str, Value)> = vec![
        ("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": support::unique_phone()}})),
        ("distribute", json!({"cardId": card, "type": "sms"})),
        ("sendpush", json!({"templateId": TEMPLATE_LOYALTY, "message": "Double points today"})),
    ];
    let faults: Vec<(&str, fn(&str) -> Fault, Status)> = vec![
        ("drop", |m| Fault::drop(m), Status::Transport),
        ("drop after processing", |m| Fault::drop(m).after_processing(), Status::Transport),
        ("delay 500 ms", |m| Fault::delay(m, 500), Status::Timeout),
        ("502", |m| Fault::status(m, 502), Status::Transport),
        ("503 after processing", |m| Fault::status(m, 503).after_processing(), Status::Transport),
        ("504", |m| Fault::status(m, 504), Status::Transport),
    ];
    for (method, params) in &calls {
        for (fault_name, fault, status) in &faults {
            sb.clear_requests();
            sb.add_fault(fault(method));
            let e = client.call(method, params.clone()).unwrap_err();
            let doc = e.to_json();
            assert_eq!(e.status, *status, "{method} + {fault_name}: {doc}");
            assert_eq!(sent(&sb, method), 1, "{method} + {fault_name}: resent");
            assert_eq!(doc["outcome"], "unknown", "{method} + {fault_name}: {doc}");
            assert_eq!(
                doc["retryable"], false,
                "{method} + {fault_name}: an unknown outcome is not blindly retryable"
            );
            assert_eq!(doc["details"]["attempts"], 1);
        }
    }
}

#[test]
fn a_lost_createcard_reply_leaves_exactly_one_card() {
    let sb = support::sandbox();
    let client = support::client(&sb, json!({}));
    let phone = support::unique_phone();
    sb.add_fault(Fault::drop("createcard").after_processing());
    let e = client
        .call("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}}))
        .unwrap_err();
    assert_eq!(e.to_json()["outcome"], "unknown");
    assert_eq!(sent(&sb, "createcard"), 1);
    assert_eq!(
        cards_with_phone(&client, &phone).len(),
        1,
        "the server applied it once, the client did not resend"
    );
}

#[test]
fn a_refused_connection_is_not_maybe_sent() {
    // Nothing listens on the port: the request never left, so even createcard may be tried again
    // (the core does, up to max_attempts) and its outcome is not "unknown".
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = support::client_from(&json!({
        "token": "t", "base_url": format!("http://127.0.0.1:{port}"),
        "max_attempts": 3, "retry_base_delay_ms": 10, "retry_max_delay_ms": 20, "timeout_ms": 3000
    }))
    .unwrap();
    let started = Instant::now();
    let e = client.call("createcard", json!({"templateId": TEMPLATE_LOYALTY})).unwrap_err();
    let doc = e.to_json();
    assert_eq!(e.status, Status::Transport, "{doc}");
    assert!(doc.get("outcome").is_none(), "nothing was sent: {doc}");
    assert_eq!(doc["retryable"], true);
    assert_eq!(attempts(&e), 3, "a request that never left is safe to send again");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
}

/// A listening socket on 127.0.0.1 whose accept queue is full: the kernel drops further SYNs, so a
/// connect hangs until the client's connect timeout (a loopback "blackhole").
#[cfg(unix)]
struct Blackhole {
    port: u16,
    _listener: TcpListener,
    _queued: TcpStream,
}

#[cfg(unix)]
fn blackhole() -> Blackhole {
    use std::os::fd::FromRawFd;
    // std's TcpListener listens with a backlog of 128; libc gives the backlog of 0 this needs.
    let listener = unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
        assert!(fd >= 0, "socket()");
        let mut addr: libc::sockaddr_in = std::mem::zeroed();
        addr.sin_family = libc::AF_INET as libc::sa_family_t;
        addr.sin_addr.s_addr = u32::from_ne_bytes([127, 0, 0, 1]);
        let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        assert_eq!(
            libc::bind(fd, &addr as *const libc::sockaddr_in as *const libc::sockaddr, len),
            0,
            "bind()"
        );
        assert_eq!(libc::listen(fd, 0), 0, "listen()");
        TcpListener::from_raw_fd(fd)
    };
    let port = listener.local_addr().unwrap().port();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let queued =
        TcpStream::connect_timeout(&addr, Duration::from_secs(1)).expect("the first connection is queued");
    let probe = TcpStream::connect_timeout(&addr, Duration::from_millis(100));
    assert!(
        probe.is_err(),
        "the loopback blackhole did not hold: the accept queue is not full on this kernel"
    );
    Blackhole { port, _listener: listener, _queued: queued }
}

// Unix only: the blackhole needs a backlog of 0, which std cannot ask for and Winsock does not honour.
#[cfg(unix)]
#[test]
fn a_connect_timeout_is_not_maybe_sent_and_is_bounded() {
    let hole = blackhole();
    let client = support::client_from(&json!({
        "token": "t", "base_url": format!("http://127.0.0.1:{}", hole.port),
        "connect_timeout_ms": 200, "timeout_ms": 5000, "max_attempts": 2, "retry_base_delay_ms": 10
    }))
    .unwrap();
    for method in ["getlisttemplates", "createcard"] {
        let started = Instant::now();
        let e = client.call(method, json!({"templateId": TEMPLATE_LOYALTY})).unwrap_err();
        let elapsed = started.elapsed();
        let doc = e.to_json();
        assert_eq!(e.status, Status::Timeout, "{method}: {doc}");
        assert!(doc.get("outcome").is_none(), "{method}: a connect that never completed sent nothing: {doc}");
        assert_eq!(attempts(&e), 2, "{method}: safe to retry a request that never left");
        assert!(
            elapsed >= Duration::from_millis(400),
            "{method}: two connect timeouts of 200 ms took {elapsed:?}"
        );
        assert!(elapsed < Duration::from_millis(400) + 2 * MARGIN, "{method}: {elapsed:?}");
    }
    // The whole-call deadline also cuts a connect that would wait longer.
    let client = support::client_from(&json!({
        "token": "t", "base_url": format!("http://127.0.0.1:{}", hole.port),
        "connect_timeout_ms": 10_000, "timeout_ms": 300, "max_attempts": 3
    }))
    .unwrap();
    let started = Instant::now();
    let e = client.call("getlisttemplates", json!({})).unwrap_err();
    assert_eq!(e.status, Status::Timeout, "{}", e.to_json());
    assert!(started.elapsed() < Duration::from_millis(300) + MARGIN, "{:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------------
// Exactly-once issuecard

fn issue(client: &Client, phone: &str) -> passteam::Result<Value> {
    client.call(
        "issuecard",
        json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone, "CLIENT_NAME": "Anna"}, "uniqueVariable": "PHONE"}),
    )
}

#[test]
fn issuecard_recovers_a_createcard_reply_lost_after_processing() {
    let sb = support::sandbox();
    let client = support::client(&sb, json!({}));
    let phone = support::unique_phone();
    sb.add_fault(Fault::drop("createcard").after_processing());
    let result = issue(&client, &phone).expect("issuecard resolves the lost reply");
    assert_eq!(result["created"], true, "{result}");
    assert_eq!(result["recovered"], true, "{result}");
    assert_eq!(result["card"]["values"]["%PHONE%"], phone.as_str());
    assert_eq!(sent(&sb, "createcard"), 1, "createcard was not sent again");
    let ids = cards_with_phone(&client, &phone);
    assert_eq!(
        ids,
        vec![result["card"]["cardId"].as_str().unwrap().to_owned()],
        "exactly one card, the one returned"
    );
    let by_values =
        client.call("getcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}})).unwrap();
    assert_eq!(by_values["cardId"], result["card"]["cardId"]);
}

#[test]
fn issuecard_creates_once_when_createcard_never_arrived() {
    let sb = support::sandbox();
    let client = support::client(&sb, json!({}));
    let phone = support::unique_phone();
    sb.add_fault(Fault::drop("createcard"));
    let result = issue(&client, &phone).expect("issuecard creates the card after checking");
    assert_eq!(result["created"], true, "{result}");
    assert_eq!(result["recovered"], true, "{result}");
    assert_eq!(sent(&sb, "createcard"), 2, "one dropped before processing, one that created the card");
    assert_eq!(cards_with_phone(&client, &phone).len(), 1);
}

#[test]
fn issuecard_recovers_from_a_gateway_error_after_processing() {
    let sb = support::sandbox();
    let client = support::client(&sb, json!({}));
    let phone = support::unique_phone();
    sb.add_fault(Fault::status("createcard", 502).after_processing());
    let result = issue(&client, &phone).expect("a 502 after processing is resolved by a lookup");
    assert_eq!(
        (result["created"].clone(), result["recovered"].clone()),
        (json!(true), json!(true)),
        "{result}"
    );
    assert_eq!(sent(&sb, "createcard"), 1);
    assert_eq!(cards_with_phone(&client, &phone).len(), 1);
}

#[test]
fn issuecard_recovers_from_a_garbled_createcard_reply() {
    // A 200 whose body is not the envelope (a proxy's page, a truncated reply) may hide a created card:
    // the outcome is unknown exactly as for a lost reply, so issuecard must look the card up.
    let sb = support::sandbox();
    let client = support::client(&sb, json!({}));
    let phone = support::unique_phone();
    sb.add_fault(Fault::garbage("createcard").after_processing());
    let result = issue(&client, &phone);
    assert_eq!(cards_with_phone(&client, &phone).len(), 1, "never two cards");
    let result =
        result.unwrap_or_else(|e| panic!("issuecard gave up although the card exists: {}", e.to_json()));
    assert_eq!(result["created"], true, "{result}");
}

#[test]
fn issuecard_finds_an_existing_card_without_creating() {
    let sb = support::sandbox();
    let client = support::client(&sb, json!({}));
    let phone = support::unique_phone();
    let id = create_card(&client, &phone);
    sb.clear_requests();
    let result = issue(&client, &phone).unwrap();
    assert_eq!(result["created"], false);
    assert_eq!(result["card"]["cardId"], id.as_str());
    assert_eq!(sent(&sb, "createcard"), 0);
}

#[test]
fn issuecard_from_eight_threads_creates_one_card() {
    let sb = support::sandbox();
    let client = Arc::new(support::client(&sb, json!({})));
    let phone = support::unique_phone();
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (client, phone, barrier) = (client.clone(), phone.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                issue(&client, &phone)
            })
        })
        .collect();
    let results: Vec<Value> = handles
        .into_iter()
        .map(|h| h.join().expect("no panic").unwrap_or_else(|e| panic!("{}", e.to_json())))
        .collect();
    let ids = cards_with_phone(&client, &phone);
    assert_eq!(ids.len(), 1, "exactly one card for {phone}: {ids:?}");
    for r in &results {
        assert_eq!(r["card"]["cardId"], ids[0].as_str(), "every thread gets the same card: {r}");
    }
    let created = results.iter().filter(|r| r["created"] == true).count();
    assert_eq!(created, 1, "exactly one thread created it: {results:?}");
}

// ---------------------------------------------------------------------------------------------
// Request budget

#[test]
fn a_spent_budget_fails_at_once_without_reaching_the_server() {
    let sb = support::sandbox();
    for (key, window) in [("quota_per_hour", "hour"), ("quota_per_day", "day")] {
        sb.reset();
        let client = support::client(&sb, json!({key: 5}));
        for i in 0..5 {
            client
                .call("getlisttemplates", json!({}))
                .unwrap_or_else(|e| panic!("call {i}: {}", e.to_json()));
        }
        assert_eq!(client.quota_remaining().0.or(client.quota_remaining().1), Some(0));
        let started = Instant::now();
        let e = client.call("getlisttemplates", json!({})).unwrap_err();
        assert!(started.elapsed() < MARGIN, "refused at once, not after waiting");
        let doc = e.to_json();
        assert_eq!(e.status, Status::RateLimited, "{doc}");
        let retry_after =
            doc["retry_after_ms"].as_u64().unwrap_or_else(|| panic!("no retry_after_ms: {doc}"));
        let full = if window == "hour" { 3_600_000 } else { 86_400_000 };
        assert!(retry_after > full - 60_000 && retry_after <= full, "{key}: retry_after_ms {retry_after}");
        assert_eq!(doc["details"]["window"], window);
        assert_eq!(doc["details"]["limit"], 5);
        assert_eq!(sent(&sb, "getlisttemplates"), 5, "{key}: the refused call never reached the server");
        // Scenarios draw on the same budget.
        let e = client.call("issuecard", json!({"cardId": "000000000000000000000000"})).unwrap_err();
        assert_eq!(e.status, Status::RateLimited);
        assert_eq!(sb.requests().len(), 5);
    }
}

#[test]
fn retries_draw_on_the_budget_and_never_exceed_it() {
    let sb = support::sandbox();
    let client = support::client(&sb, json!({"quota_per_hour": 2, "max_attempts": 5}));
    sb.add_fault(Fault::status("gettemplate", 502).times(0));
    let e = client.call("gettemplate", json!({"templateId": TEMPLATE_LOYALTY})).unwrap_err();
    assert_eq!(e.status, Status::RateLimited, "{}", e.to_json());
    assert_eq!(sent(&sb, "gettemplate"), 2);
}

#[test]
fn the_budget_is_shared_by_the_threads_of_a_client() {
    let sb = support::sandbox();
    let client = Arc::new(support::client(&sb, json!({"quota_per_hour": 100})));
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (client, barrier) = (client.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let mut ok = 0;
                for _ in 0..40 {
                    match client.call("getlisttemplates", json!({})) {
                        Ok(_) => ok += 1,
                        Err(e) if e.status == Status::RateLimited && e.retry_after_ms.is_some() => {}
                        Err(e) => panic!("unexpected: {}", e.to_json()),
                    }
                }
                ok
            })
        })
        .collect();
    let ok: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(ok, 100, "8 threads x 40 calls with a budget of 100");
    assert_eq!(sb.requests().len(), 100, "exactly the budget reached the server");
}

#[test]
fn the_servers_refusal_pauses_the_client() {
    for refusal_status in [429u16, 403] {
        let sb = support::sandbox();
        sb.set_quota(Some(2), refusal_status);
        let client = support::client(&sb, json!({"quota_per_hour": 30_000}));
        client.call("getlisttemplates", json!({})).unwrap();
        client.call("getlisttemplates", json!({})).unwrap();
        let e = client.call("getlisttemplates", json!({})).unwrap_err();
        assert_eq!(e.status, Status::RateLimited, "HTTP {refusal_status}: {}", e.to_json());
        assert_eq!(e.http_status, Some(refusal_status), "the server's refusal");
        assert_eq!(sb.requests().len(), 3);
        let e = client.call("getlisttemplates", json!({})).unwrap_err();
        assert_eq!(e.status, Status::RateLimited);
        assert_eq!(e.http_status, None, "refused locally");
        assert!(e.retry_after_ms.is_some(), "{}", e.to_json());
        assert_eq!(e.details["limit"], 2, "the server's limit");
        assert_eq!(sb.requests().len(), 3, "the next call did not reach the server");
        assert!(
            e.retry_after_ms.unwrap() <= 60_000,
            "a pause of a minute, not the window (issue 9, defect 3)"
        );
        assert_eq!(client.quota_remaining().0, Some(30_000 - 3), "the configured budget is not lowered");
    }
    // A refusal pauses the client even when the server's limit is not reached by our own count
    // (other clients share the account): the first pause is a minute.
    let sb = support::sandbox();
    let client = support::client(&sb, json!({"quota_per_hour": 30_000}));
    sb.add_fault(Fault::status("getlisttemplates", 429));
    assert_eq!(client.call("getlisttemplates", json!({})).unwrap_err().http_status, Some(429));
    let e = client.call("getlisttemplates", json!({})).unwrap_err();
    assert_eq!((e.status, e.http_status), (Status::RateLimited, None), "{}", e.to_json());
    let pause = e.retry_after_ms.expect("retry_after_ms");
    assert!(pause > 50_000 && pause <= 60_000, "first pause {pause} ms");
    assert_eq!(sb.requests().len(), 1);
    // Learned also with no client budget configured.
    let sb = support::sandbox();
    sb.set_quota(Some(0), 429);
    let client = support::client(&sb, json!({"quota_per_hour": 0, "quota_per_day": 0}));
    assert_eq!(client.call("getlisttemplates", json!({})).unwrap_err().status, Status::RateLimited);
    assert_eq!(client.call("getlisttemplates", json!({})).unwrap_err().http_status, None);
    assert_eq!(sb.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Timeouts

#[test]
fn a_slow_reply_times_out_within_the_call_deadline() {
    let sb = support::sandbox();
    let client = support::client(&sb, json!({"timeout_ms": 300, "read_timeout_ms": 10_000}));
    // Created through the client under test, so that its template cache is warm and the slow reply
    // below is createcard's own (not that of the gettemplate validation would read first).
    let card = create_card(&client, &support::unique_phone());
    for (method, params) in [
        ("getcard", json!({"cardId": card})),
        ("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": support::unique_phone()}})),
        ("issuecard", json!({"cardId": card})),
    ] {
        sb.add_fault(Fault::delay("*", 2000));
        let started = Instant::now();
        let e = client.call(method, params).unwrap_err();
        let elapsed = started.elapsed();
        sb.clear_faults();
        assert_eq!(e.status, Status::Timeout, "{method}: {}", e.to_json());
        assert!(elapsed < Duration::from_millis(300) + MARGIN, "{method}: {elapsed:?} with timeout_ms 300");
        if method == "createcard" {
            assert_eq!(e.to_json()["outcome"], "unknown");
        }
    }
}

#[test]
fn a_per_call_timeout_shortens_the_deadline() {
    let sb = support::sandbox();
    let client = support::client(&sb, json!({"timeout_ms": 10_000, "read_timeout_ms": 10_000}));
    sb.add_fault(Fault::delay("getlisttemplates", 2000));
    let started = Instant::now();
    let e = client
        .call_with_timeout("getlisttemplates", json!({}), Some(Duration::from_millis(200)))
        .unwrap_err();
    assert_eq!(e.status, Status::Timeout);
    assert!(started.elapsed() < Duration::from_millis(200) + MARGIN, "{:?}", started.elapsed());

    // The same through the C ABI.
    let ffi =
        FfiClient::new(&support::config_json(&sb, json!({"timeout_ms": 10_000, "read_timeout_ms": 10_000})));
    sb.add_fault(Fault::delay("getlisttemplates", 2000));
    let started = Instant::now();
    let (status, doc) = ffi.call_with_timeout("getlisttemplates", "{}", 200);
    assert_eq!(status, 5, "{doc}");
    assert_eq!(doc["status"], 5);
    assert!(started.elapsed() < Duration::from_millis(200) + MARGIN, "{:?}", started.elapsed());
}

/// A server that accepts connections and reads, but never replies.
struct Silent {
    port: u16,
    accepted: Arc<Mutex<Vec<TcpStream>>>,
    stop: Arc<AtomicBool>,
}

impl Silent {
    fn start() -> Silent {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (acc, st) = (accepted.clone(), stop.clone());
        std::thread::spawn(move || {
            while !st.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((mut s, _)) => {
                        s.set_nonblocking(true).ok();
                        let _ = s.read(&mut [0u8; 4096]); // take the request, answer nothing
                        acc.lock().unwrap().push(s);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Silent { port, accepted, stop }
    }

    fn connections(&self) -> usize {
        self.accepted.lock().unwrap().len()
    }
}

impl Drop for Silent {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

#[test]
fn a_server_that_never_replies_hits_the_read_timeout() {
    let server = Silent::start();
    let config = json!({
        "token": "t", "base_url": format!("http://127.0.0.1:{}", server.port),
        "read_timeout_ms": 200, "timeout_ms": 5000, "max_attempts": 2, "retry_base_delay_ms": 10, "retry_max_delay_ms": 10
    });
    let client = support::client_from(&config).unwrap();
    let started = Instant::now();
    let e = client.call("getlisttemplates", json!({})).unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(e.status, Status::Timeout, "{}", e.to_json());
    assert_eq!(attempts(&e), 2);
    assert!(elapsed >= Duration::from_millis(400), "two reads of 200 ms took {elapsed:?}");
    assert!(elapsed < Duration::from_millis(400) + 2 * MARGIN, "{elapsed:?}");
    assert_eq!(server.connections(), 2, "one connection per attempt");

    let e = client.call("createcard", json!({"templateId": TEMPLATE_LOYALTY})).unwrap_err();
    assert_eq!(e.status, Status::Timeout);
    assert_eq!(e.to_json()["outcome"], "unknown", "the request was sent, the reply never came");
    assert_eq!(server.connections(), 3, "createcard was sent once");
}

// ---------------------------------------------------------------------------------------------
// Secrets

const TOKEN: &str = "TOKEN-SECRET-42";

/// A sandbox whose token is the distinctive one.
fn secret_sandbox() -> Sandbox {
    support::sandbox_with(SandboxConfig { token: TOKEN.to_owned(), ..SandboxConfig::default() })
}

/// Runs a matrix of failing calls with `client` against `sb` (whose token is TOKEN) and returns every
/// error's JSON and text.
fn failing_calls(sb: &Sandbox, client: &Client) -> Vec<String> {
    let echo = format!("<html>Authorization: {TOKEN} rejected</html>");
    let faults: Vec<(&str, Fault)> = vec![
        ("drop", Fault::drop("getlisttemplates").times(3)),
        ("delay", Fault::delay("getlisttemplates", 1000).times(3)),
        ("garbage", Fault::garbage("getlisttemplates")),
        (
            "garbage echoing the token",
            Fault { body: Some(echo.clone()), ..Fault::garbage("getlisttemplates") },
        ),
        (
            "502 echoing the token",
            Fault { body: Some(echo.clone()), ..Fault::status("getlisttemplates", 502) }.times(3),
        ),
        ("401", Fault::status("getlisttemplates", 401)),
        (
            "401 echoing the token",
            Fault {
                message: Some(format!("Token {TOKEN} is not valid")),
                ..Fault::status("getlisttemplates", 401)
            },
        ),
        (
            "500 echoing the token",
            Fault {
                message: Some(format!("internal: header={TOKEN}")),
                ..Fault::status("getlisttemplates", 500)
            },
        ),
        ("409", Fault::status("getlisttemplates", 409)),
    ];
    let mut out = Vec::new();
    for (name, fault) in faults {
        sb.clear_faults();
        sb.add_fault(fault);
        let e = client.call("getlisttemplates", json!({})).expect_err(name);
        out.push(format!("{name}: {} | {e} | {e:?}", e.to_json()));
    }
    sb.clear_faults();
    for (method, params) in [
        ("getcard", json!({"cardId": "000000000000000000000000"})),
        ("getcard", json!({})),
        ("nosuchmethod", json!({})),
        ("createcard", json!({"templateId": TEMPLATE_LOYALTY})),
    ] {
        let e = client.call(method, params).expect_err(method);
        out.push(format!("{method}: {} | {e} | {e:?}", e.to_json()));
    }
    out
}

#[test]
fn the_token_never_appears_in_an_error() {
    let sb = secret_sandbox();
    let client = support::client(&sb, json!({"read_timeout_ms": 150, "timeout_ms": 2000}));
    assert_eq!(sb.token(), TOKEN);
    let mut texts = failing_calls(&sb, &client);

    // Auth failure: the server has another token.
    let other = support::sandbox();
    let refused = support::client(&other, json!({"token": TOKEN}));
    let e = refused.call("getlisttemplates", json!({})).unwrap_err();
    assert_eq!(e.status, Status::Auth);
    texts.push(format!("{} | {e:?}", e.to_json()));

    // Bad configs that carry the token: the error names the problem, never the token.
    for config in [
        json!({"token": TOKEN, "base_url": "http://example.com"}),
        json!({"token": TOKEN, "tiemout_ms": 5}),
        json!({"token": TOKEN, "timeout_ms": "soon"}),
        json!({"token": format!("{TOKEN}\n"), "base_url": sb.base_url()}),
        json!({"token": TOKEN, "ca_bundle": "/nonexistent/passteam-ca.pem", "base_url": sb.base_url()}),
        json!({"token": TOKEN, "proxy": "::not a proxy::", "base_url": sb.base_url()}),
    ] {
        let e = support::client_from(&config).expect_err(&config.to_string());
        assert_eq!(e.status, Status::InvalidArgument, "{config}: {}", e.to_json());
        texts.push(format!("{} | {e:?}", e.to_json()));
    }
    for text in [
        format!("{{\"token\": \"{TOKEN}\", "),
        format!("{{\"token\": \"{TOKEN}\" \"x\": 1}}"),
        format!("[\"{TOKEN}\"]"),
    ] {
        let e = passteam::Config::from_json_str(&text).unwrap_err();
        assert_eq!(e.status, Status::InvalidJson, "{text}");
        texts.push(format!("{} | {e:?}", e.to_json()));
    }
    // Debug output of a client and its config.
    texts.push(format!("{client:?} {:?}", client.config()));

    // The C ABI's error documents.
    let ffi = FfiClient::new(&support::config_json(&sb, json!({"read_timeout_ms": 150, "timeout_ms": 2000})));
    sb.add_fault(Fault { message: Some(format!("bad {TOKEN}")), ..Fault::status("getlisttemplates", 401) });
    let (status, doc) = ffi.call("getlisttemplates", "{}");
    assert_eq!(status, 6);
    texts.push(doc.to_string());
    let (status, doc) =
        FfiClient::try_new(&json!({"token": TOKEN, "base_url": "http://10.1.2.3"}).to_string());
    assert_eq!(status, 1);
    texts.push(doc.to_string());

    let leaks: Vec<&String> = texts.iter().filter(|t| t.contains(TOKEN)).collect();
    assert!(leaks.is_empty(), "the token leaked into: {leaks:#?}");
}

#[test]
fn the_token_never_reaches_the_log_file() {
    let sb = secret_sandbox();
    let dir = support::temp_dir("token-log");
    let log = dir.join("passteam.log");
    let client = support::client(
        &sb,
        json!({"read_timeout_ms": 150, "timeout_ms": 2000, "log_file": log.to_str().unwrap(), "log_level": "debug"}),
    );
    failing_calls(&sb, &client);
    client.call("getlisttemplates", json!({})).unwrap();
    let text = std::fs::read_to_string(&log).expect("the log file was written");
    assert!(text.contains("getlisttemplates"), "the log has the calls:\n{text}");
    let leaks: Vec<&str> = text.lines().filter(|l| l.contains(TOKEN)).collect();
    assert!(leaks.is_empty(), "the token is in the log file:\n{}", leaks.join("\n"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_log_file_masks_phones_and_emails() {
    let sb = support::sandbox();
    let dir = support::temp_dir("mask-log");
    let log = dir.join("calls.log");
    let client = support::client(&sb, json!({"log_file": log.to_str().unwrap(), "log_level": "debug"}));
    let phone = "+79161234567";
    let email = "ivan.petrov@example.com";
    let card = client
        .call(
            "createcard",
            json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone, "EMAIL": email, "CLIENT_NAME": "Ivan"}}),
        )
        .unwrap();
    let card_id = card["cardId"].as_str().unwrap();
    // The phone again: in a lookup, in a uniqueness check, and in the server's 409 message.
    client.call("getcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}})).unwrap();
    client
        .call("checkvariablevalue", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}}))
        .unwrap();
    let e = client
        .call("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}}))
        .unwrap_err();
    assert_eq!(e.status, Status::Conflict);
    client
        .call("updatecard", json!({"cardId": card_id, "values": {"EMAIL": "Maria.S@Mail.example.org"}}))
        .unwrap();
    let text = std::fs::read_to_string(&log).expect("log written");
    assert!(text.contains("createcard"), "{text}");
    assert!(text.contains("DEBUG"), "debug lines (parameters) are written:\n{text}");
    for raw in [phone, "79161234567", "9161234567", email, "ivan.petrov", "Maria.S@", "Maria.S"] {
        assert!(!text.contains(raw), "{raw:?} is in the log:\n{text}");
    }
    assert!(text.contains("+*********67"), "masked phone:\n{text}");
    assert!(text.contains("i***@example.com"), "masked e-mail:\n{text}");
    assert!(text.contains("M***@Mail.example.org"), "masked e-mail:\n{text}");
    assert!(text.contains(card_id), "card ids stay readable:\n{text}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn plain_http_is_refused_for_remote_hosts_before_any_network() {
    for url in [
        "http://example.com",
        "http://getpass.passteam.ru",
        "http://10.0.0.1:8080",
        "http://192.168.1.10",
        "http://[2001:db8::1]:80",
        "http://127.0.0.1.example.com",
        "http://localhost.example.com",
    ] {
        let started = Instant::now();
        let e = support::client_from(&json!({"token": TOKEN, "base_url": url})).unwrap_err();
        assert_eq!(e.status, Status::InvalidArgument, "{url}: {}", e.to_json());
        assert!(e.message.contains("https"), "{url}: the message says what to do: {}", e.message);
        assert!(started.elapsed() < MARGIN, "{url}: no network involved");
        // Also for a REST endpoint's own base_url.
        let e = support::client_from(&json!({"token": TOKEN, "endpoints": {"getsale": {"base_url": url}}}))
            .unwrap_err();
        assert_eq!(e.status, Status::InvalidArgument, "endpoints {url}");
    }
    for url in ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9", "https://example.com"] {
        support::client_from(&json!({"token": TOKEN, "base_url": url}))
            .unwrap_or_else(|e| panic!("{url}: {}", e.to_json()));
    }
    support::client_from(
        &json!({"token": TOKEN, "base_url": "http://example.com", "allow_insecure_http": true}),
    )
    .expect("explicitly allowed");
}

#[test]
fn ca_bundle_problems_are_invalid_arguments_with_a_clear_message() {
    let dir = support::temp_dir("ca");
    let missing = dir.join("missing.pem");
    let not_pem = dir.join("not-a-bundle.txt");
    std::fs::write(&not_pem, "hello, I am not a certificate\n").unwrap();
    let broken = dir.join("broken.pem");
    std::fs::write(&broken, "-----BEGIN CERTIFICATE-----\n!!!! not base64 !!!!\n-----END CERTIFICATE-----\n")
        .unwrap();
    for (path, what) in
        [(&missing, "cannot read"), (&not_pem, "ca_bundle"), (&broken, "ca_bundle"), (&dir, "cannot read")]
    {
        let e =
            support::client_from(&json!({"token": TOKEN, "ca_bundle": path.to_str().unwrap()})).unwrap_err();
        assert_eq!(e.status, Status::InvalidArgument, "{}: {}", path.display(), e.to_json());
        assert!(
            e.message.contains("ca_bundle") && e.message.contains(what),
            "{}: {}",
            path.display(),
            e.message
        );
        assert!(e.message.contains(path.to_str().unwrap()), "the message names the file: {}", e.message);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn system_tls_roots_build_a_client() {
    let client = support::client_from(&json!({"token": TOKEN, "tls_roots": "system"})).expect("system roots");
    assert_eq!(client.config().tls_roots, passteam::TlsRoots::System);
    let e = support::client_from(&json!({"token": TOKEN, "tls_roots": "nonsense"})).unwrap_err();
    assert_eq!(e.status, Status::InvalidArgument);
}

// ---------------------------------------------------------------------------------------------
// Panics at the C ABI

#[test]
fn a_panic_in_the_library_is_status_99_and_the_process_goes_on() {
    for _ in 0..3 {
        let mut out: *mut c_char = std::ptr::null_mut();
        let status = unsafe { passteam_debug_panic(&mut out) };
        assert_eq!(status, 99);
        assert!(!out.is_null());
        let doc: Value =
            serde_json::from_str(unsafe { CStr::from_ptr(out) }.to_str().unwrap()).expect("JSON");
        unsafe { passteam_string_free(out) };
        assert_eq!(doc["status"], 99);
        assert_eq!(doc["name"], "PASSTEAM_ERR_INTERNAL");
        assert!(doc["message"].as_str().unwrap().contains("passteam_debug_panic"), "{doc}");
    }
    assert_eq!(
        unsafe { passteam_debug_panic(std::ptr::null_mut()) },
        99,
        "NULL out_json: still no unwinding"
    );
    // The library keeps working afterwards.
    let sb = support::sandbox();
    let ffi = FfiClient::new(&support::config_json(&sb, json!({})));
    let (status, doc) = ffi.call("getlisttemplates", "{}");
    assert_eq!(status, 0, "{doc}");
    assert!(doc.as_array().is_some_and(|a| !a.is_empty()));
}

// ---------------------------------------------------------------------------------------------
// A thin owner of a C ABI client, for the tests above.

struct FfiClient(*mut PassteamClient);

impl FfiClient {
    fn try_new(config: &str) -> (i32, Value) {
        let config = CString::new(config).unwrap();
        let mut client: *mut PassteamClient = std::ptr::null_mut();
        let mut err: *mut c_char = std::ptr::null_mut();
        let status = unsafe { passteam_client_new(config.as_ptr(), &mut client, &mut err) };
        if status == 0 {
            unsafe { passteam_client_free(client) };
            return (0, Value::Null);
        }
        assert!(client.is_null());
        (status, take_json(err))
    }

    fn new(config: &Value) -> FfiClient {
        let text = CString::new(config.to_string()).unwrap();
        let mut client: *mut PassteamClient = std::ptr::null_mut();
        let mut err: *mut c_char = std::ptr::null_mut();
        let status = unsafe { passteam_client_new(text.as_ptr(), &mut client, &mut err) };
        assert_eq!(status, 0, "{}", take_json(err));
        FfiClient(client)
    }

    fn call(&self, method: &str, params: &str) -> (i32, Value) {
        let (m, p) = (CString::new(method).unwrap(), CString::new(params).unwrap());
        let mut out: *mut c_char = std::ptr::null_mut();
        let status = unsafe { passteam_call(self.0, m.as_ptr(), p.as_ptr(), &mut out) };
        (status, take_json(out))
    }

    fn call_with_timeout(&self, method: &str, params: &str, timeout_ms: u64) -> (i32, Value) {
        let (m, p) = (CString::new(method).unwrap(), CString::new(params).unwrap());
        let mut out: *mut c_char = std::ptr::null_mut();
        let status =
            unsafe { passteam_call_with_timeout(self.0, m.as_ptr(), p.as_ptr(), timeout_ms, &mut out) };
        (status, take_json(out))
    }
}

impl Drop for FfiClient {
    fn drop(&mut self) {
        unsafe { passteam_client_free(self.0) };
    }
}

/// Parses and frees a string the library returned.
fn take_json(ptr: *mut c_char) -> Value {
    assert!(!ptr.is_null(), "the library returned no document");
    let text = unsafe { CStr::from_ptr(ptr) }.to_str().expect("UTF-8").to_owned();
    unsafe { passteam_string_free(ptr) };
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
