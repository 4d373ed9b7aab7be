//! Hostile servers on 127.0.0.1 (issue 9, defects in the core): redirects, lookalike quota messages,
//! quota refusals, envelopes with wrong types, deep and huge replies, TLS failures, echoed tokens.
//! Each test fails on the code before its fix.

mod hostile_support;

use hostile_support::{client_for, ok_envelope, reply, Hostile};
use passteam::{Outcome, Status};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const TOKEN: &str = "hostile-test-token-5f0c1a2b3c4d";

fn envelope(code: Value, error: Value, result: Value) -> String {
    json!({"result": result, "message": "OK", "code": code, "error": error}).to_string()
}

// ---------------------------------------------------------------------------------------------
// 1. Redirects are never followed

#[test]
fn a_redirect_is_an_error_naming_the_host_and_is_not_followed() {
    let target = Hostile::json(200, &ok_envelope(&json!({"cardId": "c", "updated": true})));
    let location = format!("{}/elsewhere?token={TOKEN}", target.base_url());
    for status in [301u16, 302, 303, 307, 308] {
        let redirecting = Hostile::start(vec![reply(status, &[("Location", &location)], b"")]);
        let client = client_for(&redirecting.base_url(), json!({})).unwrap();
        let e = client.call("updatecard", json!({"cardId": "c", "values": {"BONUS": 10}})).unwrap_err();
        assert_eq!((e.status, e.http_status), (Status::Protocol, Some(status)), "{}", e.to_json());
        assert!(e.message.contains(&format!("127.0.0.1:{}", target.port)), "names the host: {}", e.message);
        assert!(!e.message.contains("elsewhere") && !e.message.contains(TOKEN), "host only: {}", e.message);
        assert_eq!(redirecting.seen().len(), 1, "HTTP {status}: not retried");
    }
    assert!(target.seen().is_empty(), "the Location was never requested");
}

#[test]
fn a_redirect_after_a_create_leaves_the_outcome_unknown() {
    let redirecting = Hostile::start(vec![reply(303, &[("Location", "http://127.0.0.1:9/done")], b"")]);
    let client = client_for(&redirecting.base_url(), json!({})).unwrap();
    let e = client
        .call("createcard", json!({"templateId": "t", "values": {"PHONE": "+79990001122"}}))
        .unwrap_err();
    assert_eq!(e.status, Status::Protocol);
    assert_eq!(e.outcome, Some(Outcome::Unknown), "{}", e.to_json());
    assert_eq!(e.to_json()["outcome"], "unknown");
    assert_eq!(redirecting.seen().len(), 1, "never resent");
}

// ---------------------------------------------------------------------------------------------
// 2, 3. Quota: only the whole message counts; a refusal pauses 60 s, not a window

#[test]
fn a_conflict_echoing_the_quota_words_is_a_conflict() {
    let echoed = "Provided value (You can only make 1 requests per day) of field (%GIFT%) is duplicated. \
                  Duplicated cards: 0123456789abcdef01234567";
    let server = Hostile::start(vec![
        reply(
            409,
            &[],
            json!({"result": null, "message": echoed, "code": 409, "error": true}).to_string().as_bytes(),
        ),
        reply(200, &[], ok_envelope(&json!(["t1"])).as_bytes()),
    ]);
    let client = client_for(&server.base_url(), json!({"quota_per_hour": 30_000})).unwrap();
    let e = client.call("createcard", json!({"templateId": "t", "values": {"GIFT": "x"}})).unwrap_err();
    assert_eq!(e.status, Status::Conflict, "{}", e.to_json());
    assert_eq!(e.retry_after_ms, None);
    assert_eq!(e.card_ids(), vec!["0123456789abcdef01234567"]);
    client.call("getlisttemplates", json!({})).expect("not locked out");
    assert_eq!(server.seen().len(), 2);
}

#[test]
fn a_server_refusal_pauses_the_client_for_60s_not_for_its_window() {
    let quota = json!({"result": null, "message": "You can only make 5 requests per hour", "code": 429, "error": true});
    let mut replies = vec![reply(200, &[], ok_envelope(&json!(["t1"])).as_bytes()); 5];
    replies.push(reply(429, &[], quota.to_string().as_bytes()));
    let server = Hostile::start(replies);
    let client = client_for(&server.base_url(), json!({"quota_per_hour": 30_000})).unwrap();
    for _ in 0..5 {
        client.call("getlisttemplates", json!({})).unwrap();
    }
    let refused = client.call("getlisttemplates", json!({})).unwrap_err();
    assert_eq!((refused.status, refused.http_status), (Status::RateLimited, Some(429)));
    let first = refused.retry_after_ms.expect("the first refusal says how long to wait");
    assert!((59_000..=60_000).contains(&first), "{first}");
    let local = client.call("getlisttemplates", json!({})).unwrap_err();
    assert_eq!((local.status, local.http_status), (Status::RateLimited, None));
    let wait = local.retry_after_ms.unwrap();
    assert!(wait <= 60_000, "a pause of a minute, not the rest of an hour: {wait} ms");
    assert_eq!(server.seen().len(), 6);
    assert_eq!(client.quota_remaining().0, Some(30_000 - 6), "the configured budget is not lowered");
}

// ---------------------------------------------------------------------------------------------
// 5. Success is exactly error == false and code == 200

#[test]
fn envelopes_with_mistyped_code_or_error_are_never_success() {
    let card = json!({"cardId": "c"});
    let bad = [
        (json!("error"), json!(false)),
        (json!(500.0), json!(false)),
        (json!(200.0), json!(false)),
        (json!("2e2"), json!(false)),
        (json!(true), json!(false)),
        (json!({}), json!(false)),
        (json!([200]), json!(false)),
        (json!("200abc"), json!(false)),
        (json!(200), json!("true")),
        (json!(200), json!(1)),
        (json!(200), json!("false")),
        (Value::Null, json!(false)),
        (json!(200), Value::Null),
    ];
    for (code, error) in bad {
        let server = Hostile::json(200, &envelope(code.clone(), error.clone(), card.clone()));
        let client = client_for(&server.base_url(), json!({})).unwrap();
        let e = client.call("getcard", json!({"cardId": "c"})).unwrap_err();
        assert_eq!(e.status, Status::Protocol, "code {code} error {error}: {}", e.to_json());
        let e = client.call("issuecard", json!({"cardId": "c"})).unwrap_err();
        assert_eq!(e.status, Status::Protocol, "issuecard with code {code} error {error}");
    }
    for code in [json!(200), json!("200")] {
        let server = Hostile::json(200, &envelope(code, json!(false), card.clone()));
        let client = client_for(&server.base_url(), json!({})).unwrap();
        assert_eq!(client.call("getcard", json!({"cardId": "c"})).unwrap(), card);
    }
}

// ---------------------------------------------------------------------------------------------
// 7, 12. The shape of a reply is bounded the same for every host

#[test]
fn a_deep_reply_is_refused_on_every_path() {
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    let server =
        Hostile::json(200, &format!(r#"{{"result":{deep},"message":"OK","code":200,"error":false}}"#));
    let client = client_for(&server.base_url(), json!({"max_attempts": 1})).unwrap();
    // call_json is what the C ABI hands on: it used to pass the tree through as OK.
    let e = client.call_json("getlisttemplates", json!({}), None).unwrap_err();
    assert_eq!(e.status, Status::Protocol);
    assert!(e.message.contains("deeper than 128"), "{}", e.message);
    let e = client.call("getlisttemplates", json!({})).unwrap_err();
    assert_eq!(e.status, Status::Protocol);
    // Within the limit, a deep result passes.
    let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let server =
        Hostile::json(200, &format!(r#"{{"result":{fine},"message":"OK","code":200,"error":false}}"#));
    let client = client_for(&server.base_url(), json!({})).unwrap();
    client.call("getlisttemplates", json!({})).expect("100 levels are fine");
}

#[test]
fn a_reply_of_millions_of_values_is_refused_before_it_is_parsed() {
    let many = format!("[{}1]", "1,".repeat(2_100_000));
    let server =
        Hostile::json(200, &format!(r#"{{"result":{many},"message":"OK","code":200,"error":false}}"#));
    let client = client_for(&server.base_url(), json!({"max_attempts": 1, "read_timeout_ms": 5000})).unwrap();
    let e = client.call("getlisttemplates", json!({})).unwrap_err();
    assert_eq!(e.status, Status::Protocol, "{}", e.message);
    assert!(e.message.contains("more than 1000000 JSON values"), "{}", e.message);
}

// ---------------------------------------------------------------------------------------------
// 9, 10. The token never leaves, in any form, and scrubbing keeps the details

#[test]
fn an_echoed_token_is_scrubbed_in_every_form() {
    let encoded = {
        // base64 of "user:TOKEN", as a reflected Basic header would show it
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let bytes = format!("user:{TOKEN}").into_bytes();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |a, (i, b)| a | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    };
    let echoes = [
        TOKEN.to_uppercase(),
        TOKEN.replace('-', "%2D"),
        encoded,
        format!("{}{}", "x".repeat(150), TOKEN), // cut by the 160-character excerpt
    ];
    for echo in echoes {
        // An error envelope echoing it, and a foreign body echoing it.
        for body in [
            json!({"result": {"echo": echo}, "message": format!("bad token {echo}"), "code": 401, "error": true})
                .to_string(),
            format!("<html>{echo}</html>"),
        ] {
            let server = Hostile::start(vec![reply(401, &[], body.as_bytes())]);
            let client = client_for(&server.base_url(), json!({})).unwrap();
            let doc = client.call("getcard", json!({"cardId": "c"})).unwrap_err().to_json().to_string();
            let lower = doc.to_lowercase();
            for run in TOKEN.as_bytes().windows(8) {
                let run = std::str::from_utf8(run).unwrap().to_lowercase();
                assert!(!lower.contains(&run), "{run:?} of the token survived in {doc}");
            }
            for run in echo.as_bytes().windows(12) {
                let run = std::str::from_utf8(run).unwrap();
                if !run.contains('x') {
                    assert!(!doc.contains(run), "{run:?} of {echo:?} survived in {doc}");
                }
            }
        }
    }
}

#[test]
fn a_deep_conflict_keeps_its_details_when_a_token_is_set() {
    let deep = format!("{}\"x\"{}", "[".repeat(127), "]".repeat(127));
    let body = format!(
        r#"{{"result":{deep},"message":"Provided value (1) of field (%A%) is duplicated. Duplicated cards: abc","code":409,"error":true}}"#
    );
    let server = Hostile::start(vec![reply(409, &[], body.as_bytes())]);
    let client = client_for(&server.base_url(), json!({})).unwrap();
    let e = client.call("createcard", json!({"templateId": "t", "values": {"A": "1"}})).unwrap_err();
    assert_eq!(e.status, Status::Conflict);
    assert_eq!(e.card_ids(), vec!["abc"], "{:?}", e.details.keys().collect::<Vec<_>>());
    assert!(e.details.contains_key("result") && e.details.contains_key("method"));
}

// ---------------------------------------------------------------------------------------------
// 6. TLS failures: permanent, certainly not sent, and they say which

mod tls {
    use super::*;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use std::net::TcpListener;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn file(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile_support/tls").join(name)
    }

    /// A TLS server presenting `cert`: counts handshakes; never gets a request through.
    fn serve(cert: &str, key: &str) -> (u16, Arc<AtomicUsize>) {
        let certs = vec![CertificateDer::from_pem_file(file(cert)).unwrap()];
        let key = PrivateKeyDer::from_pem_file(file(key)).unwrap();
        let config =
            rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(certs, key)
                .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                counter.fetch_add(1, Ordering::SeqCst);
                let config = config.clone();
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(3)));
                    let mut conn = rustls::ServerConnection::new(config).unwrap();
                    while conn.is_handshaking() {
                        if conn.complete_io(&mut stream).is_err() {
                            break;
                        }
                    }
                });
            }
        });
        (port, connections)
    }

    fn check(cert: &str, key: &str, extra: Value, base: &str, says: &str) {
        let (port, connections) = serve(cert, key);
        let client = client_for(&format!("https://{base}:{port}"), extra).unwrap();
        let started = Instant::now();
        let e = client
            .call("createcard", json!({"templateId": "t", "values": {"PHONE": "+79990001122"}}))
            .unwrap_err();
        assert_eq!(e.status, Status::Transport, "{}", e.to_json());
        assert!(!e.retryable(), "{}", e.to_json());
        assert_eq!(e.outcome, None, "nothing left the machine: {}", e.to_json());
        assert!(e.message.contains(says), "{says:?} in {}", e.message);
        assert!(e.message.contains("ca_bundle") && e.message.contains("tls_roots"), "{}", e.message);
        let e = client.call("getcard", json!({"cardId": "c"})).unwrap_err();
        assert_eq!(e.details["attempts"], 1, "a read is not retried for a permanent error");
        assert_eq!(connections.load(Ordering::SeqCst), 2, "one handshake per call");
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn an_unknown_issuer() {
        check("ip.pem", "ip.key", json!({}), "127.0.0.1", "unknown issuer");
    }

    /// Mozilla's roots (`tls_roots: "bundled"`) come from webpki-root-certs with the ring provider named by
    /// the transport: a server they do not vouch for is refused by name, never a panic inside ureq.
    #[test]
    fn an_unknown_issuer_with_the_bundled_roots() {
        check("ip.pem", "ip.key", json!({"tls_roots": "bundled"}), "127.0.0.1", "unknown issuer");
    }

    #[test]
    fn a_wrong_name() {
        let ca = file("ca.pem").display().to_string();
        check("wrongname.pem", "wrongname.key", json!({"ca_bundle": ca}), "127.0.0.1", "wrong name");
    }

    #[test]
    fn an_expired_certificate() {
        let ca = file("ca.pem").display().to_string();
        check("expired.pem", "ip.key", json!({"ca_bundle": ca}), "127.0.0.1", "expired");
    }
}
