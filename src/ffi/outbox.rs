//! The outbox exports (issue 12): flush, stats, list, retry, discard. Thin: pointers in, JSON out.

use super::convert::{deliver, guarded, json_object_arg};
use super::{PassteamClient, PASSTEAM_ERR_INVALID_ARGUMENT};
use passteam::error::{Error, Result};
use serde_json::Value;
use std::os::raw::c_char;
use std::ptr;
use std::time::Duration;

/// Runs `body` on the client with the out-parameter contract of every export.
unsafe fn with_client(
    client: *const PassteamClient,
    out_json: *mut *mut c_char,
    body: impl FnOnce(&passteam::Client) -> Result<Value>,
) -> i32 {
    if out_json.is_null() {
        return PASSTEAM_ERR_INVALID_ARGUMENT;
    }
    *out_json = ptr::null_mut();
    let outcome = guarded(|| {
        let client = client.as_ref().ok_or_else(|| Error::invalid_argument("client is NULL"))?;
        body(&client.inner)
    });
    deliver(outcome, out_json)
}

/// Replays the outbox entries that are due now, for at most max_ms milliseconds (0 = only report), oldest
/// first, in order per customer. *out_json receives {"sent", "failed", "pending", "dead"}: entries delivered
/// and attempts failed in this flush, entries left pending and in the dead list.
/// Without outbox_path in the config: PASSTEAM_ERR_INVALID_ARGUMENT saying so.
///
/// # Safety
/// client is NULL or a live client; out_json is NULL (PASSTEAM_ERR_INVALID_ARGUMENT) or writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_outbox_flush(
    client: *const PassteamClient,
    max_ms: u32,
    out_json: *mut *mut c_char,
) -> i32 {
    with_client(client, out_json, |c| c.outbox_flush(Duration::from_millis(u64::from(max_ms))))
}

/// The outbox's state: {"pending", "dead", "oldest_age_ms" (null when nothing is pending), "last_error"
/// (the error object of the latest failure, or null)}.
///
/// # Safety
/// As passteam_outbox_flush.
#[no_mangle]
pub unsafe extern "C" fn passteam_outbox_stats(
    client: *const PassteamClient,
    out_json: *mut *mut c_char,
) -> i32 {
    with_client(client, out_json, |c| c.outbox_stats())
}

/// The outbox entries, oldest first, as an array of {"id", "method", "params" (never the token), "state"
/// ("pending" or "dead"), "attempts", "last_error", "created_at" (RFC 3339)}. filter_json: NULL, "" or an
/// object {"state": "pending"|"dead", "limit": N}.
///
/// # Safety
/// As passteam_outbox_flush; filter_json is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn passteam_outbox_list(
    client: *const PassteamClient,
    filter_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    with_client(client, out_json, |c| {
        let filter = json_object_arg(filter_json, "filter_json")?;
        c.outbox_list(&filter)
    })
}

/// Puts entry id (a dead one, typically, after fixing its cause) back in line, due now: {"retried": id}.
/// PASSTEAM_ERR_NOT_FOUND when there is no such entry or it is being sent right now.
///
/// # Safety
/// As passteam_outbox_flush.
#[no_mangle]
pub unsafe extern "C" fn passteam_outbox_retry(
    client: *const PassteamClient,
    id: i64,
    out_json: *mut *mut c_char,
) -> i32 {
    with_client(client, out_json, |c| c.outbox_retry(id))
}

/// Removes entry id (pending or dead) for good: {"discarded": id}. PASSTEAM_ERR_NOT_FOUND when there is no
/// such entry or it is being sent right now.
///
/// # Safety
/// As passteam_outbox_flush.
#[no_mangle]
pub unsafe extern "C" fn passteam_outbox_discard(
    client: *const PassteamClient,
    id: i64,
    out_json: *mut *mut c_char,
) -> i32 {
    with_client(client, out_json, |c| c.outbox_discard(id))
}
