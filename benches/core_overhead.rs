//! Benchmark (not a test): calls per second of `passteam::Client` against a bare ureq agent sending the
//! same multipart request to the same local sandbox, in the same run. The ratio is the cost of our layers
//! (table lookup, validation, encoding, envelope parsing, quota, retry bookkeeping) over raw HTTP.
//!
//! Run: `cargo bench -p passteam --bench core_overhead` (PASSTEAM_BENCH_SECONDS, default 3, per side).

use passteam::Client;
use passteam_sandbox::{Sandbox, SandboxConfig, TEMPLATE_LOYALTY};
use serde_json::json;
use std::time::{Duration, Instant};
use ureq::unversioned::multipart::Form;

fn rate(seconds: f64, mut call: impl FnMut()) -> f64 {
    for _ in 0..200 {
        call(); // warm the pool and the caches
    }
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs_f64(seconds) {
        call();
        n += 1;
    }
    n as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let seconds: f64 =
        std::env::var("PASSTEAM_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let sb = Sandbox::start(SandboxConfig::default()).expect("sandbox");
    let client = Client::from_json(
        &json!({"token": sb.token(), "base_url": sb.base_url(), "quota_per_hour": 0, "quota_per_day": 0})
            .to_string(),
    )
    .unwrap();
    let card = client
        .create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "+79160001111"}}))
        .unwrap();
    let card_id = card["cardId"].as_str().unwrap().to_owned();
    let url = format!("{}/oapi/v1/getcard", sb.base_url());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_recv_response(Some(Duration::from_secs(20)))
        .timeout_recv_body(Some(Duration::from_secs(20)))
        .build()
        .into();

    let bare = rate(seconds, || {
        let form = Form::new().text("cardId", &card_id);
        let mut reply = agent.post(&url).header("Authorization", sb.token()).send(form).expect("reply");
        let body: serde_json::Value =
            serde_json::from_slice(&reply.body_mut().read_to_vec().unwrap()).unwrap();
        assert_eq!(body["code"], 200);
    });
    let ours = rate(seconds, || {
        let result = client.get_card(json!({"cardId": card_id})).expect("card");
        assert!(result["cardId"].is_string());
    });
    println!("bare ureq:       {bare:>9.0} calls/s");
    println!("passteam Client: {ours:>9.0} calls/s");
    println!("ratio passteam / bare ureq: {:.2}x (1.00 = no overhead)", ours / bare);
}
