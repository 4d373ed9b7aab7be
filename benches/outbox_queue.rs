//! Benchmark (not a test): the cost of a queued call. In the same run, on the same machine:
//! an updatecard delivered to the local sandbox, an updatecard queued in the outbox (Passteam
//! unreachable, breaker open: one durable SQLite commit, no network), and a queued update that merges
//! into the customer's entry. The ratio queued / delivered says what a till pays per sale while offline.
//!
//! Run: `cargo bench -p passteam --bench outbox_queue` (PASSTEAM_BENCH_SECONDS, default 2, per side).

use passteam::Client;
use passteam_sandbox::{Sandbox, SandboxConfig, TEMPLATE_LOYALTY};
use serde_json::json;
use std::time::{Duration, Instant};

fn rate(seconds: f64, mut call: impl FnMut(u64)) -> f64 {
    for i in 0..50 {
        call(i); // warm the pool, the file, the breaker
    }
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs_f64(seconds) {
        call(1_000 + n);
        n += 1;
    }
    n as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let seconds: f64 =
        std::env::var("PASSTEAM_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let sb = Sandbox::start(SandboxConfig::default()).expect("sandbox");
    let dir = std::env::temp_dir().join(format!("passteam-bench-outbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("outbox.sqlite");
    let config = |base: &str| {
        json!({"token": sb.token(), "base_url": base, "quota_per_hour": 0, "quota_per_day": 0,
               "outbox_path": path.to_str().unwrap(), "outbox_replay": "manual", "max_attempts": 1})
        .to_string()
    };
    let online = Client::from_json(&config(&sb.base_url())).unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let offline = Client::from_json(&config(&dead_url)).unwrap();
    let card = online
        .call("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "+79160002222"}}))
        .unwrap();
    let card_id = card["cardId"].as_str().unwrap().to_owned();

    let delivered = rate(seconds, |i| {
        online.call("updatecard", json!({"cardId": card_id, "values": {"BONUS": i}})).expect("delivered");
    });
    let queued = rate(seconds, |i| {
        // A new customer each time: one insert (and fsync) per call.
        let e = offline
            .call("updatecard", json!({"cardId": format!("c{i}"), "values": {"BONUS": i}}))
            .unwrap_err();
        assert!(e.is_queued(), "{e}");
    });
    let merged = rate(seconds, |i| {
        let e = offline.call("updatecard", json!({"cardId": "same", "values": {"BONUS": i}})).unwrap_err();
        assert!(e.is_queued(), "{e}");
    });
    println!("updatecard delivered to the sandbox: {delivered:>8.0} calls/s");
    println!("updatecard queued (new entry):       {queued:>8.0} calls/s");
    println!("updatecard queued (merged):          {merged:>8.0} calls/s");
    println!(
        "ratio queued / delivered: {:.2}x (new entry), {:.2}x (merged); > 1 = a queued call is faster",
        queued / delivered,
        merged / delivered
    );
    let _ = std::fs::remove_dir_all(&dir);
}
