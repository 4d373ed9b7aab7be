//! The bodies of the fuzz targets (one function per target in `fuzz_targets/`), each feeding untrusted
//! bytes to one parser and checking what must hold whatever the input. A panic anywhere, also one the
//! C ABI would catch, is a finding: libFuzzer's panic hook aborts on it.

use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr;
use std::sync::OnceLock;

use passteam_ffi as ffi;
use serde_json::{Map, Value};

/// An error object as every host receives it: a status code and a message.
fn assert_error_object(e: &Value, expected_status: Option<i64>) {
    let status = e["status"].as_i64().unwrap_or_else(|| panic!("an error object has a status: {e}"));
    assert!(e["message"].is_string(), "an error object has a message: {e}");
    if let Some(expected) = expected_status {
        assert_eq!(status, expected, "the error object's status is the return code: {e}");
    }
    assert_ne!(status, i64::from(ffi::PASSTEAM_ERR_INTERNAL), "a caught panic: {e}");
}

/// Envelope parser: the first two bytes are the HTTP status, the rest is the reply body.
pub fn envelope(data: &[u8]) {
    let (status, body) = match data {
        [a, b, body @ ..] => (u16::from_le_bytes([*a, *b]), body),
        _ => (200, data),
    };
    let raw = passteam::fuzzing::envelope_raw(status, body);
    let tree = passteam::fuzzing::envelope_tree(status, body);
    match (&raw, &tree) {
        // The result is handed on as JSON text: it must be one JSON value.
        (Ok(text), Ok(_)) => assert!(!text.trim().is_empty(), "an empty result text"),
        (Err(e), Err(e2)) => {
            assert_error_object(e, None);
            assert_eq!(e, e2, "both readings of a failed reply give the same error");
            if let Some(message) = e["message"].as_str() {
                passteam::fuzzing::message_parsers(message);
            }
        }
        // Both read the same envelope; only a result the tree cannot hold (too deep) may tell them apart.
        (Ok(_), Err(e)) => assert_eq!(
            e["status"].as_i64(),
            Some(i64::from(passteam_ffi::PASSTEAM_ERR_PROTOCOL)),
            "only a result that cannot be parsed differs: {e}"
        ),
        (Err(e), Ok(v)) => panic!("the raw reading failed ({e}) where the tree succeeded ({v})"),
    }
    passteam::fuzzing::message_parsers(&String::from_utf8_lossy(body));
}

/// Form encoder: the input as a JSON params object, checked and flattened for every operation; the
/// fields must all belong to a given parameter, and the sandbox's decoder must take them back.
pub fn form_encoder(data: &[u8]) {
    let Ok(params) = serde_json::from_slice::<Map<String, Value>>(data) else {
        return;
    };
    for (method, fields) in passteam::fuzzing::form(&params) {
        for (key, _) in &fields {
            let top = key.split('[').next().unwrap_or("");
            assert!(
                params.contains_key(top) || params.keys().any(|k| key.starts_with(k.as_str())),
                "{method}: field {key:?} belongs to no parameter"
            );
        }
        let body: String = form_urlencoded_body(&fields);
        let _ = passteam_sandbox::fuzzing::decode_form(
            Some("application/x-www-form-urlencoded"),
            body.as_bytes(),
            "",
        );
    }
}

fn form_urlencoded_body(fields: &[(String, String)]) -> String {
    // The same encoding the client's transport uses for urlencoded bodies.
    let mut out = String::new();
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&percent(k));
        out.push('=');
        out.push_str(&percent(v));
    }
    out
}

fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Config parser: the input as config JSON text (lossy UTF-8).
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = passteam::fuzzing::config(&text) {
        assert_error_object(&e, None);
    }
}

/// The sandbox every C ABI call goes to (never anything but 127.0.0.1).
fn sandbox() -> &'static passteam_sandbox::Sandbox {
    static SANDBOX: OnceLock<passteam_sandbox::Sandbox> = OnceLock::new();
    SANDBOX.get_or_init(|| {
        passteam_sandbox::Sandbox::start(passteam_sandbox::SandboxConfig::default())
            .expect("start the sandbox")
    })
}

/// Config keys that could reach past the sandbox or the disk (another host, a proxy, files): replaced.
/// Keys that reach beyond the sandbox: other hosts, and files (`outbox_path` would create SQLite files
/// wherever a fuzzed path points, and start replay threads that outlive the input).
const CONFINED_KEYS: &[&str] = &["base_url", "proxy", "endpoints", "log_file", "ca_bundle", "outbox_path"];

/// A fuzzed config, confined: JSON objects get the sandbox's URL, one attempt and short timeouts, and lose
/// the keys that reach beyond the sandbox; anything else is passed as it is (and must be refused).
fn confine(config: &[u8]) -> (Vec<u8>, Option<String>) {
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(config) else {
        return (config.to_vec(), None);
    };
    for key in CONFINED_KEYS {
        map.remove(*key);
    }
    map.insert("base_url".into(), Value::from(sandbox().base_url()));
    map.insert("max_attempts".into(), Value::from(1));
    for key in ["timeout_ms", "connect_timeout_ms", "read_timeout_ms"] {
        let short = map.get(key).and_then(Value::as_u64).map_or(2000, |ms| ms.clamp(1, 2000));
        map.insert(key.into(), Value::from(short));
    }
    let token = match map.get("token") {
        Some(Value::String(t)) => t.clone(),
        _ => {
            map.insert("token".into(), Value::from(sandbox().token()));
            sandbox().token().to_owned()
        }
    };
    (Value::Object(map).to_string().into_bytes(), Some(token))
}

/// Takes a library string: it must be UTF-8 JSON. Frees it.
unsafe fn take_json(s: *mut c_char) -> Value {
    assert!(!s.is_null(), "an out string was not set");
    let text = CStr::from_ptr(s).to_str().expect("the library hands out UTF-8").to_owned();
    ffi::passteam_string_free(s);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the library handed out broken JSON ({e}): {text}"))
}

/// The bytes up to the first NUL, as C sees them.
fn c_string(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).expect("cut at the first NUL")
}

/// What the first input would otherwise pay for: the sandbox's start and libphonenumber's metadata
/// (about 5 s under AddressSanitizer), done once before fuzzing so that no single input is charged for it
/// (libFuzzer's per-input timeout would call a slow machine's first input a hang).
pub fn c_abi_warm_up() {
    c_abi(b"{}\0createCard\0{\"templateId\":\"5e424c181dbf0d537c8b4569\",\"values\":{\"PHONE\":\"8 916 123-45-00\"}}");
}

/// C ABI entry points: the input is `config \0 method \0 params` (non-UTF-8 and broken JSON welcome).
/// `passteam_client_new` with the (confined) config, then `passteam_call` and
/// `passteam_call_with_timeout` with the method and params, on the client or on NULL.
pub fn c_abi(data: &[u8]) {
    let mut parts = data.splitn(3, |b| *b == 0);
    let config = parts.next().unwrap_or_default();
    let method = parts.next();
    let params = parts.next();
    let (config, token) = confine(config);
    let config = c_string(&config);
    let method = method.map(c_string);
    let params = params.map(c_string);
    unsafe {
        let mut client = ptr::null_mut();
        let mut error = ptr::null_mut();
        let rc = ffi::passteam_client_new(config.as_ptr(), &mut client, &mut error);
        assert!(!ffi::passteam_status_name(rc).is_null());
        if rc == ffi::PASSTEAM_OK {
            assert!(!client.is_null() && error.is_null());
        } else {
            assert!(client.is_null(), "no client on failure");
            assert_error_object(&take_json(error), Some(i64::from(rc)));
        }
        let method_ptr = method.as_ref().map_or(ptr::null(), |m| m.as_ptr());
        let params_ptr = params.as_ref().map_or(ptr::null(), |p| p.as_ptr());
        for timeout in [None, Some(500)] {
            let mut out = ptr::null_mut();
            let rc = match timeout {
                None => ffi::passteam_call(client, method_ptr, params_ptr, &mut out),
                Some(ms) => ffi::passteam_call_with_timeout(client, method_ptr, params_ptr, ms, &mut out),
            };
            let doc = take_json(out);
            if rc != ffi::PASSTEAM_OK {
                assert_error_object(&doc, Some(i64::from(rc)));
                if let Some(t) = token.as_deref().filter(|t| t.len() >= 8) {
                    assert!(!doc.to_string().contains(t), "the token leaked into an error: {doc}");
                }
            }
        }
        ffi::passteam_client_free(client);
    }
}

/// The depth of a JSON value, without recursion.
fn depth(v: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(v, 1usize)];
    while let Some((v, d)) = stack.pop() {
        deepest = deepest.max(d);
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, d + 1))),
            Value::Object(m) => stack.extend(m.values().map(|x| (x, d + 1))),
            _ => {}
        }
    }
    deepest
}

/// The sandbox's request decoder: the first byte picks the content type (none, urlencoded, multipart
/// with boundary `X`, or the text up to the first newline), the rest up to a NUL is the body and what
/// follows the NUL the query string. Decoded values nest at most `MAX_NESTING` deep.
pub fn sandbox_form(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (content_type, rest): (Option<String>, &[u8]) = match selector % 4 {
        0 => (None, rest),
        1 => (Some("application/x-www-form-urlencoded".into()), rest),
        2 => (Some("multipart/form-data; boundary=X".into()), rest),
        _ => match rest.iter().position(|b| *b == b'\n') {
            Some(nl) => (Some(String::from_utf8_lossy(&rest[..nl]).into_owned()), &rest[nl + 1..]),
            None => (Some(String::from_utf8_lossy(rest).into_owned()), &[][..]),
        },
    };
    let (body, query) = match rest.iter().position(|b| *b == 0) {
        Some(nul) => (&rest[..nul], String::from_utf8_lossy(&rest[nul + 1..]).into_owned()),
        None => (rest, String::new()),
    };
    if let Ok(nested) = passteam_sandbox::fuzzing::decode_form(content_type.as_deref(), body, &query) {
        for v in nested.values() {
            // A key nests at most MAX_NESTING deep, its top-level name included: the value under that name
            // holds at most MAX_NESTING - 1 levels of objects, then its leaf.
            assert!(depth(v) <= passteam_sandbox::fuzzing::MAX_NESTING, "decoded deeper than the limit");
        }
    }
}

/// The plain-HTTP reply reader: the input is what a server sends before it closes the connection. Whatever
/// it is, the reader ends (no hang: libFuzzer's timeout), never panics, never hands on an interim (1xx) reply
/// as the answer, and never a body over max_response_bytes.
pub fn http_reply(data: &[u8]) {
    const LIMIT: u64 = 4096;
    if let Ok((status, body)) = passteam::fuzzing::http1_reply(data, LIMIT) {
        assert!((200..=999).contains(&status), "status {status} handed on as the answer");
        assert!(body.len() as u64 <= LIMIT, "a body of {} bytes over the limit", body.len());
    }
}
