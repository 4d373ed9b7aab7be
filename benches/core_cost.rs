//! Benchmark (not a test): the library's own cost per getcard call without the network, step by step
//! (params JSON in, table lookup and form fields, the body, the envelope of a 1 KiB reply, the result out),
//! so that a regression in any step has a number. Prints a table, then one JSON line for scripts/bench.
//!
//! Run: `cargo bench -p passteam --bench core_cost` (PASSTEAM_BENCH_QUICK=1 for a short run).

use passteam::bench_support as steps;
use serde_json::json;
use std::hint::black_box;
use std::time::Instant;

fn time_ns(iterations: u32, mut step: impl FnMut()) -> f64 {
    for _ in 0..iterations / 10 {
        step();
    }
    let started = Instant::now();
    for _ in 0..iterations {
        step();
    }
    started.elapsed().as_nanos() as f64 / f64::from(iterations)
}

fn main() {
    let quick = std::env::var("PASSTEAM_BENCH_QUICK").as_deref() == Ok("1");
    let n = if quick { 20_000 } else { 200_000 };
    let params_text = r#"{"cardId": "5f0c1a2b3c4d5e6f7a8b9c0d"}"#;
    let update_text =
        r#"{"cardId": "5f0c1a2b3c4d5e6f7a8b9c0d", "values": {"BONUS": "124", "CLIENT_NAME": "Иван Петров"}}"#;
    let card = json!({
        "cardId": "5f0c1a2b3c4d5e6f7a8b9c0d", "cardCode": "100001", "templateId": "5e424c181dbf0d537c8b4569",
        "cardUrl": "https://getpass.passteam.ru/card/5f0c1a2b3c4d5e6f7a8b9c0d", "installed": true,
        "values": {"%CLIENT_NAME%": "Иван Петров", "%PHONE%": "+79161234567", "%BONUS%": "124"},
        "history": (0..8).map(|_| json!({"date": "2026-11-30", "bonus": "12", "comment": "x".repeat(40)})).collect::<Vec<_>>(),
    });
    let reply = json!({"error": false, "code": 200, "result": card}).to_string().into_bytes();
    let params = steps::parse_params(params_text).unwrap();
    let update = steps::parse_params(update_text).unwrap();
    let fields = steps::prepare("getcard", params.as_object().unwrap()).unwrap();
    let update_fields = steps::prepare("updatecard", update.as_object().unwrap()).unwrap();

    let rows = [
        ("params JSON in", time_ns(n, || drop(black_box(steps::parse_params(black_box(params_text)))))),
        (
            "table lookup + checks + form fields",
            time_ns(n, || drop(black_box(steps::prepare("getcard", params.as_object().unwrap())))),
        ),
        (
            "same, updatecard with 2 values",
            time_ns(n, || drop(black_box(steps::prepare("updatecard", update.as_object().unwrap())))),
        ),
        ("multipart body", time_ns(n, || drop(black_box(steps::multipart(black_box(&fields)))))),
        (
            "multipart body, updatecard",
            time_ns(n, || drop(black_box(steps::multipart(black_box(&update_fields))))),
        ),
        ("urlencoded body", time_ns(n, || drop(black_box(steps::urlencoded(black_box(&fields)))))),
        (
            "envelope of a 1 KiB reply",
            time_ns(n, || drop(black_box(steps::envelope(200, black_box(&reply))))),
        ),
        ("result out (owned text)", {
            let raw = steps::envelope(200, &reply).unwrap();
            time_ns(n, || drop(black_box(String::from(black_box(raw.get())))))
        }),
    ];
    let total: f64 = [0usize, 1, 3, 6, 7].iter().map(|&i| rows[i].1).sum();
    println!("{:<40} {:>10}", "step (getcard unless said)", "ns/call");
    for (name, ns) in &rows {
        println!("{name:<40} {ns:>10.0}");
    }
    println!("{:<40} {:>10.0}", "one getcard call, all steps", total);
    let steps_json: serde_json::Map<String, serde_json::Value> =
        rows.iter().map(|(k, v)| (k.to_string(), json!(v.round()))).collect();
    println!("{}", json!({"steps_ns": steps_json, "total_getcard_ns": total.round()}));
}
