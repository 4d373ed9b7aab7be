mod support;
use passteam_sandbox::{Fault, TEMPLATE_LOYALTY};
use serde_json::json;
use std::time::Instant;

#[test]
fn experiment() {
    let sb = support::sandbox();
    let c = support::client(&sb, json!({}));
    for (name, f) in [("drop", Fault::drop("gettemplate")), ("drop-after", Fault::drop("gettemplate").after_processing()), ("garbage", Fault::garbage("gettemplate")), ("502", Fault::status("gettemplate", 502))] {
        sb.clear_requests();
        sb.add_fault(f);
        let r = c.call("gettemplate", json!({"templateId": TEMPLATE_LOYALTY}));
        println!("{name}: {:?} log={}", r.as_ref().map(|_| "ok").map_err(|e| e.to_json()), sb.requests().len());
    }
    for (name, f) in [("drop", Fault::drop("createcard")), ("garbage", Fault::garbage("createcard"))] {
        sb.clear_requests();
        sb.add_fault(f);
        let r = c.call("createcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": support::unique_phone()}}));
        println!("cc {name}: {:?} log={}", r.as_ref().map(|_| "ok").map_err(|e| e.to_json()), sb.requests().len());
    }
    // closed port
    let port = { let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap(); l.local_addr().unwrap().port() };
    let c2 = support::client_from(&json!({"token": "t", "base_url": format!("http://127.0.0.1:{port}"), "max_attempts": 3, "retry_base_delay_ms": 10})).unwrap();
    let t = Instant::now();
    let r = c2.call("createcard", json!({"templateId": TEMPLATE_LOYALTY}));
    println!("closed: {:?} {:?}", r.map_err(|e| e.to_json()), t.elapsed());
    // huge timeouts
    let c3 = support::client(&sb, json!({"timeout_ms": u64::MAX, "connect_timeout_ms": u64::MAX, "read_timeout_ms": u64::MAX, "retry_base_delay_ms": u64::MAX, "retry_max_delay_ms": u64::MAX}));
    let r = c3.call("gettemplate", json!({"templateId": TEMPLATE_LOYALTY}));
    println!("huge: {:?}", r.map(|_| "ok").map_err(|e| e.to_json()));
}
