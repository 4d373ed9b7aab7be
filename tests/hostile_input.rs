//! Hostile config, params and messages (issue 9, defects in the core): header values, secrets in the
//! log, forged log lines, a concurrent free through the C ABI, oversized params, what timeouts say.
//! Each test fails on the code before its fix.

mod hostile_support;

use hostile_support::{client_for, ok_envelope, reply, Hostile};
use passteam::Status;
use passteam_ffi::*;
use serde_json::{json, Map, Value};
use std::ffi::{CStr, CString};
use std::ptr;
use std::time::{Duration, Instant};

fn temp_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("passteam-hostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("calls.log");
    let _ = std::fs::remove_file(&path);
    path
}

// ---------------------------------------------------------------------------------------------
// 4. Header values from config are checked at client creation; nothing from config panics

#[test]
fn header_values_that_http_cannot_carry_are_refused_at_creation() {
    let server = Hostile::json(200, &ok_envelope(&json!([])));
    for (key, value, names) in [
        ("user_agent", "till\r\nX-Evil: 1", "user_agent"),
        ("user_agent", "till\u{7}", "user_agent"),
        ("user_agent", "касса", "user_agent"),
        ("token", "Токен-кассы-12345678", "token"),
        ("token", "tok en", "token"),
        ("token", "tok\nen", "token"),
    ] {
        let e = client_for(&server.base_url(), json!({ key: value })).unwrap_err();
        assert_eq!(e.status, Status::InvalidArgument, "{key}={value:?}: {}", e.to_json());
        assert!(e.message.contains(names), "{}", e.message);
        assert!(!e.message.contains(value), "the value itself is not echoed (it may be the token)");
        // And through the C ABI: a status, not PASSTEAM_ERR_INTERNAL later.
        let config = CString::new(
            json!({"token": "t0123456789", "base_url": server.base_url(), key: value}).to_string(),
        )
        .unwrap();
        let (mut client, mut error) = (ptr::null_mut(), ptr::null_mut());
        let status = unsafe { passteam_client_new(config.as_ptr(), &mut client, &mut error) };
        assert_eq!(status, PASSTEAM_ERR_INVALID_ARGUMENT, "{key}={value:?}");
        assert!(client.is_null());
        unsafe { passteam_string_free(error) };
    }
    assert!(server.seen().is_empty());
}

#[test]
fn no_config_value_makes_a_call_panic() {
    let server = Hostile::json(200, &ok_envelope(&json!([])));
    let weird = ["\n", "\r\n", "\u{0}", "\u{7f}", " ", "%%", "http://", "http://[::1", "кириллица"];
    for key in ["base_url", "proxy", "user_agent", "token"] {
        for value in weird {
            let outcome = std::panic::catch_unwind(|| {
                let base = if key == "base_url" {
                    format!("{}{value}", server.base_url())
                } else {
                    server.base_url()
                };
                let mut extra = json!({ "base_url": base });
                if key != "base_url" {
                    extra[key] = Value::from(value);
                }
                if let Ok(client) = client_for(&server.base_url(), extra) {
                    let _ = client.call("getlisttemplates", json!({}));
                }
            });
            assert!(outcome.is_ok(), "{key}={value:?} panicked");
        }
    }
    for value in weird {
        for field in ["base_url", "path"] {
            let outcome = std::panic::catch_unwind(|| {
                let base = if field == "base_url" {
                    format!("{}{value}", server.base_url())
                } else {
                    server.base_url()
                };
                let endpoint = if field == "path" {
                    json!({"base_url": base, "path": format!("/api/sale{value}")})
                } else {
                    json!({"base_url": base})
                };
                if let Ok(client) =
                    client_for(&server.base_url(), json!({"endpoints": {"getsale": endpoint}}))
                {
                    let _ = client.call("getsale", json!({"id": "s"}));
                }
            });
            assert!(outcome.is_ok(), "endpoints.getsale.{field} with {value:?} panicked");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 8, 9, 11. The log: no secrets, owner-only, one line per line, dates left alone

#[test]
fn the_password_and_token_never_reach_the_log_or_the_error() {
    let password = "S3cret-Pa55word-for-the-till";
    let echo =
        format!("wrong password {password} for nickname shop (token {})", "hostile-test-token-5f0c1a2b3c4d");
    let server = Hostile::start(vec![reply(
        401,
        &[],
        json!({"result": null, "message": echo, "code": 401, "error": true}).to_string().as_bytes(),
    )]);
    let log = temp_file("secrets");
    let client =
        client_for(&server.base_url(), json!({"log_file": log.display().to_string(), "log_level": "debug"}))
            .unwrap();
    let e = client.call("getatoken", json!({"nickname": "shop", "password": password})).unwrap_err();
    assert!(!e.to_json().to_string().contains(password), "{}", e.to_json());
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("getatoken"), "the call was logged: {text}");
    assert!(!text.contains(password) && !text.contains("Pa55word"), "{text}");
    assert!(!text.contains("hostile-test-token"), "{text}");
    assert!(text.contains("password=***"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the log is the owner's only: {mode:o}");
    }
}

#[test]
fn a_server_message_cannot_forge_log_lines_and_dates_are_not_phones() {
    let forged = "no such card\n2026-12-01T00:00:00Z INFO  createcard attempt=1 http=200 ok 1ms\rvalid until 2026-12-01";
    let server = Hostile::start(vec![reply(
        404,
        &[],
        json!({"result": null, "message": forged, "code": 404, "error": true}).to_string().as_bytes(),
    )]);
    let log = temp_file("forged");
    let client = client_for(&server.base_url(), json!({"log_file": log.display().to_string()})).unwrap();
    let e = client.call("getcard", json!({"cardId": "c"})).unwrap_err();
    assert_eq!(e.status, Status::NotFound);
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 1, "one attempt, one line: {text}");
    assert!(text.contains("\\n2026-12-01T00:00:00Z INFO"), "escaped, visible: {text}");
    assert!(text.contains("valid until 2026-12-01"), "a date is not a phone: {text}");
}

#[test]
fn a_short_token_does_not_blank_out_every_matching_substring() {
    let server = Hostile::start(vec![reply(
        404,
        &[],
        json!({"result": null, "message": "card abc123def not found; token abc refused", "code": 404, "error": true})
            .to_string()
            .as_bytes(),
    )]);
    let client = client_for(&server.base_url(), json!({"token": "abc"})).unwrap();
    let e = client.call("getcard", json!({"cardId": "c"})).unwrap_err();
    assert_eq!(e.message, "card abc123def not found; token *** refused");
}

/// Found by the c_abi fuzz target (fuzz/regressions/c_abi/crash-360ed18...): an unknown method name is
/// echoed in the error, and when that text holds the token (a caller who passed the token where the method
/// goes, or built the name from a config), the token left in the message and the details. The method
/// lookup failed before the client's scrubber ran; every error of a call now passes it.
#[test]
fn an_unknown_method_that_holds_the_token_does_not_echo_it() {
    let token = "timeout_msk-5f0c1a2b";
    let client = client_for("http://127.0.0.1:9", json!({"token": token})).unwrap();
    for method in [token.to_owned(), format!(" ;\":\"{token}\"}}")] {
        let e = client.call(&method, json!({})).unwrap_err();
        assert_eq!(e.status, Status::InvalidArgument);
        let doc = e.to_json().to_string();
        assert!(!doc.contains(token), "the token was echoed: {doc}");
        assert!(e.message.contains("unknown method"), "{}", e.message);
    }
    let config = CString::new(json!({"token": token, "base_url": "http://127.0.0.1:9"}).to_string()).unwrap();
    let (mut handle, mut error) = (ptr::null_mut(), ptr::null_mut());
    unsafe {
        assert_eq!(passteam_client_new(config.as_ptr(), &mut handle, &mut error), PASSTEAM_OK);
        let method = CString::new(token).unwrap();
        let mut out = ptr::null_mut();
        let rc = passteam_call(handle, method.as_ptr(), c"{}".as_ptr(), &mut out);
        let text = CStr::from_ptr(out).to_str().unwrap().to_owned();
        passteam_string_free(out);
        passteam_client_free(handle);
        assert_eq!(rc, PASSTEAM_ERR_INVALID_ARGUMENT);
        assert!(!text.contains(token), "the token was echoed through the C ABI: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// 13. passteam_client_free while calls are in flight

struct Shared(*mut PassteamClient);
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

#[test]
fn a_client_freed_during_calls_lets_them_finish() {
    let server = Hostile::start_slow(
        vec![reply(200, &[], ok_envelope(&json!(["t1"])).as_bytes())],
        Duration::from_millis(400),
    );
    let log = temp_file("free");
    let config = CString::new(
        json!({"token": "t0123456789", "base_url": server.base_url(), "log_file": log.display().to_string(),
               "timeout_ms": 5000, "read_timeout_ms": 5000, "quota_per_hour": 0, "quota_per_day": 0})
        .to_string(),
    )
    .unwrap();
    let (mut client, mut error) = (ptr::null_mut(), ptr::null_mut());
    assert_eq!(unsafe { passteam_client_new(config.as_ptr(), &mut client, &mut error) }, PASSTEAM_OK);
    let shared = std::sync::Arc::new(Shared(client));
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let shared = shared;
                let method = c"getlisttemplates";
                let mut out = ptr::null_mut();
                let status = unsafe { passteam_call(shared.0, method.as_ptr(), ptr::null(), &mut out) };
                let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
                unsafe { passteam_string_free(out) };
                (status, text)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(150)); // the calls are waiting on the server now
    unsafe { passteam_client_free(shared.0) };
    unsafe { passteam_client_free(shared.0) }; // a second free while calls hold it is a no-op
    for call in calls {
        let (status, text) = call.join().unwrap();
        assert_eq!((status, text.as_str()), (PASSTEAM_OK, r#"["t1"]"#));
    }
    let lines = std::fs::read_to_string(&log).unwrap();
    assert_eq!(lines.lines().filter(|l| l.contains("ok")).count(), 4, "each call logged its end: {lines}");
}

// ---------------------------------------------------------------------------------------------
// 14. Params are bounded before any work

#[test]
fn a_million_param_keys_is_a_quick_validation_error() {
    let server = Hostile::json(200, &ok_envelope(&json!({})));
    let client = client_for(&server.base_url(), json!({})).unwrap();
    let mut params: Map<String, Value> = (0..1_000_000).map(|i| (format!("k{i}"), Value::from(i))).collect();
    params.insert("cardId".into(), Value::from("c"));
    let started = Instant::now();
    let e = client
        .call_with_timeout("getcard", Value::Object(params), Some(Duration::from_millis(100)))
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(e.status, Status::Validation, "{}", e.message);
    assert!(e.message.contains("too large"), "{}", e.message);
    // Most of what remains is freeing the caller's million strings (a debug build, a shared machine).
    assert!(elapsed < Duration::from_secs(1), "refused before any work, took {elapsed:?}");
    assert!(server.seen().is_empty(), "nothing was sent");
}

#[test]
fn a_million_param_keys_through_the_c_abi_is_refused_before_parsing() {
    let server = Hostile::json(200, &ok_envelope(&json!({})));
    let config =
        CString::new(json!({"token": "t0123456789", "base_url": server.base_url()}).to_string()).unwrap();
    let (mut client, mut error) = (ptr::null_mut(), ptr::null_mut());
    assert_eq!(unsafe { passteam_client_new(config.as_ptr(), &mut client, &mut error) }, PASSTEAM_OK);
    let mut text = String::from("{\"cardId\":\"c\"");
    for i in 0..1_000_000 {
        text.push_str(&format!(",\"k{i}\":{i}"));
    }
    text.push('}');
    let params = CString::new(text).unwrap();
    let mut out = ptr::null_mut();
    let started = Instant::now();
    let status =
        unsafe { passteam_call_with_timeout(client, c"getcard".as_ptr(), params.as_ptr(), 100, &mut out) };
    let elapsed = started.elapsed();
    let doc = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    unsafe { passteam_string_free(out) };
    unsafe { passteam_client_free(client) };
    assert_eq!(status, PASSTEAM_ERR_VALIDATION, "{doc}");
    assert!(doc.contains("at most 2097152"), "{doc}");
    assert!(elapsed < Duration::from_millis(100), "within the call's 100 ms: {elapsed:?}");
    assert!(server.seen().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Messages say which timeout passed (issue 10, item 9)

#[test]
fn a_timeout_says_which_one_and_its_value() {
    let silent = Hostile::start_slow(vec![reply(200, &[], b"{}")], Duration::from_secs(5));
    let client = client_for(
        &silent.base_url(),
        json!({"read_timeout_ms": 300, "timeout_ms": 3000, "max_attempts": 1}),
    )
    .unwrap();
    let e = client.call("getcard", json!({"cardId": "c"})).unwrap_err();
    assert_eq!(e.status, Status::Timeout);
    assert!(e.message.contains("read_timeout_ms (300 ms)"), "{}", e.message);
    assert!(!e.message.contains("(Global)"), "{}", e.message);
    let client = client_for(
        &silent.base_url(),
        json!({"read_timeout_ms": 10_000, "timeout_ms": 300, "max_attempts": 1}),
    )
    .unwrap();
    let e = client.call("getcard", json!({"cardId": "c"})).unwrap_err();
    assert_eq!(e.status, Status::Timeout);
    assert!(e.message.contains("timeout_ms"), "{}", e.message);
    assert!(e.message.contains("deadline"), "{}", e.message);
}
