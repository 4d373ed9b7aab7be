//! `Client::diagnose` / `passteam_diagnose`: each check's outcomes against the sandbox and small servers on
//! 127.0.0.1 (plain HTTP with a chosen Date header, TLS with self-signed, expired and wrong-name certificates).

mod support;

use passteam::diagnose::{Level, Report};
use passteam_ffi::*;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::{json, Value};
use std::ffi::{CStr, CString};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use support::*;

/// The whole diagnosis must stay well inside the ten seconds the support call allows.
fn diagnose(config: &Value) -> Report {
    let client = client_from(config).expect("config is valid");
    let started = Instant::now();
    let report = client.diagnose();
    assert!(started.elapsed() < Duration::from_secs(10), "diagnosis took {:?}", started.elapsed());
    report
}

fn level(report: &Report, name: &str) -> Level {
    report.check(name).unwrap_or_else(|| panic!("no {name} check in {}", report.to_json())).level
}

fn advice(report: &Report, name: &str) -> String {
    report.check(name).map(|c| c.advice.clone()).unwrap_or_default()
}

/// An HTTP date `offset_s` seconds from now.
fn http_date(offset_s: i64) -> String {
    let t = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64 + offset_s;
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil from days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    format!(
        "{weekday}, {d:02} {} {y} {:02}:{:02}:{:02} GMT",
        months[(m - 1) as usize],
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Reads one request (head and Content-Length body) and answers `status` with `body`.
fn answer(stream: &mut (impl Read + Write), status: u16, date: Option<&str>, body: &str) {
    let mut reader = BufReader::new(&mut *stream);
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
    let mut rest = vec![0u8; length];
    let _ = reader.read_exact(&mut rest);
    let date = date.map_or(String::new(), |d| format!("Date: {d}\r\n"));
    let reply = format!(
        "HTTP/1.1 {status} X\r\n{date}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
    let _ = stream.flush();
}

const TEMPLATES: &str = r#"{"error": false, "code": 200, "result": [{"id": "t1", "name": "Loyalty"}]}"#;

/// A plain HTTP server answering every request with the envelope and the given Date header.
fn http_server(date: Option<String>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten().take(16) {
            answer(&mut stream, 200, date.as_deref(), TEMPLATES);
        }
    });
    url
}

/// A TLS server with the given certificate, answering the envelope with a correct Date header.
fn tls_server(cert: CertificateDer<'static>, key: PrivateKeyDer<'static>) -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://localhost:{}", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten().take(16) {
            let config = config.clone();
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let Ok(conn) = rustls::ServerConnection::new(config) else { return };
                let mut tls = rustls::StreamOwned::new(conn, stream);
                answer(&mut tls, 200, Some(&http_date(0)), TEMPLATES);
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    url
}

struct Cert {
    der: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
    pem: String,
}

fn certificate(names: &[&str], expired: bool) -> Cert {
    let mut params =
        rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name.push(rcgen::DnType::CommonName, "passteam doctor test");
    if expired {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    Cert {
        der: cert.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        pem: cert.pem(),
    }
}

fn bundle(cert: &Cert) -> String {
    let path = temp_dir("doctor").join("ca.pem");
    std::fs::write(&path, &cert.pem).unwrap();
    path.display().to_string()
}

fn quiet(url: &str, token: &str, extra: Value) -> Value {
    let mut config = json!({
        "token": token, "base_url": url, "timeout_ms": 4000, "connect_timeout_ms": 1000, "read_timeout_ms": 2000,
        "quota_per_hour": 0, "quota_per_day": 0,
    });
    for (k, v) in extra.as_object().unwrap() {
        config[k] = v.clone();
    }
    config
}

#[test]
fn against_the_sandbox_the_way_is_clear() {
    let sb = sandbox();
    let report = diagnose(&config_json(&sb, json!({})));
    for name in ["proxy", "dns", "tcp", "tls", "token", "clock", "quota", "library"] {
        assert_eq!(level(&report, name), Level::Ok, "{name}: {}", report.to_json());
    }
    assert!(report.check("token").unwrap().figure.contains("template"), "{}", report.to_json());
    let doc = report.to_json();
    assert_eq!(
        doc["checks"].as_array().unwrap().iter().find(|c| c["name"] == "library").unwrap()["details"]
            ["config"]["token"],
        json!(format!("*** ({} characters)", sb.token().len()))
    );
    assert!(!doc.to_string().contains(sb.token()), "the token leaked into the report");
}

#[test]
fn a_wrong_token_fails_the_token_check_and_says_what_401_means() {
    let sb = sandbox();
    let report = diagnose(&config_json(&sb, json!({"token": "not-the-right-token"})));
    assert_eq!(level(&report, "token"), Level::Failed);
    assert!(advice(&report, "token").contains("does not accept this token"), "{}", advice(&report, "token"));
    assert!(!report.to_json().to_string().contains("not-the-right-token"));
}

#[test]
fn no_token_says_how_to_set_one() {
    let sb = sandbox();
    let report = diagnose(&config_json(&sb, json!({"token": null})));
    assert_eq!(level(&report, "token"), Level::Failed);
    assert!(advice(&report, "token").contains("PASSTEAM_TOKEN"));
}

#[test]
fn a_closed_port_fails_tcp_and_skips_what_needs_it() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let report = diagnose(&quiet(&format!("http://127.0.0.1:{port}"), "t0ken", json!({})));
    assert_eq!(level(&report, "dns"), Level::Ok);
    assert_eq!(level(&report, "tcp"), Level::Failed);
    assert!(advice(&report, "tcp").contains("nothing listens"), "{}", advice(&report, "tcp"));
    assert_eq!(level(&report, "token"), Level::Failed);
    assert!(!report.to_json()["ok"].as_bool().unwrap());
}

#[test]
fn an_unknown_host_fails_dns() {
    let report = diagnose(&quiet("https://no-such-host.invalid", "t0ken", json!({})));
    assert_eq!(level(&report, "dns"), Level::Failed, "{}", report.to_json());
    assert!(report.check("tcp").is_none(), "nothing to connect to");
}

#[test]
fn the_clock_check_reads_the_date_header() {
    let in_step = diagnose(&quiet(&http_server(Some(http_date(0))), "t0ken", json!({})));
    assert_eq!(level(&in_step, "clock"), Level::Ok, "{}", in_step.to_json());
    assert_eq!(level(&in_step, "token"), Level::Ok);
    let off = diagnose(&quiet(&http_server(Some(http_date(-120))), "t0ken", json!({})));
    assert_eq!(level(&off, "clock"), Level::Warning, "{}", off.to_json());
    assert!(off.check("clock").unwrap().figure.contains("ahead"), "{}", off.check("clock").unwrap().figure);
    let far = diagnose(&quiet(&http_server(Some(http_date(7200))), "t0ken", json!({})));
    assert_eq!(level(&far, "clock"), Level::Failed);
    let none = diagnose(&quiet(&http_server(None), "t0ken", json!({})));
    assert_eq!(level(&none, "clock"), Level::Warning);
}

#[test]
fn a_spent_budget_fails_quota_and_does_not_spend_more() {
    let sb = sandbox();
    let client = client_from(&config_json(&sb, json!({"quota_per_hour": 10}))).unwrap();
    for _ in 0..8 {
        client.call("getlisttemplates", json!({})).unwrap();
    }
    // The diagnosis's own call is the 9th of 10: less than 10 % left.
    let low = client.diagnose();
    assert_eq!(low.check("quota").unwrap().level, Level::Warning, "{}", low.to_json());
    // The 10th: the budget is now spent, but this call still got through.
    let last = client.diagnose();
    assert_eq!(last.check("token").unwrap().level, Level::Ok);
    assert_eq!(last.check("quota").unwrap().level, Level::Failed, "{}", last.to_json());
    // Past the budget the token is not checked, and nothing is sent.
    let before = sb.requests().len();
    let spent = client.diagnose();
    assert_eq!(spent.check("token").unwrap().level, Level::Warning, "{}", spent.to_json());
    assert_eq!(spent.check("quota").unwrap().level, Level::Failed);
    assert_eq!(spent.check("quota").unwrap().details["hour"]["left"], json!(0));
    assert_eq!(sb.requests().len(), before, "a spent budget sends nothing");
    let fine = client_from(&config_json(&sb, json!({"quota_per_hour": 100}))).unwrap().diagnose();
    assert_eq!(fine.check("quota").unwrap().level, Level::Ok);
}

#[test]
fn a_server_refusal_shows_as_a_pause() {
    let sb = sandbox();
    sb.set_quota(Some(1), 429);
    let client = client_from(&config_json(&sb, json!({}))).unwrap();
    let _ = client.call("getlisttemplates", json!({}));
    let _ = client.call("getlisttemplates", json!({}));
    let report = client.diagnose();
    assert_eq!(report.check("quota").unwrap().level, Level::Failed, "{}", report.to_json());
    assert!(report.check("quota").unwrap().advice.contains("refused"));
}

#[test]
fn a_self_signed_certificate_is_refused_without_ca_bundle_and_accepted_with_it() {
    let cert = certificate(&["localhost"], false);
    let url = tls_server(cert.der.clone(), cert.key.clone_key());
    let refused = diagnose(&quiet(&url, "t0ken", json!({})));
    assert_eq!(level(&refused, "tls"), Level::Failed, "{}", refused.to_json());
    assert!(advice(&refused, "tls").contains("ca_bundle"), "{}", advice(&refused, "tls"));
    let tls = refused.check("tls").unwrap();
    assert_eq!(tls.details["trusted"], json!(false));
    assert!(tls.details["chain"][0]["subject"].as_str().unwrap().contains("passteam doctor test"));
    assert_eq!(level(&refused, "token"), Level::Failed, "the token is never sent over a refused certificate");

    let accepted = diagnose(&quiet(&url, "t0ken", json!({"ca_bundle": bundle(&cert)})));
    assert_eq!(level(&accepted, "tls"), Level::Ok, "{}", accepted.to_json());
    assert_eq!(level(&accepted, "token"), Level::Ok, "{}", accepted.to_json());
    assert_eq!(level(&accepted, "clock"), Level::Ok);
    assert!(accepted.check("tls").unwrap().details["chain"][0]["days_left"].as_i64().unwrap() > 300);
}

#[test]
fn an_expired_certificate_is_named_as_expired() {
    let cert = certificate(&["localhost"], true);
    let url = tls_server(cert.der.clone(), cert.key.clone_key());
    let report = diagnose(&quiet(&url, "t0ken", json!({"ca_bundle": bundle(&cert)})));
    assert_eq!(level(&report, "tls"), Level::Failed, "{}", report.to_json());
    assert!(advice(&report, "tls").contains("expired"), "{}", advice(&report, "tls"));
    assert!(report.check("tls").unwrap().details["chain"][0]["days_left"].as_i64().unwrap() < 0);
}

#[test]
fn a_certificate_for_another_host_is_named_as_such() {
    let cert = certificate(&["shop.example"], false);
    let url = tls_server(cert.der.clone(), cert.key.clone_key());
    let report = diagnose(&quiet(&url, "t0ken", json!({"ca_bundle": bundle(&cert)})));
    assert_eq!(level(&report, "tls"), Level::Failed, "{}", report.to_json());
    assert!(advice(&report, "tls").contains("not for \"localhost\""), "{}", advice(&report, "tls"));
}

#[test]
fn the_table_is_aligned_and_coloured_only_when_asked() {
    let sb = sandbox();
    let report = diagnose(&config_json(&sb, json!({})));
    let plain = report.to_table(false);
    assert!(!plain.contains('\x1b'));
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(lines.len(), report.checks.len());
    let column = |l: &str| l.find(" ok ").or_else(|| l.find(" warning ")).or_else(|| l.find(" failed "));
    let first = column(lines[0]).unwrap();
    assert!(lines.iter().all(|l| column(l) == Some(first)), "{plain}");
    assert!(report.to_table(true).contains("\x1b[32mok"));
}

#[test]
fn the_c_export_answers_the_document_and_refuses_null() {
    let sb = sandbox();
    let config = CString::new(config_json(&sb, json!({})).to_string()).unwrap();
    let mut client = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    unsafe {
        assert_eq!(passteam_client_new(config.as_ptr(), &mut client, &mut err), PASSTEAM_OK);
        let mut out = std::ptr::null_mut();
        assert_eq!(passteam_diagnose(client, &mut out), PASSTEAM_OK);
        let doc: Value = serde_json::from_str(CStr::from_ptr(out).to_str().unwrap()).unwrap();
        passteam_string_free(out);
        assert_eq!(doc["ok"], json!(true), "{doc}");
        assert!(doc["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "token" && c["status"] == "ok"));
        let mut out = std::ptr::null_mut();
        assert_eq!(passteam_diagnose(std::ptr::null(), &mut out), PASSTEAM_ERR_INVALID_ARGUMENT);
        assert!(CStr::from_ptr(out).to_str().unwrap().contains("client is NULL"));
        passteam_string_free(out);
        assert_eq!(passteam_diagnose(client, std::ptr::null_mut()), PASSTEAM_ERR_INVALID_ARGUMENT);
        passteam_client_free(client);
    }
}

#[test]
fn a_queued_outbox_is_a_warning_with_its_figures() {
    let dir = temp_dir("doctor-outbox");
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let config = quiet(
        &format!("http://127.0.0.1:{port}"),
        "t0ken",
        json!({"outbox_path": dir.join("outbox.sqlite").display().to_string(), "outbox_replay": "manual",
               "max_attempts": 1, "validation": "off"}),
    );
    let client = client_from(&config).unwrap();
    let empty = client.diagnose();
    assert_eq!(level(&empty, "outbox"), Level::Ok, "{}", empty.to_json());
    let queued =
        client.call("updatecard", json!({"cardId": "5f0c1a2b3c4d5e6f7a8b9c0d", "values": {"BONUS": "5"}}));
    assert!(queued.as_ref().is_err_and(|e| e.is_queued()), "{queued:?}");
    let report = client.diagnose();
    let outbox = report.check("outbox").expect("an outbox check");
    assert_eq!(outbox.level, Level::Warning, "{}", report.to_json());
    assert_eq!(outbox.details["pending"], json!(1));
    assert!(outbox.figure.starts_with("1 pending, 0 dead"), "{}", outbox.figure);
    // No outbox configured: no outbox line.
    let sb = sandbox();
    assert!(diagnose(&config_json(&sb, json!({}))).check("outbox").is_none());
}
