//! The webhook exports: parse one body; start, query, and stop a receiver; take and acknowledge events.

use super::convert::{deliver, guarded, json_object_arg, text_arg};
use super::PASSTEAM_ERR_INVALID_ARGUMENT;
use passteam::error::{Error, Status};
use passteam::webhook::{Acked, WebhookConfig, WebhookServer};
use serde_json::{json, Value};
use std::os::raw::c_char;
use std::ptr;
use std::time::Duration;

/// An opaque webhook receiver. Start it with passteam_webhook_server_start, stop and free it with
/// passteam_webhook_server_free. next, ack and info may be called from any thread, concurrently.
pub struct PassteamWebhookServer {
    inner: WebhookServer,
}

/// Validates a webhook body as Passteam posts it and gives the normalised event.
///
/// body: the request body, JSON text. On PASSTEAM_OK *out_json receives {"webhookId", "event", "card"}
/// (event is one of createCard, updateCard, deleteCard, installCard, unInstallCard, in that spelling; card
/// is kept whole). A body that is not JSON, or lacks webhookId, a known event, or a card object with a
/// cardId, is PASSTEAM_ERR_PROTOCOL with a message that says which. NULL or non-UTF-8 body:
/// PASSTEAM_ERR_INVALID_ARGUMENT. Needs no client. *out_json is freed with passteam_string_free; a NULL
/// out_json returns PASSTEAM_ERR_INVALID_ARGUMENT.
///
/// # Safety
/// body is NULL or a NUL-terminated string; out_json is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_webhook_parse(body: *const c_char, out_json: *mut *mut c_char) -> i32 {
    if out_json.is_null() {
        return PASSTEAM_ERR_INVALID_ARGUMENT;
    }
    *out_json = ptr::null_mut();
    let outcome = guarded(|| Ok(passteam::webhook::parse(text_arg(body, "body")?.as_bytes())?.to_json()));
    deliver(outcome, out_json)
}

/// Starts a webhook receiver: an HTTP (or HTTPS) server that Passteam posts card events to.
///
/// config_json keys: path (required, at least 16 characters: the secret path Passteam posts to, e.g.
/// "/passteam/4f9c2b7a1e6d8c03aa"), store_path (required: the SQLite file that keeps events until they
/// are acknowledged; created if absent), listen ("127.0.0.1:0" default; port 0 = the OS picks, read it
/// with passteam_webhook_server_info), retention_days (7: how long acknowledged webhookIds are remembered
/// to recognise Passteam's repeats), max_body_bytes (1048576), max_connections (64), header_timeout_ms
/// (5000), body_timeout_ms (10000), tls_cert and tls_key (PEM files; both set = HTTPS).
///
/// The receiver answers POST on the path only: a new event is committed to the store before the 200; a
/// repeated webhookId answers 200 and is not stored again; a malformed body answers 400 with
/// {"ok": false, "error": reason} and stores nothing; another path 404; another verb 405; a larger body 413.
///
/// On PASSTEAM_OK *out_server receives the receiver and *out_error_json (if not NULL) is set to NULL. On
/// failure (a bad key or value, a store that cannot be opened, an address that cannot be bound:
/// PASSTEAM_ERR_INVALID_ARGUMENT) *out_server is NULL and *out_error_json receives the error object.
///
/// # Safety
/// config_json is NULL or a NUL-terminated string; out_server and out_error_json are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_webhook_server_start(
    config_json: *const c_char,
    out_server: *mut *mut PassteamWebhookServer,
    out_error_json: *mut *mut c_char,
) -> i32 {
    if !out_error_json.is_null() {
        *out_error_json = ptr::null_mut();
    }
    if out_server.is_null() {
        return deliver::<Value>(Err(Error::invalid_argument("out_server is NULL")), out_error_json);
    }
    *out_server = ptr::null_mut();
    let started = guarded(|| {
        let config = json_object_arg(config_json, "config_json")?;
        WebhookServer::start(WebhookConfig::from_json(config.as_object().expect("checked object"))?)
    });
    match started {
        Ok(server) => {
            *out_server = Box::into_raw(Box::new(PassteamWebhookServer { inner: server }));
            0
        }
        Err(e) => deliver::<Value>(Err(e), out_error_json),
    }
}

/// Stops a receiver and frees it. NULL is a no-op. Events not acknowledged stay in the store and are
/// returned by the next receiver started on the same store_path. No call on it may be running or follow.
///
/// # Safety
/// server is NULL or a pointer returned by passteam_webhook_server_start and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn passteam_webhook_server_free(server: *mut PassteamWebhookServer) {
    if !server.is_null() {
        let _ = guarded(|| {
            drop(Box::from_raw(server));
            Ok(())
        });
    }
}

/// Describes a running receiver: *out_json receives {"listen": "127.0.0.1:40123", "port", "path", "url",
/// "tls", "store_path", "pending", "retention_days", "max_body_bytes", "max_connections"}.
///
/// # Safety
/// server is NULL or a live receiver; out_json is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_webhook_server_info(
    server: *const PassteamWebhookServer,
    out_json: *mut *mut c_char,
) -> i32 {
    if out_json.is_null() {
        return PASSTEAM_ERR_INVALID_ARGUMENT;
    }
    *out_json = ptr::null_mut();
    let outcome = guarded(|| Ok(live(server)?.info()));
    deliver(outcome, out_json)
}

/// Takes the oldest event not yet acknowledged, waiting up to timeout_ms for one to arrive (0 = just look).
///
/// PASSTEAM_OK with *out_json = the event {"webhookId", "event", "card"}, or PASSTEAM_OK with *out_json =
/// "null" when none came within timeout_ms. The same event is returned until passteam_webhook_ack is
/// called with its webhookId, also after a restart or a crash: handle it, then acknowledge it.
///
/// # Safety
/// server is NULL or a live receiver; out_json is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_webhook_next(
    server: *const PassteamWebhookServer,
    timeout_ms: u32,
    out_json: *mut *mut c_char,
) -> i32 {
    if out_json.is_null() {
        return PASSTEAM_ERR_INVALID_ARGUMENT;
    }
    *out_json = ptr::null_mut();
    let outcome = guarded(|| {
        Ok(live(server)?.next(Duration::from_millis(u64::from(timeout_ms)))?.unwrap_or(Value::Null))
    });
    deliver(outcome, out_json)
}

/// Acknowledges an event: it is handled, next moves on. Acknowledging twice is fine.
///
/// On PASSTEAM_OK *out_json receives {"webhookId", "acked": true, "already": false} ("already": true when it
/// had been acknowledged before). A webhookId the store does not hold: PASSTEAM_ERR_NOT_FOUND.
///
/// # Safety
/// server is NULL or a live receiver; webhook_id is NULL or a NUL-terminated string; out_json is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_webhook_ack(
    server: *const PassteamWebhookServer,
    webhook_id: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    if out_json.is_null() {
        return PASSTEAM_ERR_INVALID_ARGUMENT;
    }
    *out_json = ptr::null_mut();
    let outcome = guarded(|| {
        let server = live(server)?;
        let id = text_arg(webhook_id, "webhook_id")?;
        match server.ack(id)? {
            Acked::Now => Ok(json!({"webhookId": id, "acked": true, "already": false})),
            Acked::Already => Ok(json!({"webhookId": id, "acked": true, "already": true})),
            Acked::Unknown => Err(Error::new(Status::NotFound, format!("no webhook {id:?} in the store"))),
        }
    });
    deliver(outcome, out_json)
}

/// The receiver behind a pointer, or `InvalidArgument` for NULL.
///
/// # Safety
/// server is NULL or a live receiver.
unsafe fn live<'a>(server: *const PassteamWebhookServer) -> passteam::Result<&'a WebhookServer> {
    server.as_ref().map(|s| &s.inner).ok_or_else(|| Error::invalid_argument("server is NULL"))
}
