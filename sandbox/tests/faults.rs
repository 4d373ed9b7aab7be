//! Fault injection, the request log, and the HTTP plumbing (keep-alive, chunked, 100-continue, shutdown).

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::*;
use passteam_sandbox::{Fault, FaultKind, TEMPLATE_GIFT, TEMPLATE_LOYALTY};
use serde_json::json;

fn card_count(sb: &passteam_sandbox::Sandbox) -> usize {
    api(sb, "getcards", &[("templateId", TEMPLATE_LOYALTY)]).ok().as_array().unwrap().len()
}

fn add_fault(sb: &passteam_sandbox::Sandbox, f: serde_json::Value) {
    let r = control(sb, "POST", "/_sandbox/faults", Some(f));
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn drop_before_and_after_processing() {
    let sb = start();
    add_fault(&sb, json!({"method": "createcard", "kind": "drop"}));
    let p = phone(1);
    let pairs = [("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", p.as_str())];
    let e = call_with_err(&sb, &pairs);
    assert!(e.is_err(), "expected a dropped connection, got {:?}", e);
    assert_eq!(card_count(&sb), 0, "a drop before processing changes nothing");

    // after_processing: the card IS created, the reply is lost
    add_fault(&sb, json!({"method": "CreateCard", "kind": "drop", "after_processing": true}));
    assert!(call_with_err(&sb, &pairs).is_err());
    assert_eq!(card_count(&sb), 1);
    // so a retry hits the duplicate
    api(&sb, "createcard", &pairs).err(409);

    let log = control(&sb, "GET", "/_sandbox/requests", None).json();
    let log = log.as_array().unwrap();
    assert_eq!(log[0]["method"], "createcard");
    assert_eq!(log[0]["status"], serde_json::Value::Null);
    assert_eq!(log[0]["fault"], "drop");
    assert_eq!(log[2]["status"], serde_json::Value::Null);
    assert_eq!(log[3]["status"], 200); // getcards
    assert_eq!(log[4]["status"], 409);
    assert_eq!(log[4]["fault"], serde_json::Value::Null);
}

fn call_with_err(sb: &passteam_sandbox::Sandbox, pairs: &[(&str, &str)]) -> std::io::Result<Resp> {
    let body = multipart(pairs);
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    raw(sb, "POST", "/oapi/v1/createcard", &[("Authorization", sb.token()), ("Content-Type", &ct)], &body)
}

#[test]
fn garbage_status_and_times() {
    let sb = start();
    add_fault(&sb, json!({"method": "*", "kind": "garbage"}));
    let r = api(&sb, "getlisttemplates", &[]);
    assert_eq!(r.status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
    assert_eq!(r.text(), "<html>Bad Gateway</html>");

    // 502 x2 then normal; a fault for another method does not hit
    add_fault(&sb, json!([{"method": "getlisttemplates", "kind": "status", "status": 502, "times": 2}]));
    add_fault(&sb, json!({"method": "createcard", "kind": "status", "status": 503}));
    for _ in 0..2 {
        let r = api(&sb, "getlisttemplates", &[]);
        assert_eq!(r.status, 502);
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert!(r.text().contains("502 Bad Gateway"));
    }
    api(&sb, "getlisttemplates", &[]).ok();
    let r = api(&sb, "createcard", &[]);
    assert_eq!(r.status, 503);

    // envelope statuses
    add_fault(&sb, json!({"kind": "status", "status": 401}));
    assert_eq!(api(&sb, "getlisttemplates", &[]).err(401), "Unauthorized");
    add_fault(&sb, json!({"kind": "status", "status": 429}));
    assert_eq!(api(&sb, "getlisttemplates", &[]).err(429), "You can only make 30000 requests per hour");
    add_fault(&sb, json!({"method": "createcard", "kind": "status", "status": 409}));
    let p = phone(3);
    let msg = api(&sb, "createcard", &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", &p)]).err(409);
    assert!(
        msg.starts_with(&format!(
            "Provided value ({p}) of field (%PHONE%) is duplicated. Duplicated cards: "
        )),
        "{msg}"
    );
    assert_eq!(card_count(&sb), 0);
    add_fault(&sb, json!({"kind": "status", "status": 500, "message": "Boom"}));
    assert_eq!(api(&sb, "getlisttemplates", &[]).err(500), "Boom");

    // status after processing: the card exists although the client saw a 504
    add_fault(
        &sb,
        json!({"method": "createcard", "kind": "status", "status": 504, "after_processing": true}),
    );
    assert_eq!(
        api(&sb, "createcard", &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", &p)]).status,
        504
    );
    assert_eq!(card_count(&sb), 1);

    // times 0 = until cleared; GET lists, DELETE clears
    add_fault(&sb, json!({"method": "sendpush", "kind": "garbage", "times": 0}));
    for _ in 0..3 {
        assert_eq!(api(&sb, "sendpush", &[]).text(), "<html>Bad Gateway</html>");
    }
    let pending = control(&sb, "GET", "/_sandbox/faults", None).json();
    assert_eq!(pending.as_array().unwrap().len(), 1);
    assert_eq!(control(&sb, "DELETE", "/_sandbox/faults", None).status, 200);
    api(&sb, "sendpush", &[]).err(400);

    // bad control input
    assert_eq!(control(&sb, "POST", "/_sandbox/faults", Some(json!({"kind": "explode"}))).status, 400);
    assert_eq!(control(&sb, "POST", "/_sandbox/faults", Some(json!({"method": "x"}))).status, 400);
    assert_eq!(control(&sb, "GET", "/_sandbox/nothing", None).status, 404);
}

#[test]
fn delay_and_rust_api() {
    let sb = start();
    add_fault(&sb, json!({"method": "getlisttemplates", "kind": "delay", "delay_ms": 300}));
    let t = Instant::now();
    api(&sb, "getlisttemplates", &[]).ok();
    assert!(t.elapsed() >= Duration::from_millis(300));
    let t = Instant::now();
    api(&sb, "getlisttemplates", &[]).ok();
    assert!(t.elapsed() < Duration::from_millis(300));

    // delay after processing: the change is visible while the reply is still delayed
    sb.add_fault(Fault::delay("createcard", 2000).after_processing());
    let port = sb.port();
    let token = sb.token().to_string();
    let h = std::thread::spawn(move || {
        let body = urlencoded(&[("templateId", TEMPLATE_GIFT), ("values[%CODE%]", "slow")]);
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let req = format!(
            "POST /oapi/v1/createcard HTTP/1.1\r\nAuthorization: {token}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        s.write_all(&[req.as_bytes(), &body].concat()).unwrap();
        read_response(&mut s).unwrap().status
    });
    let deadline = Instant::now() + Duration::from_millis(1500);
    loop {
        let cards = api(&sb, "getcards", &[("templateId", TEMPLATE_GIFT)]).ok();
        if cards.as_array().unwrap().len() == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the delayed card never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!h.is_finished(), "the reply came before the delay ended");
    assert_eq!(h.join().unwrap(), 200);

    // the Rust API builds on the same queue
    sb.add_fault(Fault::garbage("getcard").times(2));
    sb.add_fault(Fault::status("*", 503));
    assert_eq!(api(&sb, "getcard", &[]).text(), "<html>Bad Gateway</html>");
    assert_eq!(api(&sb, "getlisttemplates", &[]).status, 503); // in order: * matched
    assert_eq!(api(&sb, "getcard", &[]).text(), "<html>Bad Gateway</html>");
    api(&sb, "getcard", &[]).err(400);
    sb.add_fault(Fault::new("*", FaultKind::Drop));
    sb.clear_faults();
    api(&sb, "getlisttemplates", &[]).ok();
    let reqs = sb.requests();
    assert!(reqs.iter().any(|r| r.fault.as_deref() == Some("delay")));
    sb.clear_requests();
    assert!(sb.requests().is_empty());
}

#[test]
fn request_log() {
    let sb = start();
    api_enc(
        &sb,
        Enc::Multipart,
        "createcard",
        &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", "+79120000001")],
    );
    api_enc(&sb, Enc::Urlencoded, "getCard", &[("cardCode", "000000001")]);
    raw(&sb, "POST", "/oapi/v1/getlisttemplates", &[("Authorization", "bad-token")], b"").unwrap();
    raw(&sb, "GET", "/oapi/v1/sale?id=sale-1", &[("Authorization", sb.token())], b"").unwrap();
    raw(
        &sb,
        "POST",
        "/oapi/v1/createcard",
        &[("Authorization", sb.token()), ("Content-Type", "application/json")],
        b"{\"templateId\":\"x\"}",
    )
    .unwrap();
    control(&sb, "GET", "/_sandbox/info", None); // control requests are not logged

    let r = control(&sb, "GET", "/_sandbox/requests", None);
    assert!(!r.text().contains(sb.token()), "the token must never be recorded: {}", r.text());
    let log = r.json();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 5, "{log:?}");
    assert_eq!(log[0]["seq"], 1);
    assert_eq!(log[0]["verb"], "POST");
    assert_eq!(log[0]["path"], "/oapi/v1/createcard");
    assert_eq!(log[0]["method"], "createcard");
    assert_eq!(log[0]["content_type"], "multipart");
    assert_eq!(log[0]["auth_ok"], true);
    assert_eq!(log[0]["has_authorization"], true);
    assert_eq!(log[0]["fields"], json!({"templateId": TEMPLATE_LOYALTY, "values[%PHONE%]": "+79120000001"}));
    assert_eq!(log[0]["status"], 200);
    assert_eq!(log[0]["fault"], serde_json::Value::Null);
    assert_eq!(log[1]["method"], "getcard");
    assert_eq!(log[1]["path"], "/oapi/v1/getCard");
    assert_eq!(log[1]["content_type"], "urlencoded");
    assert_eq!(log[2]["auth_ok"], false);
    assert_eq!(log[2]["has_authorization"], true);
    assert_eq!(log[2]["content_type"], "none");
    assert_eq!(log[2]["status"], 401);
    assert_eq!(log[3]["verb"], "GET");
    assert_eq!(log[3]["method"], "/oapi/v1/sale");
    assert_eq!(log[3]["fields"], json!({"id": "sale-1"}));
    assert_eq!(log[4]["content_type"], "other");
    assert_eq!(log[4]["status"], 400); // JSON bodies are not read

    assert_eq!(control(&sb, "DELETE", "/_sandbox/requests", None).status, 200);
    assert_eq!(control(&sb, "GET", "/_sandbox/requests", None).json(), json!([]));
    raw(&sb, "POST", "/oapi/v1/getlisttemplates", &[], b"").unwrap();
    let log = sb.requests();
    assert_eq!(log.len(), 1);
    assert!(!log[0].has_authorization);
    assert!(log[0].seq > 5);
}

#[test]
fn http_plumbing() {
    let sb = start();
    let mut s = connect(&sb);
    // keep-alive: several requests on one connection, one of them chunked, one with Expect
    let body = urlencoded(&[("templateId", TEMPLATE_LOYALTY)]);
    let req = format!(
        "POST /oapi/v1/gettemplate HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        sb.token(),
        body.len()
    );
    s.write_all(&[req.as_bytes(), &body].concat()).unwrap();
    let r = read_response(&mut s).unwrap();
    assert_eq!(r.header("connection"), Some("keep-alive"));
    assert_eq!(r.ok()["templateId"], TEMPLATE_LOYALTY);

    let mp =
        multipart(&[("templateId", TEMPLATE_GIFT), ("values[%CODE%]", "chunky"), ("values[%AMOUNT%]", "5")]);
    let (a, b) = mp.split_at(mp.len() / 3);
    let mut chunked = Vec::new();
    for part in [a, b] {
        chunked.extend_from_slice(format!("{:x};ext=1\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\nX-Trailer: y\r\n\r\n");
    let req = format!(
        "POST /oapi/v1/createcard HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nTransfer-Encoding: chunked\r\n\r\n",
        sb.token()
    );
    s.write_all(&[req.as_bytes(), &chunked].concat()).unwrap();
    assert_eq!(read_response(&mut s).unwrap().ok()["values"]["%CODE%"], "chunky");

    let req = format!(
        "POST /oapi/v1/getcard HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\nContent-Length: 16\r\n\r\n",
        sb.token()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut cont = [0u8; 25];
    s.read_exact(&mut cont).unwrap();
    assert_eq!(&cont, b"HTTP/1.1 100 Continue\r\n\r\n");
    s.write_all(b"cardCode=nothing").unwrap();
    assert_eq!(read_response(&mut s).unwrap().err(404), "Card not found");

    // a malformed request gets a 400 and the connection closes
    s.write_all(b"NOT HTTP AT ALL\r\n\r\n").unwrap();
    let r = read_response(&mut s).unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(r.header("connection"), Some("close"));

    // card pages exist
    let card = api(&sb, "getcard", &[("cardCode", "000000001")]).ok();
    let page = raw(&sb, "GET", &card["cardUrl"].as_str().unwrap()[sb.base_url().len()..], &[], b"").unwrap();
    assert_eq!(page.status, 200);
    assert!(page.text().contains("chunky"));

    assert_eq!(sb.base_url(), format!("http://127.0.0.1:{}", sb.port()));
}

#[test]
fn shutdown_does_not_hang() {
    let sb = start();
    let port = sb.port();
    // an idle keep-alive connection, a half-sent request, and a request stuck in a delay fault
    let idle = connect(&sb);
    let mut half = connect(&sb);
    half.write_all(b"POST /oapi/v1/getcard HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc").unwrap();
    sb.add_fault(Fault::delay("*", 60_000));
    let token = sb.token().to_string();
    let h = std::thread::spawn(move || {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let req = format!(
            "POST /oapi/v1/getlisttemplates HTTP/1.1\r\nAuthorization: {token}\r\nContent-Length: 0\r\n\r\n"
        );
        s.write_all(req.as_bytes()).unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
    });
    std::thread::sleep(Duration::from_millis(200));
    let t = Instant::now();
    sb.shutdown();
    assert!(t.elapsed() < Duration::from_secs(2), "shutdown took {:?}", t.elapsed());
    h.join().unwrap();
    assert!(t.elapsed() < Duration::from_secs(3));
    drop((idle, half));
    // the port is free again
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}
