//! The general exports: versions, status names, the client's life cycle, the generic call, freeing.

use super::convert::{deliver, guarded, json_object_arg, text_arg};
use super::{
    PassteamClient, PASSTEAM_ABI_VERSION_MAJOR, PASSTEAM_ABI_VERSION_MINOR, PASSTEAM_ERR_INVALID_ARGUMENT,
};
use crate::error::{Error, Status};
use once_cell::sync::Lazy;
use serde_json::value::RawValue;
use serde_json::Value;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr;
use std::time::Duration;

static VERSION_C: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library version, e.g. "0.1.0". The string is static: do not free it.
#[no_mangle]
pub extern "C" fn passteam_version() -> *const c_char {
    VERSION_C.as_ptr().cast()
}

/// The C ABI version: (MAJOR << 16) | MINOR. Wrappers check MAJOR at load time.
#[no_mangle]
pub extern "C" fn passteam_abi_version() -> u32 {
    (PASSTEAM_ABI_VERSION_MAJOR << 16) | PASSTEAM_ABI_VERSION_MINOR
}

/// The name of a status code, e.g. "PASSTEAM_ERR_CONFLICT"; "PASSTEAM_ERR_UNKNOWN" for a number the ABI
/// does not define. The string is static: do not free it.
#[no_mangle]
pub extern "C" fn passteam_status_name(status: i32) -> *const c_char {
    static NAMES: Lazy<Vec<(i32, CString)>> = Lazy::new(|| {
        Status::ALL.iter().map(|s| (s.code(), CString::new(s.name()).expect("names have no NUL"))).collect()
    });
    const UNKNOWN: &CStr = c"PASSTEAM_ERR_UNKNOWN";
    NAMES.iter().find(|(code, _)| *code == status).map_or(UNKNOWN.as_ptr(), |(_, name)| name.as_ptr())
}

/// Creates a client.
///
/// config_json: a JSON object (NULL or "" = all defaults). Keys: token, base_url (default
/// "https://getpass.passteam.ru"), timeout_ms (whole call, retries included; default 30000),
/// connect_timeout_ms (10000), read_timeout_ms (20000), user_agent, proxy, body_encoding ("multipart" default,
/// or "urlencoded"), max_response_bytes (16 MiB), endpoints (sales/products: {"getsale": {"base_url",
/// "path", "verb", "body_encoding"}}), allow_insecure_http (false: plain http:// only for 127.0.0.0/8, ::1,
/// localhost), max_attempts (3), retry_base_delay_ms (200), retry_max_delay_ms (2000), quota_per_hour
/// (30000), quota_per_day (350000), tls_roots ("bundled" or "system"), ca_bundle (PEM path), log_file,
/// log_level ("off", "error", "info", "debug"), validation ("normalize" default: card variables checked
/// against the template's field types, phones sent in E.164, what cannot be fixed refused; "strict";
/// "off"), phone_region ("RU"), template_ttl_ms (600000). Offline (see the README's "Offline"): outbox_path
/// (SQLite file; the outbox is off when absent), outbox_replay ("background" default, or "manual"),
/// breaker_failures (3), breaker_cooldown_ms (30000), stale_reads (false). passteam_config_schema_json lists
/// them with their types. An unknown key, or a value of the wrong type, is PASSTEAM_ERR_INVALID_ARGUMENT
/// naming the key.
///
/// On PASSTEAM_OK, *out_client receives the client (free it with passteam_client_free) and *out_error_json,
/// if out_error_json is not NULL, is set to NULL. On failure *out_client is set to NULL and *out_error_json
/// (if not NULL) receives the error object, which the caller frees with passteam_string_free.
/// out_client must not be NULL (PASSTEAM_ERR_INVALID_ARGUMENT).
///
/// # Safety
/// config_json is NULL or a NUL-terminated string; out_client and out_error_json are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_client_new(
    config_json: *const c_char,
    out_client: *mut *mut PassteamClient,
    out_error_json: *mut *mut c_char,
) -> i32 {
    if !out_error_json.is_null() {
        *out_error_json = ptr::null_mut();
    }
    if out_client.is_null() {
        return deliver::<Value>(Err(Error::invalid_argument("out_client is NULL")), out_error_json);
    }
    *out_client = ptr::null_mut();
    let made = guarded(|| {
        let config = json_object_arg(config_json, "config_json")?;
        crate::Client::new(crate::Config::from_json(config.as_object().expect("checked object"))?)
    });
    match made {
        Ok(client) => {
            *out_client = PassteamClient::into_raw(client);
            0
        }
        Err(e) => deliver::<Value>(Err(e), out_error_json),
    }
}

/// Frees a client. NULL is a no-op. It may be called while other threads' calls on this client are
/// still running: they finish normally (with their results) and the client's memory is released when
/// the last of them returns. No call may start after passteam_client_free has been called, and the
/// pointer must not be used again.
///
/// # Safety
/// client is NULL or a pointer returned by passteam_client_new and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn passteam_client_free(client: *mut PassteamClient) {
    if !client.is_null() {
        let _ = guarded(|| {
            PassteamClient::release(client);
            Ok(())
        });
    }
}

/// Calls a Passteam operation by name.
///
/// method: the operation's name, case-insensitive ("getCard", "getcard", "get_card"); see
/// passteam_methods_json for the list. params_json: a JSON object, NULL or "" = {}. Variables go in
/// "values", with or without the % signs: {"templateId": "...", "values": {"PHONE": "+79990000000"}}.
/// Params are bounded before anything is sent: at most 2 MiB of JSON text, 10 000 values, 16 levels and
/// 1 MiB of keys and strings (PASSTEAM_ERR_VALIDATION otherwise). A reply nested deeper than 128 levels
/// or holding more than 1 000 000 JSON values is PASSTEAM_ERR_PROTOCOL, as is a 3xx redirect (never
/// followed).
///
/// *out_json always receives a document the caller frees with passteam_string_free: on PASSTEAM_OK the
/// envelope's `result` as JSON; otherwise the error object {"status", "name", "message", "http_status",
/// "api_code", "retryable", "details"} (plus "outcome": "unknown" when a non-idempotent request may have
/// been applied, and "retry_after_ms" when rate limited). If out_json is NULL the call is not made and
/// PASSTEAM_ERR_INVALID_ARGUMENT is returned.
///
/// # Safety
/// client is NULL or a live client; method and params_json are NULL or NUL-terminated strings;
/// out_json is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_call(
    client: *const PassteamClient,
    method: *const c_char,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    call_inner(client, method, params_json, None, out_json)
}

/// As passteam_call, with a deadline for this call only: timeout_ms > 0 bounds the whole call (retries
/// included) when shorter than the client's timeout_ms; 0 means the client's timeout. Bindings map a
/// context deadline (Go) or a per-call timeout (Python) onto it.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_call_with_timeout(
    client: *const PassteamClient,
    method: *const c_char,
    params_json: *const c_char,
    timeout_ms: u64,
    out_json: *mut *mut c_char,
) -> i32 {
    let timeout = (timeout_ms > 0).then(|| Duration::from_millis(timeout_ms));
    call_inner(client, method, params_json, timeout, out_json)
}

/// The shared body of every call export: resolve the client, parse the params, call the core.
///
/// # Safety
/// As passteam_call.
unsafe fn call_named(
    client: *const PassteamClient,
    method: &str,
    params_json: *const c_char,
    timeout: Option<Duration>,
) -> crate::Result<Box<RawValue>> {
    // Held for the whole call: a concurrent passteam_client_free waits for it (see PassteamClient).
    let client = PassteamClient::enter(client)?;
    let params = json_object_arg(params_json, "params_json")?;
    client.inner.call_json(method, params, timeout)
}

/// The body of every per-operation export (src/ffi/operations.rs, generated).
///
/// # Safety
/// As passteam_call.
pub(crate) unsafe fn operation(
    client: *const PassteamClient,
    method: &str,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    if out_json.is_null() {
        return PASSTEAM_ERR_INVALID_ARGUMENT;
    }
    *out_json = ptr::null_mut();
    deliver(guarded(|| call_named(client, method, params_json, None)), out_json)
}

unsafe fn call_inner(
    client: *const PassteamClient,
    method: *const c_char,
    params_json: *const c_char,
    timeout: Option<Duration>,
    out_json: *mut *mut c_char,
) -> i32 {
    if out_json.is_null() {
        return PASSTEAM_ERR_INVALID_ARGUMENT;
    }
    *out_json = ptr::null_mut();
    let outcome = guarded(|| {
        let method = text_arg(method, "method")?;
        call_named(client, method, params_json, timeout)
    });
    deliver(outcome, out_json)
}

/// Frees a string the library returned through an out parameter. NULL is a no-op. Never pass the static
/// strings of passteam_version, passteam_status_name, passteam_methods_json or
/// passteam_config_schema_json.
///
/// # Safety
/// s is NULL or a string returned by this library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn passteam_string_free(s: *mut c_char) {
    if !s.is_null() {
        let _ = guarded(|| {
            drop(CString::from_raw(s));
            Ok(())
        });
    }
}

/// The method table as a static JSON array: [{"name", "snake", "camel", "kind", "verb", "path", "params":
/// [{"name", "required", "type"}], "one_of", "idempotent", "deprecated", "auth", "summary"}]. Bindings and
/// tools read it instead of keeping their own lists. The string is static: do not free it.
#[no_mangle]
pub extern "C" fn passteam_methods_json() -> *const c_char {
    static TABLE: Lazy<CString> =
        Lazy::new(|| CString::new(crate::methods::methods_json().to_string()).expect("no NUL in JSON"));
    TABLE.as_ptr()
}

/// The config schema as a static JSON object: {"keys": [{"name", "type", "expected", "doc"}],
/// "endpoint_keys": [...]}, every key passteam_client_new accepts. Bindings compare their config fields
/// with it. The string is static: do not free it. (ABI 1.5.)
#[no_mangle]
pub extern "C" fn passteam_config_schema_json() -> *const c_char {
    static SCHEMA: Lazy<CString> =
        Lazy::new(|| CString::new(crate::config_schema_json().to_string()).expect("no NUL in JSON"));
    SCHEMA.as_ptr()
}

/// Test support: panics inside the library on purpose and returns what every export returns for a bug,
/// PASSTEAM_ERR_INTERNAL (99), with the error object in *out_json (free it with passteam_string_free).
/// It proves, from C and from each binding, that no panic crosses the ABI. It has no other effect.
///
/// # Safety
/// out_json is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_debug_panic(out_json: *mut *mut c_char) -> i32 {
    let outcome: crate::Result<Value> = guarded(|| panic!("passteam_debug_panic was called"));
    deliver(outcome, out_json)
}
