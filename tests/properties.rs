//! Property tests and fuzzing of everything that reads untrusted text: the config, call parameters,
//! replies (bytes, statuses, envelopes), the messages the core parses (duplicated cards, quota), the log
//! masker, and the C ABI fed arbitrary bytes. Bounded (fixed seeds, a few hundred to 2000 cases each)
//! so the file runs in seconds and the same cases run every time.

mod support;

use passteam::__fuzz as response;
use passteam::methods::{Method, ParamType};
use passteam::{Config, Status, METHODS};
use passteam_ffi::*;
use passteam_sandbox::Sandbox;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};
use serde_json::{json, Map, Value};
use std::ffi::{c_char, CStr, CString};
use std::sync::OnceLock;

fn cases(n: u32, seed: u64) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Any JSON value, a few levels deep, with odd strings and extreme numbers.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (0u64..100_000).prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        ".{0,12}".prop_map(Value::from),
        "[0-9]{1,6}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Where generated configs may write a log file (never the working directory).
fn safe_log_path() -> String {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    // One fixed directory, reused by every run, so fuzzing does not leave a new one behind each time.
    let dir = DIR.get_or_init(|| std::env::temp_dir().join("passteam-test-prop-logs"));
    std::fs::create_dir_all(dir).expect("temp dir");
    dir.join("fuzz.log").to_string_lossy().into_owned()
}

/// Keeps a generated config from writing files outside the temp dir.
fn defuse(mut config: Map<String, Value>) -> Map<String, Value> {
    if let Some(v @ Value::String(_)) = config.get_mut("log_file") {
        *v = Value::from(safe_log_path());
    }
    config
}

// ---------------------------------------------------------------------------------------------
// Config

proptest! {
    #![proptest_config(cases(2000, 1))]
    #[test]
    fn config_text_never_panics(text in prop_oneof![any::<String>(), "\\{.{0,40}\\}", "\\{\"[a-z_]{1,20}\": .{0,20}\\}"]) {
        match Config::from_json_str(&text) {
            Ok(_) => {}
            Err(e) => prop_assert!(matches!(e.status, Status::InvalidArgument | Status::InvalidJson), "{}", e.to_json()),
        }
    }
}

proptest! {
    #![proptest_config(cases(400, 2))]
    #[test]
    fn config_objects_never_panic_and_clients_build_or_refuse(
        entries in prop::collection::vec(
            (prop_oneof![prop::sample::select(passteam::config::config_keys()).prop_map(str::to_owned), "[a-z_]{1,12}"], json_value()),
            0..6,
        )
    ) {
        let config = defuse(entries.into_iter().collect());
        let text = Value::Object(config).to_string();
        match Config::from_json_str(&text) {
            Ok(parsed) => {
                if let Err(e) = passteam::Client::new(parsed) {
                    prop_assert_eq!(e.status, Status::InvalidArgument, "{}", e.to_json());
                }
            }
            Err(e) => prop_assert!(matches!(e.status, Status::InvalidArgument | Status::InvalidJson), "{}", e.to_json()),
        }
    }
}

/// Values every known key accepts.
fn valid_config() -> impl Strategy<Value = Map<String, Value>> {
    let entries: Vec<(&'static str, Value)> = vec![
        ("token", json!("t0k3n")),
        ("base_url", json!("http://127.0.0.1:9")),
        ("timeout_ms", json!(1500)),
        ("connect_timeout_ms", json!(500)),
        ("read_timeout_ms", json!(700)),
        ("user_agent", json!("pos/1.0")),
        ("body_encoding", json!("urlencoded")),
        ("max_response_bytes", json!(65536)),
        ("allow_insecure_http", json!(false)),
        ("max_attempts", json!(2)),
        ("retry_base_delay_ms", json!(5)),
        ("retry_max_delay_ms", json!(50)),
        ("quota_per_hour", json!(100)),
        ("quota_per_day", json!(1000)),
        ("tls_roots", json!("bundled")),
        ("log_level", json!("off")),
    ];
    prop::sample::subsequence(entries.clone(), 0..=entries.len())
        .prop_map(|picked| picked.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

proptest! {
    #![proptest_config(cases(500, 3))]
    #[test]
    fn an_unknown_config_key_is_refused_by_name(
        base in valid_config(),
        key in ".{1,16}".prop_filter("unknown", |k| !passteam::config::config_keys().contains(&k.as_str())),
        value in json_value().prop_filter("not null", |v| !v.is_null()),
    ) {
        let mut config = base;
        config.insert(key.clone(), value);
        let e = Config::from_json_str(&Value::Object(config).to_string()).unwrap_err();
        prop_assert_eq!(e.status, Status::InvalidArgument);
        prop_assert_eq!(&e.details["key"], &Value::from(key.as_str()), "{}", e.to_json());
        prop_assert!(e.message.contains(&format!("{key:?}")), "the message names {:?}: {}", key, e.message);
    }
}

// ---------------------------------------------------------------------------------------------
// Parameters

/// A method of the table, with parameters built from its own names, random names and random values.
fn method_and_params() -> impl Strategy<Value = (&'static Method, Map<String, Value>)> {
    prop::sample::select(METHODS.iter().collect::<Vec<_>>()).prop_flat_map(|m| {
        let mut names: Vec<String> = m.params.iter().map(|p| p.name.to_owned()).collect();
        names.push("values".into());
        let name = prop_oneof![3 => prop::sample::select(names), 1 => ".{0,10}"];
        let scalar_values = prop::collection::btree_map(
            "%?[A-Z_]{0,8}%?",
            prop_oneof![
                ".{0,12}".prop_map(Value::from),
                any::<i32>().prop_map(Value::from),
                any::<bool>().prop_map(Value::from)
            ],
            0..4,
        )
        .prop_map(|m| Value::Object(m.into_iter().collect()));
        let value = prop_oneof![3 => json_value(), 1 => scalar_values];
        (Just(m), prop::collection::vec((name, value), 0..6).prop_map(|e| e.into_iter().collect()))
    })
}

proptest! {
    #![proptest_config(cases(2000, 4))]
    #[test]
    fn prepare_checks_or_normalises_every_methods_params((method, params) in method_and_params()) {
        match passteam::__fuzz::prepare(method, &params) {
            Err(e) => prop_assert_eq!(e.status, Status::Validation, "{}", e.to_json()),
            Ok(prepared) => {
                for p in method.params.iter().filter(|p| p.required) {
                    prop_assert!(prepared.contains_key(p.name), "{}: {} missing after prepare", method.name, p.name);
                }
                for p in method.params.iter().filter(|p| p.ty == ParamType::Values) {
                    if let Some(values) = prepared.get(p.name) {
                        let values = values.as_object().expect("values stay an object");
                        for (k, v) in values {
                            prop_assert!(k.len() >= 3 && k.starts_with('%') && k.ends_with('%'), "key {k:?}");
                            prop_assert!(v.is_string(), "{k}: {v}");
                        }
                    }
                }
                // The form encoder takes whatever prepare lets through.
                let _ = passteam::__fuzz::form_fields(&prepared);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Replies

proptest! {
    #![proptest_config(cases(2000, 5))]
    #[test]
    fn interpret_never_panics_on_arbitrary_bytes(
        status in any::<u16>(),
        body in prop_oneof![prop::collection::vec(any::<u8>(), 0..300), json_value().prop_map(|v| v.to_string().into_bytes())],
    ) {
        match response::interpret(status, &body) {
            Ok(_) => {
                let doc: Value = serde_json::from_slice(&body).expect("a success parses as JSON");
                prop_assert!(doc.is_object());
            }
            Err(e) => {
                prop_assert!(!matches!(e.status, Status::Ok | Status::Internal), "{}", e.to_json());
                prop_assert_eq!(e.http_status, Some(status));
            }
        }
    }
}

/// Equal JSON, floats compared to the last bit or so (serde_json parses floats fast, not exactly).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

fn code_strategy() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => prop::sample::select(vec![200i64, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504]),
        1 => any::<i64>(),
    ]
}

proptest! {
    #![proptest_config(cases(2000, 6))]
    #[test]
    fn an_envelope_is_a_success_iff_error_is_false_and_code_is_200(
        http in prop_oneof![Just(200u16), any::<u16>()],
        result in json_value(),
        message in prop_oneof![".{0,40}", Just("You can only make 500 requests per hour".to_owned())],
        code in code_strategy(),
        code_as_text in any::<bool>(),
        error in any::<bool>(),
    ) {
        let code_value = if code_as_text { Value::from(code.to_string()) } else { Value::from(code) };
        let body = json!({"result": result, "message": message, "code": code_value, "error": error}).to_string();
        match response::interpret(http, body.as_bytes()) {
            Ok(value) => {
                prop_assert!(!error && code == 200, "success with error={error} code={code}");
                prop_assert!(same_json(&value, &result), "{value} != {result}");
            }
            Err(e) => {
                prop_assert!(error || code != 200, "failure with error=false code=200: {}", e.to_json());
                prop_assert_eq!(e.api_code, Some(code));
                prop_assert_eq!(e.http_status, Some(http));
                let expected = if response::parse_quota_message(&message).is_some() {
                    Status::RateLimited
                } else {
                    match code {
                        401 | 403 => Status::Auth,
                        404 => Status::NotFound,
                        409 => Status::Conflict,
                        429 => Status::RateLimited,
                        502..=504 => Status::Transport,
                        _ => Status::Api,
                    }
                };
                prop_assert_eq!(e.status, expected, "{}", e.to_json());
                if !message.trim().is_empty() {
                    prop_assert_eq!(e.message.as_str(), message.trim());
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(cases(1000, 7))]
    #[test]
    fn duplicated_card_ids_are_recovered(
        ids in prop::collection::vec(prop_oneof!["[0-9a-f]{24}", "[A-Za-z0-9]{1,30}"], 1..6),
        separator in prop::sample::select(vec![" ", "  ", ", ", ",", "; ", "\t"]),
        value in "\\+79[0-9]{9}",
        field in "%[A-Z_]{1,10}%",
        mark in prop::sample::select(vec!["Duplicated cards:", "duplicated cards:", "DUPLICATED CARDS:"]),
        end in prop::sample::select(vec!["", ".", " ", "\n"]),
    ) {
        let message = format!("Provided value ({value}) of field ({field}) is duplicated. {mark} {}{end}", ids.join(separator));
        prop_assert_eq!(response::parse_duplicated_cards(&message), ids.clone());
        let e = response::interpret(409, json!({"result": null, "message": message, "code": 409, "error": true}).to_string().as_bytes()).unwrap_err();
        prop_assert_eq!(e.card_ids(), ids);
    }
}

proptest! {
    #![proptest_config(cases(1000, 8))]
    #[test]
    fn quota_limits_are_recovered(
        limit in any::<u64>(),
        window in prop::sample::select(vec!["hour", "day"]),
        prefix in "[ \t\n]{0,3}",
        suffix in "[.!]?[ \n]{0,3}",
        upper in any::<bool>(),
    ) {
        let mark = if upper { "YOU CAN ONLY MAKE" } else { "You can only make" };
        let message = format!("{prefix}{mark} {limit} requests per {window}{suffix}");
        prop_assert_eq!(response::parse_quota_message(&message), Some((limit, window)));
    }

    // Only the whole message is a quota refusal: the same words echoed inside another message (a
    // customer's value in a 409) are not (issue 9, defect 2).
    #[test]
    fn quota_words_inside_another_message_are_not_a_refusal(
        limit in any::<u64>(),
        window in prop::sample::select(vec!["hour", "day"]),
        prefix in "[A-Za-z(,:][A-Za-z ,:()]{0,20}",
        suffix in "[A-Za-z ()]{0,20}[A-Za-z()]",
        which in 0..3usize,
    ) {
        let quota = format!("You can only make {limit} requests per {window}");
        let message = match which {
            0 => format!("{prefix} {quota}"),
            1 => format!("{quota} {suffix}"),
            _ => format!("{prefix} ({quota}) {suffix}"),
        };
        prop_assert_eq!(response::parse_quota_message(&message), None, "{}", message);
    }

    #[test]
    fn quota_and_duplicate_parsers_never_panic(text in any::<String>()) {
        let _ = response::parse_quota_message(&text);
        let _ = response::parse_duplicated_cards(&text);
    }
}

// ---------------------------------------------------------------------------------------------
// The log masker

/// A phone written the ways people write them.
fn phone() -> impl Strategy<Value = String> {
    ("[0-9]{3}", "[0-9]{3}", "[0-9]{2}", "[0-9]{2}", 0..5usize).prop_map(|(a, b, c, d, style)| match style {
        0 => format!("+79{}{b}{c}{d}", &a[..2]),
        1 => format!("+7 9{} {b} {c} {d}", &a[..2]),
        2 => format!("+7 (9{}) {b}-{c}-{d}", &a[..2]),
        3 => format!("8 9{} {b}-{c}-{d}", &a[..2]),
        _ => format!("89{}{b}{c}{d}", &a[..2]),
    })
}

/// Words that surround a phone in a log line: names, numbers, card ids, key=value pairs, punctuation.
fn context() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            "[A-Za-z]{1,8}",
            "[0-9]{1,4}",
            "[0-9a-f]{24}",
            "[a-z]{2,6}=[a-z0-9]{1,6}",
            "[,.;:!?()\\[\\]{}\"'<>/|&-]"
        ],
        0..5,
    )
}

proptest! {
    #![proptest_config(cases(2000, 9))]
    #[test]
    fn the_masker_never_panics(text in any::<String>()) {
        let _ = passteam::__fuzz::mask(&text);
    }

    #[test]
    fn a_masked_line_never_holds_a_phone(before in context(), phone in phone(), after in context()) {
        let line = format!("{} {phone} {}", before.join(" "), after.join(" "));
        let masked = passteam::__fuzz::mask(&line);
        prop_assert!(!masked.contains(&phone), "{phone:?} survived masking:\n  line:   {line}\n  masked: {masked}");
    }

    #[test]
    fn a_masked_line_never_holds_an_email(
        before in context(),
        email in "[a-z][a-z0-9._-]{1,10}@[a-z]{2,8}\\.(ru|com|org)",
        after in context(),
    ) {
        let line = format!("{} {email} {}", before.join(" "), after.join(" "));
        let masked = passteam::__fuzz::mask(&line);
        prop_assert!(!masked.contains(&email), "{email:?} survived masking: {masked}");
        let domain = email.split('@').nth(1).unwrap();
        prop_assert!(masked.contains(&format!("***@{domain}")), "{masked}");
    }
}

// ---------------------------------------------------------------------------------------------
// The C ABI with arbitrary bytes

/// One client of the C ABI on a sandbox, shared by every case.
struct Shared {
    _sandbox: Sandbox,
    client: *mut PassteamClient,
}
// SAFETY: the C ABI documents a client as callable from any thread; it is never freed.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let sandbox = support::sandbox();
        let config = support::config_json(&sandbox, json!({"max_attempts": 1}));
        let text = CString::new(config.to_string()).unwrap();
        let mut client = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        assert_eq!(unsafe { passteam_client_new(text.as_ptr(), &mut client, &mut err) }, 0);
        Shared { _sandbox: sandbox, client }
    })
}

#[test]
fn the_fuzzed_exports_are_the_method_tables() {
    let fuzzed: Vec<&str> = support::EXPORTS.iter().map(|(name, _)| *name).collect();
    let table: Vec<String> = METHODS.iter().map(Method::export_name).collect();
    assert_eq!(fuzzed, table, "a new operation: add its export to support::EXPORTS so it is fuzzed too");
}

/// Text for a C string: arbitrary bytes (invalid UTF-8 included) with the NULs taken out.
fn c_bytes(max: usize) -> impl Strategy<Value = CString> {
    prop::collection::vec(any::<u8>(), 0..max).prop_map(|mut b| {
        b.retain(|&x| x != 0);
        CString::new(b).unwrap()
    })
}

/// Mostly garbage, sometimes a JSON document, sometimes an object of a method's own parameter names.
fn params_bytes() -> impl Strategy<Value = CString> {
    prop_oneof![
        2 => c_bytes(64),
        1 => json_value().prop_map(|v| CString::new(v.to_string()).unwrap()),
        1 => method_and_params().prop_map(|(_, p)| CString::new(Value::Object(p).to_string()).unwrap()),
    ]
}

fn method_bytes() -> impl Strategy<Value = CString> {
    let names: Vec<String> =
        METHODS.iter().flat_map(|m| [m.name.to_owned(), m.snake.to_owned(), m.camel.to_owned()]).collect();
    prop_oneof![1 => c_bytes(24), 1 => prop::sample::select(names).prop_map(|n| CString::new(n).unwrap())]
}

/// Checks one answer of the C ABI: a defined status that is not a caught panic, and a JSON document
/// (the error object, with the same status, for a failure). Frees the document.
fn check_answer(status: i32, out: *mut c_char) -> Result<(), TestCaseError> {
    prop_assert!((0..=11).contains(&status), "status {status} (99 means a panic was caught)");
    prop_assert!(!out.is_null(), "no document");
    let text = unsafe { CStr::from_ptr(out) }.to_str().map(str::to_owned);
    unsafe { passteam_string_free(out) };
    let text = text.map_err(|e| TestCaseError::fail(format!("not UTF-8: {e}")))?;
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {text}")))?;
    if status != 0 {
        prop_assert_eq!(&doc["status"], &Value::from(status), "{}", text);
        prop_assert!(doc["message"].is_string());
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(1000, 10))]
    #[test]
    fn client_new_with_arbitrary_bytes(config in prop_oneof![
        2 => c_bytes(80),
        1 => prop::collection::vec(
                (prop_oneof![prop::sample::select(passteam::config::config_keys()).prop_map(str::to_owned), "[a-z_]{1,12}"], json_value()),
                0..5,
            ).prop_map(|e| CString::new(Value::Object(defuse(e.into_iter().collect())).to_string()).unwrap()),
    ]) {
        let mut client = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        let status = unsafe { passteam_client_new(config.as_ptr(), &mut client, &mut err) };
        prop_assert!(matches!(status, 0..=2), "status {status}");
        if status == 0 {
            prop_assert!(!client.is_null() && err.is_null());
            unsafe { passteam_client_free(client) };
        } else {
            prop_assert!(client.is_null());
            check_answer(status, err)?;
        }
    }

    #[test]
    fn call_with_arbitrary_bytes(method in method_bytes(), params in params_bytes(), timeout in prop_oneof![Just(0u64), 1u64..3000]) {
        let c = shared().client;
        let mut out = std::ptr::null_mut();
        let status = unsafe { passteam_call(c, method.as_ptr(), params.as_ptr(), &mut out) };
        check_answer(status, out)?;
        let mut out = std::ptr::null_mut();
        let status = unsafe { passteam_call_with_timeout(c, method.as_ptr(), params.as_ptr(), timeout, &mut out) };
        check_answer(status, out)?;
    }

    #[test]
    fn per_operation_exports_with_arbitrary_bytes(index in 0..support::EXPORTS.len(), params in params_bytes()) {
        let mut out = std::ptr::null_mut();
        let status = unsafe { (support::EXPORTS[index].1)(shared().client, params.as_ptr(), &mut out) };
        check_answer(status, out)?;
    }
}

#[test]
fn null_pointers_are_invalid_arguments_not_crashes() {
    let c = shared().client;
    let method = CString::new("getlisttemplates").unwrap();
    let mut out = std::ptr::null_mut();
    assert_eq!(unsafe { passteam_call(std::ptr::null(), method.as_ptr(), std::ptr::null(), &mut out) }, 1);
    check_answer(1, out).unwrap();
    let mut out = std::ptr::null_mut();
    assert_eq!(unsafe { passteam_call(c, std::ptr::null(), std::ptr::null(), &mut out) }, 1);
    check_answer(1, out).unwrap();
    assert_eq!(unsafe { passteam_call(c, method.as_ptr(), std::ptr::null(), std::ptr::null_mut()) }, 1);
    let mut out = std::ptr::null_mut();
    assert_eq!(
        unsafe { passteam_call(c, method.as_ptr(), std::ptr::null(), &mut out) },
        0,
        "NULL params = {{}}"
    );
    check_answer(0, out).unwrap();
    for (_, export) in support::EXPORTS {
        assert_eq!(unsafe { export(c, std::ptr::null(), std::ptr::null_mut()) }, 1);
        let mut out = std::ptr::null_mut();
        let status = unsafe { export(std::ptr::null(), std::ptr::null(), &mut out) };
        assert_eq!(status, 1);
        check_answer(status, out).unwrap();
    }
    let mut err = std::ptr::null_mut();
    assert_eq!(unsafe { passteam_client_new(std::ptr::null(), std::ptr::null_mut(), &mut err) }, 1);
    check_answer(1, err).unwrap();
    unsafe { passteam_string_free(std::ptr::null_mut()) };
    unsafe { passteam_client_free(std::ptr::null_mut()) };
}

#[test]
fn invalid_utf8_is_named_in_the_error() {
    let c = shared().client;
    let bad = CString::new(vec![b'g', b'e', b't', 0xff, 0xfe]).unwrap();
    let mut out = std::ptr::null_mut();
    assert_eq!(unsafe { passteam_call(c, bad.as_ptr(), std::ptr::null(), &mut out) }, 1);
    let doc: Value = serde_json::from_str(unsafe { CStr::from_ptr(out) }.to_str().unwrap()).unwrap();
    unsafe { passteam_string_free(out) };
    assert!(doc["message"].as_str().unwrap().contains("method"), "{doc}");
    let method = CString::new("getcard").unwrap();
    let mut out = std::ptr::null_mut();
    assert_eq!(unsafe { passteam_call(c, method.as_ptr(), bad.as_ptr(), &mut out) }, 1);
    let doc: Value = serde_json::from_str(unsafe { CStr::from_ptr(out) }.to_str().unwrap()).unwrap();
    unsafe { passteam_string_free(out) };
    assert!(doc["message"].as_str().unwrap().contains("params_json"), "{doc}");
}
