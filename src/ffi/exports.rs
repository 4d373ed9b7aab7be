//! The general exports: versions, status names, the client's life cycle, the generic call, freeing.

use super::convert::{deliver, guarded, json_object_arg, text_arg};
use super::{
    PassteamClient, PASSTEAM_ABI_VERSION_MAJOR, PASSTEAM_ABI_VERSION_MINOR, PASSTEAM_ERR_INVALID_ARGUMENT,
};
use once_cell::sync::Lazy;
use passteam::error::{Error, Status};
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
/// config_json: a JSON object (NULL or "" = all defaults) of these keys (what a value must be; its
/// default: what it does). Offline keys: see the README's "Offline".
///
// generated:config-keys (from the config schema, src/config_json.rs, by `cargo run -p xtask -- gen`)
/// - token (a string; default none): The API token, sent raw as the Authorization header (never
///   printed, logged or echoed).
/// - base_url (a string; default "https://getpass.passteam.ru"): Where the API lives: the host only (a
///   URL ending in /oapi/v1 is refused, naming the one to use); https://, or plain http:// for
///   127.0.0.0/8, ::1 and localhost.
/// - timeout_ms (an integer of at least 1; default 30000): Bounds the whole call, retries and backoff
///   included (ms).
/// - connect_timeout_ms (an integer of at least 1; default 10000): Bounds each connection attempt: DNS,
///   TCP and TLS (ms).
/// - read_timeout_ms (an integer of at least 1; default 20000): Bounds waiting for the reply's head,
///   and for its body, per attempt (ms).
/// - user_agent (a string; default "passteam/0.1.0"): The User-Agent header.
/// - proxy (a string; default none): A proxy URL: http://host:port, socks5://host:port, ...
/// - body_encoding ("multipart" or "urlencoded"; default "multipart"): How oapi POST bodies are
///   encoded: "multipart" (the vendor's) or "urlencoded" (PUT bodies are urlencoded unless endpoints says
///   otherwise).
/// - max_response_bytes (an integer of at least 1; default 16777216): Replies larger than this are
///   refused (PASSTEAM_ERR_PROTOCOL).
/// - endpoints (an object keyed by operation; default none): Per-operation overrides for
///   sales/products: {"getsale": {"base_url", "path", "verb", "body_encoding"}}.
/// - allow_insecure_http (true or false; default false): Accept plain http:// for hosts other than
///   loopback (the token then travels in clear).
/// - max_attempts (an integer of at least 1; default 3): Attempts in all for idempotent calls, the
///   first included (1 = no retries; at most 100).
/// - retry_base_delay_ms (an integer of at least 0; default 200): The first retry's backoff, doubled
///   per retry, with jitter (ms).
/// - retry_max_delay_ms (an integer of at least 0; default 2000): The longest backoff (ms).
/// - quota_per_hour (an integer of at least 0; default 30000): Client-side request budget per hour (0 =
///   none); the server's limit message lowers it.
/// - quota_per_day (an integer of at least 0; default 350000): Client-side request budget per day (0 =
///   none).
/// - tls_roots ("bundled" or "system"; default "bundled"): Trusted roots: "bundled" (Mozilla's,
///   compiled in, the same everywhere) or "system" (the OS store).
/// - ca_bundle (a string; default none): A PEM file of extra root certificates to trust (e.g. the
///   Russian Trusted Root CA).
/// - log_file (a string; default none): A log file (never stdout); phone numbers and e-mails masked,
///   the token never written.
/// - log_level ("off", "error", "info" or "debug"; default "off"): How much the log records (a log_file
///   alone means "info").
/// - validation ("off", "normalize" or "strict"; default "normalize"): Card variables checked against
///   the template before sending: "normalize" (fix what can be fixed, e.g. phones to E.164, refuse the
///   rest), "strict" (refuse what is not canonical) or "off".
/// - phone_region (a string; default "RU"): The region (ISO 3166 alpha-2) of phones written without a
///   country code.
/// - template_ttl_ms (an integer of at least 0; default 600000): How long a template read for
///   validation is reused (ms; 0 = read it for every call).
/// - outbox_path (a string; default none): The SQLite file of the durable outbox (off when absent):
///   undeliverable updates are queued there.
/// - outbox_replay ("background" or "manual"; default "background"): Who replays the outbox:
///   "background" (a thread of the client) or "manual" (passteam_outbox_flush).
/// - breaker_failures (an integer of at least 1; default 3): Consecutive transport failures or timeouts
///   that open the circuit breaker.
/// - breaker_cooldown_ms (an integer of at least 1; default 30000): How long an open breaker fails
///   calls without touching the network (ms).
/// - stale_reads (true or false; default false): A getcard that cannot reach Passteam answers the last
///   card seen (needs outbox_path).
// /generated:config-keys
///
/// passteam_config_schema_json lists them with their types and defaults. An unknown key, or a value of
/// the wrong type, is PASSTEAM_ERR_INVALID_ARGUMENT naming the key.
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
        passteam::Client::new(passteam::Config::from_json(config.as_object().expect("checked object"))?)
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
) -> passteam::Result<Box<RawValue>> {
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
        Lazy::new(|| CString::new(passteam::methods::methods_json().to_string()).expect("no NUL in JSON"));
    TABLE.as_ptr()
}

/// The config schema as a static JSON object: {"keys": [{"name", "type", "expected", "doc", "default"}],
/// "endpoint_keys": [...]}, every key passteam_client_new accepts. Bindings compare their config fields
/// with it. The string is static: do not free it. (ABI 1.5.)
#[no_mangle]
pub extern "C" fn passteam_config_schema_json() -> *const c_char {
    static SCHEMA: Lazy<CString> =
        Lazy::new(|| CString::new(passteam::config_schema_json().to_string()).expect("no NUL in JSON"));
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
    let outcome: passteam::Result<Value> = guarded(|| panic!("passteam_debug_panic was called"));
    deliver(outcome, out_json)
}
