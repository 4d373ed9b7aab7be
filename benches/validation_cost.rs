//! Benchmark (not a test): what template-aware validation costs per call once the template is cached.
//!
//! Same run, same sandbox: `getcard` by a phone lookup with `validation: "normalize"` (the phone typed
//! as a till types it, normalised to E.164 before sending) against `validation: "off"` (the phone
//! already in E.164); and the checks alone (`check_values` on a five-variable card) without HTTP.
//! It also counts the `gettemplate` requests of the whole run: one, the first call's.
//!
//! Run: `cargo bench -p passteam --bench validation_cost` (PASSTEAM_BENCH_SECONDS, default 3, per side).

use passteam::validation::{check_values, Mode, TemplateRules};
use passteam::Client;
use passteam_sandbox::{Sandbox, SandboxConfig, TEMPLATE_LOYALTY};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

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

fn client(sb: &Sandbox, validation: &str) -> Client {
    Client::from_json(
        &json!({"token": sb.token(), "base_url": sb.base_url(), "quota_per_hour": 0, "quota_per_day": 0,
                "validation": validation})
        .to_string(),
    )
    .unwrap()
}

fn main() {
    let seconds: f64 =
        std::env::var("PASSTEAM_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let sb = Sandbox::start(SandboxConfig::default()).expect("sandbox");
    let off = client(&sb, "off");
    let normalize = client(&sb, "normalize");
    off.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "+79160001111"}})).unwrap();
    sb.clear_requests();

    let unchecked = rate(seconds, || {
        let card = off
            .get_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "+79160001111"}}))
            .expect("card");
        assert!(card["cardId"].is_string());
    });
    let checked = rate(seconds, || {
        let card = normalize
            .get_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "8 (916) 000-11-11"}}))
            .expect("card");
        assert!(card["cardId"].is_string());
    });
    let template_reads = sb.requests().iter().filter(|r| r.method == "gettemplate").count();

    let template: Value = off.get_template(json!({"templateId": TEMPLATE_LOYALTY})).unwrap();
    let rules = TemplateRules::from_result(TEMPLATE_LOYALTY, &template).expect("fields");
    let values = json!({"PHONE": "8 (916) 000-11-11", "EMAIL": " anna@example.com", "BONUS": "1 250,50",
                        "LEVEL": "gold", "BIRTHDAY": "1990-12-31"});
    let values = values.as_object().unwrap();
    let phones = passteam::validation::phone::Reader::new("RU");
    let checks = rate(seconds, || {
        let sent = check_values(&rules, values, Mode::Normalize, &phones).expect("valid");
        assert_eq!(sent.len(), 5);
    });

    println!("getcard by phone, validation off:       {unchecked:>9.0} calls/s");
    println!("getcard by phone, validation normalize: {checked:>9.0} calls/s");
    println!("ratio normalize / off: {:.2}x (1.00 = free)", checked / unchecked);
    println!("per call: {:.1} µs more", (1e6 / checked - 1e6 / unchecked).max(0.0));
    println!("gettemplate requests in the whole run: {template_reads}");
    println!("check_values alone, 5 variables:        {checks:>9.0} /s ({:.1} µs each)", 1e6 / checks);
}
