//! Shared by the integration tests: start a sandbox, build a client for it, make unique test data.
//!
//! Kept small on purpose (each test file says what it needs in its own words); include it with
//! `mod support;`. Not every test binary uses every helper.
#![allow(dead_code)]

use passteam::{Client, Config, Error};
use passteam_ffi::*;
use passteam_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};
use std::ffi::c_char;
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh sandbox on 127.0.0.1 with an OS-picked port (stopped when dropped).
pub fn sandbox() -> Sandbox {
    sandbox_with(SandboxConfig::default())
}

/// As [`sandbox`], with a start-up config of its own (another token, a quota).
pub fn sandbox_with(config: SandboxConfig) -> Sandbox {
    let sb = Sandbox::start(config).expect("the sandbox starts");
    warm_up(&sb);
    sb
}

/// The sandbox checks phones with libphonenumber, whose metadata loads on first use in the process:
/// seconds in a debug build on a busy machine. Pay that once, before any test's short timeouts run.
fn warm_up(sb: &Sandbox) {
    static WARM: std::sync::Once = std::sync::Once::new();
    WARM.call_once(|| {
        let client = client_from(&config_json(sb, json!({"timeout_ms": 120_000, "read_timeout_ms": 120_000})))
            .expect("warm-up client");
        client
            .call("createcard", json!({"templateId": passteam_sandbox::TEMPLATE_LOYALTY, "values": {"PHONE": "+79160000000"}}))
            .expect("warm-up createcard");
        sb.reset();
    });
}

/// A config for `sb` that keeps fault tests fast: short timeouts, 3 attempts, 10 ms backoff, no budget.
/// `extra` overrides or adds keys (a `null` value removes the key).
pub fn config_json(sb: &Sandbox, extra: Value) -> Value {
    let mut config = json!({
        "token": sb.token(),
        "base_url": sb.base_url(),
        "timeout_ms": 3000,
        "connect_timeout_ms": 1000,
        "read_timeout_ms": 1000,
        "max_attempts": 3,
        "retry_base_delay_ms": 10,
        "retry_max_delay_ms": 40,
        "quota_per_hour": 0,
        "quota_per_day": 0,
    });
    for (k, v) in extra.as_object().expect("extra config is a JSON object") {
        if v.is_null() {
            config.as_object_mut().expect("object").remove(k);
        } else {
            config[k] = v.clone();
        }
    }
    config
}

/// Builds a client from a JSON config, through the same parser every host uses.
pub fn client_from(config: &Value) -> Result<Client, Error> {
    Client::new(Config::from_json_str(&config.to_string())?)
}

/// A client for `sb` (see [`config_json`]).
pub fn client(sb: &Sandbox, extra: Value) -> Client {
    client_from(&config_json(sb, extra)).expect("the test config is valid")
}

/// A valid Russian mobile number not used before in this process (the sandbox checks phones
/// with libphonenumber, and %PHONE% is unique).
pub fn unique_phone() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("+7916{:07}", (std::process::id() % 1000) * 10_000 + n % 10_000)
}

/// A directory of its own under the system temp dir, for log files and bundles.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "passteam-test-{}-{}-{}",
        name,
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The signature every per-operation export shares.
pub type Export = unsafe extern "C" fn(*const PassteamClient, *const c_char, *mut *mut c_char) -> i32;

// Every per-operation C export, by name (generated; tests/c_abi.rs checks it against the method table).
include!("exports.rs");
