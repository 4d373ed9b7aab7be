//! The add-in's webhook receiver: `ЗапуститьВебхуки` / `StartWebhooks`, `ОстановитьВебхуки` /
//! `StopWebhooks`, `СледующийВебхук` / `NextWebhook`, `ПодтвердитьВебхук` / `AckWebhook`, and
//! `ВнешнееСобытие` ("Passteam", "Webhook", the event's JSON) raised when an event arrives.
//!
//! The events themselves are in the receiver's store until acknowledged: the external event is only a
//! nudge to call `СледующийВебхук`, so one the platform dropped (a full buffer, a closed form) is not lost.

use crate::native::Connection;
use passteam::webhook::{Acked, WebhookConfig, WebhookServer};
use passteam::{Error, Status};
use serde_json::{json, Value};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// The source and message of the external event raised for each new webhook.
pub const EVENT_SOURCE: &str = "Passteam";
pub const EVENT_MESSAGE: &str = "Webhook";

/// External events the platform may queue while 1C code is busy (its default is 1: a burst of webhooks
/// would drop all but one nudge).
pub const EVENT_BUFFER_DEPTH: std::ffi::c_long = 1000;

/// The platform interface, usable from the receiver's connection threads.
#[derive(Clone, Copy)]
struct SharedConnection(Connection);

// SAFETY: the Native API lets a component call ExternalEvent from its own threads (that is what it is
// for); the handle is taken away under the write lock in `stop`, which `Done` calls, so no thread uses
// it after the platform invalidates it.
unsafe impl Send for SharedConnection {}
unsafe impl Sync for SharedConnection {}

/// The receiver of one add-in object, if started.
#[derive(Default)]
pub struct WebhookHost {
    server: Option<WebhookServer>,
    sink: Arc<RwLock<Option<SharedConnection>>>,
}

impl WebhookHost {
    /// Starts the receiver (stopping a previous one) and answers its info JSON.
    pub fn start(&mut self, config: &Value, connection: Option<Connection>) -> Result<Value, Error> {
        self.stop();
        let object = config.as_object().cloned().unwrap_or_default();
        let server = WebhookServer::start(WebhookConfig::from_json(&object)?)?;
        if let Some(connection) = connection {
            connection.set_event_buffer_depth(EVENT_BUFFER_DEPTH);
            *self.sink.write().unwrap_or_else(|e| e.into_inner()) = Some(SharedConnection(connection));
        }
        let sink = Arc::clone(&self.sink);
        server.set_on_event(Some(Arc::new(move |event: &Value| {
            let guard = sink.read().unwrap_or_else(|e| e.into_inner());
            if let Some(SharedConnection(connection)) = *guard {
                connection.external_event(EVENT_SOURCE, EVENT_MESSAGE, &event.to_string());
            }
        })));
        let info = server.info();
        self.server = Some(server);
        Ok(info)
    }

    /// Stops the receiver; events not acknowledged stay in the store. Waits for an external event being
    /// raised, so the platform interface is never used after this returns.
    pub fn stop(&mut self) {
        *self.sink.write().unwrap_or_else(|e| e.into_inner()) = None;
        self.server = None;
    }

    /// The oldest unacknowledged event, waiting up to `timeout`; `Null` when none came.
    pub fn next(&self, timeout: Option<Duration>) -> Result<Value, Error> {
        Ok(self.running()?.next(timeout.unwrap_or_default())?.unwrap_or(Value::Null))
    }

    /// Acknowledges an event.
    pub fn ack(&self, webhook_id: &str) -> Result<Value, Error> {
        match self.running()?.ack(webhook_id)? {
            Acked::Now => Ok(json!({"webhookId": webhook_id, "acked": true, "already": false})),
            Acked::Already => Ok(json!({"webhookId": webhook_id, "acked": true, "already": true})),
            Acked::Unknown => {
                Err(Error::new(Status::NotFound, format!("no webhook {webhook_id:?} in the store")))
            }
        }
    }

    fn running(&self) -> Result<&WebhookServer, Error> {
        self.server.as_ref().ok_or_else(|| {
            Error::invalid_argument(
                "the webhook receiver is not started: call ЗапуститьВебхуки / StartWebhooks",
            )
        })
    }
}
