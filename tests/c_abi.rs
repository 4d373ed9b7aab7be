//! The C ABI from the Rust side: the committed header matches the code, every table entry has its
//! export, every export answers NULL and invalid UTF-8 with a status and an error object.

mod support;

use passteam::METHODS;
use passteam_ffi::*;
use passteam_sandbox::{Sandbox, SandboxConfig, TEMPLATE_LOYALTY};
use serde_json::{json, Value};
use std::ffi::{c_char, CStr, CString};
use std::ptr;

const COMMITTED_HEADER: &str = include_str!("../include/passteam.h");

/// Takes ownership of a library string: parses it as JSON and frees it.
unsafe fn take(out: *mut c_char) -> Value {
    assert!(!out.is_null(), "out_json must always be set");
    let text = CStr::from_ptr(out).to_str().expect("UTF-8").to_owned();
    passteam_string_free(out);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

unsafe fn new_client(config: &str) -> *mut PassteamClient {
    let mut client = ptr::null_mut();
    let mut err = ptr::null_mut();
    let status = passteam_client_new(c(config).as_ptr(), &mut client, &mut err);
    assert_eq!(status, PASSTEAM_OK, "{:?}", if err.is_null() { Value::Null } else { take(err) });
    assert!(err.is_null());
    client
}

#[test]
fn committed_header_matches_the_code() {
    let generated =
        std::fs::read_to_string(passteam_ffi::GENERATED_HEADER_PATH).expect("ffi/build.rs wrote the header");
    assert!(
        generated == COMMITTED_HEADER,
        "include/passteam.h is stale: regenerate it with `PASSTEAM_WRITE_HEADER=1 cargo build -p passteam-ffi` \
         and commit it"
    );
}

#[test]
fn every_method_has_its_export_in_the_header_and_here() {
    // The per-operation exports are frozen at ABI 1.1: every one is a table entry; later entries have none
    // (tests/abi_versions.rs checks the whole export set against abi/1.N.txt).
    let table: Vec<String> = METHODS.iter().map(|m| m.export_name()).collect();
    let listed: Vec<String> = support::EXPORTS.iter().map(|(n, _)| n.to_string()).collect();
    assert!(listed.len() >= 23, "the 23 per-operation exports of ABI 1.1 stay");
    for name in &listed {
        assert!(table.contains(name), "{name} has no table entry");
        assert!(COMMITTED_HEADER.contains(&format!("int32_t {name}(")), "{name} missing from the header");
    }
    for (name, value) in [
        ("PASSTEAM_OK", 0),
        ("PASSTEAM_ERR_INVALID_ARGUMENT", 1),
        ("PASSTEAM_ERR_INVALID_JSON", 2),
        ("PASSTEAM_ERR_VALIDATION", 3),
        ("PASSTEAM_ERR_TRANSPORT", 4),
        ("PASSTEAM_ERR_TIMEOUT", 5),
        ("PASSTEAM_ERR_AUTH", 6),
        ("PASSTEAM_ERR_NOT_FOUND", 7),
        ("PASSTEAM_ERR_CONFLICT", 8),
        ("PASSTEAM_ERR_RATE_LIMITED", 9),
        ("PASSTEAM_ERR_API", 10),
        ("PASSTEAM_ERR_PROTOCOL", 11),
        ("PASSTEAM_ERR_INTERNAL", 99),
    ] {
        assert!(COMMITTED_HEADER.contains(&format!("#define {name} {value}\n")), "{name} = {value}");
    }
    assert!(COMMITTED_HEADER.contains("extern \"C\" {"), "C++ guards");
}

#[test]
fn versions_and_status_names() {
    unsafe {
        assert_eq!(CStr::from_ptr(passteam_version()).to_str().unwrap(), env!("CARGO_PKG_VERSION"));
        assert_eq!(passteam_abi_version() >> 16, PASSTEAM_ABI_VERSION_MAJOR);
        for s in passteam::Status::ALL {
            assert_eq!(CStr::from_ptr(passteam_status_name(s.code())).to_str().unwrap(), s.name());
        }
        assert_eq!(CStr::from_ptr(passteam_status_name(12)).to_str().unwrap(), "PASSTEAM_QUEUED");
        assert_eq!(PASSTEAM_QUEUED, 12);
        for unknown in [-1, 13, 42, 98, 100, i32::MIN, i32::MAX] {
            assert_eq!(
                CStr::from_ptr(passteam_status_name(unknown)).to_str().unwrap(),
                "PASSTEAM_ERR_UNKNOWN"
            );
        }
        let table: Value =
            serde_json::from_str(CStr::from_ptr(passteam_methods_json()).to_str().unwrap()).unwrap();
        let names: Vec<&str> =
            table.as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert_eq!(names, METHODS.iter().map(|m| m.name).collect::<Vec<_>>());
    }
}

#[test]
fn every_export_calls_the_sandbox() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    unsafe {
        let client = new_client(&json!({"token": sb.token(), "base_url": sb.base_url()}).to_string());
        let mut out = ptr::null_mut();
        // Create one card so that the card operations have something to act on.
        let params =
            c(&json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "+79165550000"}}).to_string());
        assert_eq!(passteam_create_card(client, params.as_ptr(), &mut out), PASSTEAM_OK);
        let card = take(out);
        let card_id = card["cardId"].as_str().unwrap();
        for (name, export) in support::EXPORTS {
            let params = match *name {
                "passteam_get_a_token" => json!({"nickname": "demo", "password": "demo"}),
                "passteam_get_list_templates" | "passteam_get_templates" => json!({}),
                "passteam_get_template" | "passteam_get_cards" | "passteam_get_cards_with_pagination" => {
                    json!({"templateId": TEMPLATE_LOYALTY})
                }
                "passteam_create_card" => {
                    json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "+79165550001"}})
                }
                "passteam_get_card" | "passteam_update_card" | "passteam_update_cards" => {
                    json!({"cardId": card_id, "values": {"BONUS": 5}})
                }
                "passteam_check_variable_value" => {
                    json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "+79165550000"}})
                }
                "passteam_distribute" => json!({"cardId": card_id, "type": "sms"}),
                "passteam_send_push" => json!({"templateId": TEMPLATE_LOYALTY, "message": "hi"}),
                "passteam_get_sale" | "passteam_delete_sale" => json!({"id": "sale-1"}),
                "passteam_update_sale" => json!({"id": "sale-2", "title": "t", "totalPrice": 1}),
                "passteam_create_product" | "passteam_list_products" => {
                    json!({"companyId": passteam_sandbox::COMPANY_ID, "name": "n", "price": 1})
                }
                "passteam_update_product" | "passteam_delete_product" => {
                    json!({"id": passteam_sandbox::SEED_PRODUCT_ID, "name": "m"})
                }
                "passteam_issue_card" => {
                    json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "+79165550002"}})
                }
                "passteam_update_client" => {
                    json!({"templateId": TEMPLATE_LOYALTY, "find": {"PHONE": "+79165550000"}, "values": {"BONUS": 9}})
                }
                "passteam_delete_card" => continue, // last, below
                other => panic!("no params recipe for {other}"),
            };
            let params = c(&params.to_string());
            let status = export(client, params.as_ptr(), &mut out);
            let doc = take(out);
            assert_eq!(status, PASSTEAM_OK, "{name}: {doc}");
        }
        let params = c(&json!({"cardId": card_id}).to_string());
        assert_eq!(passteam_delete_card(client, params.as_ptr(), &mut out), PASSTEAM_OK);
        assert_eq!(take(out)["n"], 1);
        passteam_client_free(client);
    }
}

#[test]
fn null_and_invalid_arguments_never_crash() {
    unsafe {
        let client = new_client(r#"{"token": "t", "base_url": "http://127.0.0.1:9", "max_attempts": 1}"#);
        let mut out = ptr::null_mut();
        let bad_utf8: &[u8] = b"get\xffcard\0";
        for (_, export) in support::EXPORTS {
            // NULL client.
            assert_eq!(export(ptr::null(), ptr::null(), &mut out), PASSTEAM_ERR_INVALID_ARGUMENT);
            let doc = take(out);
            assert_eq!(doc["name"], "PASSTEAM_ERR_INVALID_ARGUMENT");
            assert!(doc["message"].as_str().unwrap().contains("client is NULL"));
            // NULL out_json: nothing to write to, the status still says why.
            assert_eq!(export(client, ptr::null(), ptr::null_mut()), PASSTEAM_ERR_INVALID_ARGUMENT);
            // Broken JSON and a non-object.
            assert_eq!(export(client, c("{not json").as_ptr(), &mut out), PASSTEAM_ERR_INVALID_JSON);
            take(out);
            assert_eq!(export(client, c("[1,2]").as_ptr(), &mut out), PASSTEAM_ERR_INVALID_JSON);
            take(out);
            // Invalid UTF-8 in params.
            assert_eq!(export(client, bad_utf8.as_ptr().cast(), &mut out), PASSTEAM_ERR_INVALID_ARGUMENT);
            assert!(take(out)["message"].as_str().unwrap().contains("UTF-8"));
        }
        assert_eq!(passteam_call(client, ptr::null(), ptr::null(), &mut out), PASSTEAM_ERR_INVALID_ARGUMENT);
        assert!(take(out)["message"].as_str().unwrap().contains("method is NULL"));
        assert_eq!(
            passteam_call(client, bad_utf8.as_ptr().cast(), ptr::null(), &mut out),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        take(out);
        assert_eq!(
            passteam_call(client, c("noSuchMethod").as_ptr(), ptr::null(), &mut out),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        assert!(take(out)["message"].as_str().unwrap().contains("unknown method"));
        // Empty params = {}: getcard then fails validation, not parsing.
        assert_eq!(
            passteam_call(client, c("getCard").as_ptr(), c("").as_ptr(), &mut out),
            PASSTEAM_ERR_VALIDATION
        );
        take(out);
        assert_eq!(
            passteam_call_with_timeout(client, c("getcard").as_ptr(), ptr::null(), 10, ptr::null_mut()),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );

        // Client creation.
        let mut made = ptr::null_mut();
        let mut err = ptr::null_mut();
        assert_eq!(
            passteam_client_new(ptr::null(), ptr::null_mut(), &mut err),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        take(err);
        assert_eq!(passteam_client_new(c("{oops").as_ptr(), &mut made, &mut err), PASSTEAM_ERR_INVALID_JSON);
        assert!(made.is_null());
        take(err);
        assert_eq!(
            passteam_client_new(c(r#"{"tokne": "x"}"#).as_ptr(), &mut made, &mut err),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        assert!(take(err)["message"].as_str().unwrap().contains("tokne"));
        assert_eq!(
            passteam_client_new(
                c(r#"{"token": "SECRET-T0KEN", "base_url": "http://passteam.example"}"#).as_ptr(),
                &mut made,
                &mut err
            ),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        assert!(!take(err).to_string().contains("SECRET-T0KEN"));
        assert_eq!(
            passteam_client_new(bad_utf8.as_ptr().cast(), &mut made, ptr::null_mut()),
            PASSTEAM_ERR_INVALID_ARGUMENT
        );
        assert_eq!(
            passteam_client_new(ptr::null(), &mut made, ptr::null_mut()),
            PASSTEAM_OK,
            "NULL config = defaults"
        );
        passteam_client_free(made);

        passteam_string_free(ptr::null_mut());
        passteam_client_free(ptr::null_mut());
        passteam_client_free(client);
    }
}

#[test]
fn a_panic_comes_back_as_internal() {
    unsafe {
        let mut out = ptr::null_mut();
        assert_eq!(passteam_debug_panic(&mut out), PASSTEAM_ERR_INTERNAL);
        let doc = take(out);
        assert_eq!(doc["status"], 99);
        assert_eq!(doc["name"], "PASSTEAM_ERR_INTERNAL");
        assert_eq!(passteam_debug_panic(ptr::null_mut()), PASSTEAM_ERR_INTERNAL);
    }
}
