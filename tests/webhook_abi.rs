//! The webhook exports from the Rust side, as a C host calls them: parse, the receiver's life cycle,
//! next/ack, and NULL / non-UTF-8 / broken input answered with a status and an error object.

mod webhook_support;

use passteam_ffi::*;
use serde_json::{json, Value};
use std::ffi::{c_char, CStr, CString};
use std::ptr;
use std::time::{Duration, Instant};
use webhook_support::*;

unsafe fn take(out: *mut c_char) -> Value {
    assert!(!out.is_null(), "out_json must always be set");
    let text = CStr::from_ptr(out).to_str().expect("UTF-8").to_owned();
    passteam_string_free(out);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

unsafe fn start(config: &Value) -> *mut PassteamWebhookServer {
    let mut server = ptr::null_mut();
    let mut err = ptr::null_mut();
    let status = passteam_webhook_server_start(c(&config.to_string()).as_ptr(), &mut server, &mut err);
    assert_eq!(status, PASSTEAM_OK, "{:?}", if err.is_null() { Value::Null } else { take(err) });
    assert!(err.is_null() && !server.is_null());
    server
}

unsafe fn next(server: *const PassteamWebhookServer, timeout_ms: u32) -> (i32, Value) {
    let mut out = ptr::null_mut();
    let status = passteam_webhook_next(server, timeout_ms, &mut out);
    (status, take(out))
}

#[test]
fn parse_normalises_the_vendors_sample_and_names_defects() {
    unsafe {
        let mut out = ptr::null_mut();
        let body = webhook("5e4515b1cea6c61fba2a4212", "uninstallCARD", "5e451571cea6c6141807b792");
        assert_eq!(passteam_webhook_parse(c(&body).as_ptr(), &mut out), PASSTEAM_OK);
        let event = take(out);
        assert_eq!(event["event"], "unInstallCard");
        assert_eq!(event["webhookId"], "5e4515b1cea6c61fba2a4212");
        assert_eq!(event["card"]["templateId"], "5e424c181dbf0d537c8b4569");

        assert_eq!(
            passteam_webhook_parse(c(r#"{"webhookId": "a", "event": "x", "card": {}}"#).as_ptr(), &mut out),
            PASSTEAM_ERR_PROTOCOL
        );
        let err = take(out);
        assert_eq!(err["name"], "PASSTEAM_ERR_PROTOCOL");
        assert!(err["message"].as_str().unwrap().contains("\"x\" is not one of"), "{err}");
        assert_eq!(passteam_webhook_parse(c("{").as_ptr(), &mut out), PASSTEAM_ERR_PROTOCOL);
        take(out);
        assert_eq!(passteam_webhook_parse(ptr::null(), &mut out), PASSTEAM_ERR_INVALID_ARGUMENT);
        assert!(take(out)["message"].as_str().unwrap().contains("body is NULL"));
        let not_utf8 = b"{\"\xff\"}\0";
        assert_eq!(passteam_webhook_parse(not_utf8.as_ptr().cast(), &mut out), PASSTEAM_ERR_INVALID_ARGUMENT);
        assert!(take(out)["message"].as_str().unwrap().contains("UTF-8"));
        assert_eq!(passteam_webhook_parse(c("{}").as_ptr(), ptr::null_mut()), PASSTEAM_ERR_INVALID_ARGUMENT);
    }
}

#[test]
fn start_refuses_bad_configs_with_an_error_object() {
    unsafe {
        for (config, expected) in [
            (r#"{"store_path": "/tmp/x.sqlite"}"#, "path is required"),
            (r#"{"path": "/too-short", "store_path": "/tmp/x.sqlite"}"#, "at least 16"),
            (r#"{"path": "/passteam/0123456789abcdef"}"#, "store_path is required"),
            (
                r#"{"path": "/passteam/0123456789abcdef", "store_path": "/nonexistent-dir/x/y.sqlite"}"#,
                "cannot open",
            ),
            ("[1]", "JSON object"),
            ("{oops", "not valid JSON"),
        ] {
            let mut server = ptr::null_mut();
            let mut err = ptr::null_mut();
            let status = passteam_webhook_server_start(c(config).as_ptr(), &mut server, &mut err);
            assert_ne!(status, PASSTEAM_OK, "{config}");
            assert!(server.is_null());
            let err = take(err);
            assert!(err["message"].as_str().unwrap().contains(expected), "{config}: {err}");
        }
        assert_eq!(
            passteam_webhook_server_start(ptr::null(), ptr::null_mut(), ptr::null_mut()),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        passteam_webhook_server_free(ptr::null_mut());
    }
}

#[test]
fn a_null_server_is_an_error_not_a_crash() {
    unsafe {
        let (status, err) = next(ptr::null(), 10);
        assert_eq!(
            (status, err["message"].as_str().unwrap()),
            (PASSTEAM_ERR_INVALID_ARGUMENT, "server is NULL")
        );
        let mut out = ptr::null_mut();
        assert_eq!(
            passteam_webhook_ack(ptr::null(), c("x").as_ptr(), &mut out),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        take(out);
        assert_eq!(passteam_webhook_server_info(ptr::null(), &mut out), PASSTEAM_ERR_INVALID_ARGUMENT);
        take(out);
        assert_eq!(passteam_webhook_next(ptr::null(), 0, ptr::null_mut()), PASSTEAM_ERR_INVALID_ARGUMENT);
    }
}

#[test]
fn receive_next_ack_through_the_c_abi_and_again_after_a_restart() {
    unsafe {
        let store = store_path("abi");
        let config = json!({"path": SECRET, "store_path": store.display().to_string()});
        let server = start(&config);
        let mut out = ptr::null_mut();
        assert_eq!(passteam_webhook_server_info(server, &mut out), PASSTEAM_OK);
        let info = take(out);
        let addr = info["listen"].as_str().unwrap().parse().unwrap();
        assert_ne!(info["port"], 0);
        assert_eq!(info["url"], format!("http://{addr}{SECRET}"));

        let started = Instant::now();
        assert_eq!(next(server, 150), (PASSTEAM_OK, Value::Null), "nothing yet: null");
        assert!(started.elapsed() >= Duration::from_millis(150));

        assert_eq!(post(addr, SECRET, &webhook("abi-1", "installCard", "c1")).status, 200);
        assert_eq!(post(addr, SECRET, &webhook("abi-2", "unInstallCard", "c1")).status, 200);
        let (status, event) = next(server, 1000);
        assert_eq!((status, event["webhookId"].as_str()), (PASSTEAM_OK, Some("abi-1")));
        assert_eq!(event["card"]["installed"], true);

        assert_eq!(passteam_webhook_ack(server, c("abi-1").as_ptr(), &mut out), PASSTEAM_OK);
        assert_eq!(take(out), json!({"webhookId": "abi-1", "acked": true, "already": false}));
        assert_eq!(passteam_webhook_ack(server, c("abi-1").as_ptr(), &mut out), PASSTEAM_OK);
        assert_eq!(take(out)["already"], true);
        assert_eq!(passteam_webhook_ack(server, c("nope").as_ptr(), &mut out), PASSTEAM_ERR_NOT_FOUND);
        take(out);
        assert_eq!(passteam_webhook_ack(server, ptr::null(), &mut out), PASSTEAM_ERR_INVALID_ARGUMENT);
        take(out);
        passteam_webhook_server_free(server);

        let server = start(&config);
        let (status, event) = next(server, 0);
        assert_eq!(
            (status, event["webhookId"].as_str()),
            (PASSTEAM_OK, Some("abi-2")),
            "kept across the restart"
        );
        passteam_webhook_server_free(server);
    }
}
