//! `Client::call_batch_json` / `passteam_call_batch`: input order, per-item errors, the concurrency bound,
//! the shared request budget, the batch deadline, and a 10 000-item run.

mod support;

use passteam::batch::{BatchOptions, MAX_CONCURRENCY};
use passteam::Status;
use passteam_ffi::*;
use passteam_sandbox::TEMPLATE_LOYALTY;
use serde_json::{json, Value};
use std::ffi::{CStr, CString};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

fn batch(client: &passteam::Client, requests: Value, options: Value) -> Vec<Value> {
    let options = BatchOptions::from_json(&options).expect("options");
    let text = client.call_batch_json(&requests, &options).expect("the batch runs");
    serde_json::from_str::<Value>(&text).expect("JSON").as_array().expect("array").clone()
}

fn new_card(client: &passteam::Client) -> String {
    let card = client
        .call("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": unique_phone()}}))
        .unwrap();
    card["cardId"].as_str().unwrap().to_owned()
}

#[test]
fn answers_in_input_order_and_a_failing_item_stops_nothing() {
    let sb = sandbox();
    let client = client(&sb, json!({}));
    let a = new_card(&client);
    let b = new_card(&client);
    let answers = batch(
        &client,
        json!([
            {"method": "getcard", "params": {"cardId": a}},
            {"method": "getcard", "params": {"cardId": "000000000000000000000000"}},
            {"method": "nosuchmethod", "params": {}},
            "not an object",
            {"method": "getcard", "params": [1]},
            {"method": "updatecard", "params": {"cardId": b, "values": {"BONUS": "7"}}},
            {"method": "getcard", "params": {"cardId": b}},
        ]),
        json!({"concurrency": 1}),
    );
    let statuses: Vec<i64> = answers.iter().map(|a| a["status"].as_i64().unwrap()).collect();
    assert_eq!(
        statuses,
        [0, Status::NotFound.code(), Status::InvalidArgument.code(), 1, 2, 0, 0].map(i64::from),
        "{answers:?}"
    );
    assert_eq!(answers[0]["result"]["cardId"], json!(a));
    assert_eq!(answers[6]["result"]["cardId"], json!(b));
    assert!(answers[3]["error"]["message"].as_str().unwrap().contains("batch item 3"));
    assert!(answers[1]["error"]["name"].as_str().unwrap().ends_with("NOT_FOUND"));
}

/// A server that answers every request after `delay`, counting the most requests it held at once.
fn counting_server(delay: Duration) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let (active, peak, served) =
        (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (a, p, s) = (active.clone(), peak.clone(), served.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten().take(256) {
            let (a, p, s) = (a.clone(), p.clone(), s.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                loop {
                    let mut length = 0usize;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0u8; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    let now = a.fetch_add(1, Ordering::SeqCst) + 1;
                    p.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(delay);
                    a.fetch_sub(1, Ordering::SeqCst);
                    s.fetch_add(1, Ordering::SeqCst);
                    let reply = r#"{"error": false, "code": 200, "result": {"cardId": "c"}}"#;
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        reply.len()
                    );
                    let stream = reader.get_mut();
                    if stream
                        .write_all(head.as_bytes())
                        .and_then(|_| stream.write_all(reply.as_bytes()))
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    (url, peak, served)
}

fn client_for(url: &str, extra: Value) -> passteam::Client {
    let mut config = json!({"token": "t0ken", "base_url": url, "quota_per_hour": 0, "quota_per_day": 0, "timeout_ms": 5000});
    for (k, v) in extra.as_object().unwrap() {
        config[k] = v.clone();
    }
    client_from(&config).unwrap()
}

fn getcards(n: usize) -> Value {
    Value::Array(
        (0..n).map(|i| json!({"method": "getcard", "params": {"cardId": format!("card{i}")}})).collect(),
    )
}

#[test]
fn never_more_than_concurrency_items_in_flight() {
    for concurrency in [1usize, 3, 8] {
        let (url, peak, served) = counting_server(Duration::from_millis(30));
        let client = client_for(&url, json!({}));
        let answers = batch(&client, getcards(24), json!({"concurrency": concurrency}));
        assert!(answers.iter().all(|a| a["status"] == 0), "{answers:?}");
        assert_eq!(served.load(Ordering::SeqCst), 24);
        assert_eq!(peak.load(Ordering::SeqCst), concurrency, "the bound is reached and never passed");
    }
}

#[test]
fn the_request_budget_is_shared_and_nothing_past_it_is_sent() {
    let (url, _, served) = counting_server(Duration::ZERO);
    let client = client_for(&url, json!({"quota_per_hour": 5}));
    let answers = batch(&client, getcards(12), json!({"concurrency": 4}));
    let ok = answers.iter().filter(|a| a["status"] == 0).count();
    let limited = answers.iter().filter(|a| a["status"] == Status::RateLimited.code()).count();
    assert_eq!((ok, limited), (5, 7), "{answers:?}");
    assert_eq!(served.load(Ordering::SeqCst), 5);
    assert!(answers
        .iter()
        .filter(|a| a["status"] != 0)
        .all(|a| a["error"]["retry_after_ms"].as_u64().is_some()));
}

#[test]
fn items_not_started_by_the_batch_deadline_are_not_sent() {
    let (url, _, served) = counting_server(Duration::from_millis(100));
    let client = client_for(&url, json!({}));
    let started = Instant::now();
    let answers = batch(&client, getcards(20), json!({"concurrency": 1, "timeout_ms": 350}));
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
    let ok = answers.iter().filter(|a| a["status"] == 0).count();
    let timed_out = answers.iter().filter(|a| a["status"] == Status::Timeout.code()).count();
    assert!((2..=4).contains(&ok), "{ok} done in 350 ms at 100 ms each");
    assert_eq!(ok + timed_out, 20, "{answers:?}");
    assert!(served.load(Ordering::SeqCst) <= 5);
    assert!(answers.last().unwrap()["error"]["message"].as_str().unwrap().contains("not sent"));
}

#[test]
fn ten_thousand_updates_against_the_sandbox() {
    let sb = sandbox();
    let client = client(&sb, json!({"timeout_ms": 30_000}));
    let cards: Vec<String> = (0..20).map(|_| new_card(&client)).collect();
    let requests: Vec<Value> = (0..10_000)
        .map(|i| json!({"method": "updatecard", "params": {"cardId": cards[i % 20], "values": {"BONUS": (i / 20).to_string()}}}))
        .collect();
    sb.clear_requests();
    let answers = batch(&client, Value::Array(requests), json!({"concurrency": 8}));
    assert_eq!(answers.len(), 10_000);
    let failed: Vec<&Value> = answers.iter().filter(|a| a["status"] != 0).collect();
    assert!(failed.is_empty(), "{} failed, first: {:?}", failed.len(), failed.first());
    assert_eq!(sb.requests().iter().filter(|r| r.method == "updatecard").count(), 10_000);
}

#[test]
fn options_are_checked() {
    for (options, needle) in [
        (json!({"concurrency": 0}), "concurrency"),
        (json!({"concurrency": MAX_CONCURRENCY + 1}), "concurrency"),
        (json!({"concurrency": "4"}), "concurrency"),
        (json!({"timeout_ms": -1}), "timeout_ms"),
        (json!({"paralel": 4}), "unknown key"),
        (json!([]), "object"),
    ] {
        let e = BatchOptions::from_json(&options).unwrap_err();
        assert!(e.message.contains(needle), "{options}: {}", e.message);
    }
    assert_eq!(BatchOptions::from_json(&json!({})).unwrap(), BatchOptions::default());
}

#[test]
fn the_c_export_runs_a_batch_and_refuses_what_is_not_one() {
    let sb = sandbox();
    let config = CString::new(config_json(&sb, json!({})).to_string()).unwrap();
    let mut client = std::ptr::null_mut();
    unsafe {
        assert_eq!(passteam_client_new(config.as_ptr(), &mut client, std::ptr::null_mut()), PASSTEAM_OK);
        let call = |requests: &str, options: Option<&str>| {
            let requests = CString::new(requests).unwrap();
            let options = options.map(|o| CString::new(o).unwrap());
            let mut out = std::ptr::null_mut();
            let status = passteam_call_batch(
                client,
                requests.as_ptr(),
                options.as_ref().map_or(std::ptr::null(), |o| o.as_ptr()),
                &mut out,
            );
            let text = CStr::from_ptr(out).to_str().unwrap().to_owned();
            passteam_string_free(out);
            (status, text)
        };
        let (status, text) = call(
            r#"[{"method": "getlisttemplates"}, {"method": "getcard", "params": {"cardId": "x"}}]"#,
            None,
        );
        assert_eq!(status, PASSTEAM_OK, "{text}");
        let answers: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(answers[0]["status"], 0);
        assert!(answers[0]["result"].is_array());
        assert_ne!(answers[1]["status"], 0);
        assert_eq!(call("{not json", None).0, PASSTEAM_ERR_INVALID_JSON);
        assert_eq!(call(r#"{"method": "getcard"}"#, None).0, PASSTEAM_ERR_INVALID_JSON);
        assert_eq!(call("[]", Some(r#"{"concurrency": 99}"#)).0, PASSTEAM_ERR_INVALID_ARGUMENT);
        assert_eq!(call("[]", Some("")), (PASSTEAM_OK, "[]".to_owned()));
        let requests = CString::new("[]").unwrap();
        assert_eq!(
            passteam_call_batch(client, requests.as_ptr(), std::ptr::null(), std::ptr::null_mut()),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        let mut out = std::ptr::null_mut();
        assert_eq!(
            passteam_call_batch(std::ptr::null(), requests.as_ptr(), std::ptr::null(), &mut out),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        passteam_string_free(out);
        let mut out = std::ptr::null_mut();
        assert_eq!(
            passteam_call_batch(client, std::ptr::null(), std::ptr::null(), &mut out),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        passteam_string_free(out);
        passteam_client_free(client);
    }
}
