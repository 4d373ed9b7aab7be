//! The durable store of received webhooks: one SQLite file (WAL, `synchronous = FULL`).
//!
//! A new event is committed before the receiver answers 200, stays "pending" until the host acknowledges
//! it, and is remembered after that for the retention period so that Passteam's repeats (after 1-2 hours
//! and after 24 hours) are recognised, across restarts too. Pending events are never purged.

use super::parse::WebhookEvent;
use crate::error::{Error, Result, Status};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS passteam_webhook_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id  TEXT    NOT NULL UNIQUE,
    event_json  TEXT    NOT NULL,
    received_ms INTEGER NOT NULL,
    acked_ms    INTEGER
);
CREATE INDEX IF NOT EXISTS passteam_webhook_events_pending
    ON passteam_webhook_events (seq) WHERE acked_ms IS NULL;
";

/// What storing an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A webhookId not seen within the retention: committed, pending.
    New,
    /// A repeat of a webhookId already stored (pending or acknowledged): nothing written.
    Duplicate,
}

/// What acknowledging a webhookId did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acked {
    /// It was pending and now is not.
    Now,
    /// It had been acknowledged before (acknowledging is idempotent).
    Already,
    /// The store holds no such webhookId.
    Unknown,
}

/// The SQLite store; one connection behind a mutex (every write is a short transaction).
pub struct WebhookStore {
    connection: Mutex<Connection>,
}

impl WebhookStore {
    /// Opens (or creates) the store file and its table.
    pub fn open(path: &Path) -> Result<WebhookStore> {
        let open_error = |e: rusqlite::Error| {
            Error::invalid_argument(format!("cannot open the webhook store {}: {e}", path.display()))
        };
        let connection = Connection::open(path).map_err(open_error)?;
        connection.busy_timeout(Duration::from_secs(5)).map_err(open_error)?;
        // WAL lets a reader (next) and the writer (the receiver) work at once; FULL makes each commit
        // reach the disk before we answer 200, so a crash of the host right after the reply loses nothing.
        connection.pragma_update(None, "journal_mode", "WAL").map_err(open_error)?;
        connection.pragma_update(None, "synchronous", "FULL").map_err(open_error)?;
        connection.execute_batch(SCHEMA).map_err(open_error)?;
        Ok(WebhookStore { connection: Mutex::new(connection) })
    }

    /// Commits a new event, or recognises a repeat of one already stored.
    pub fn insert(&self, event: &WebhookEvent) -> Result<Stored> {
        let json = event.to_json().to_string();
        let changed = self
            .lock()
            .execute(
                "INSERT OR IGNORE INTO passteam_webhook_events (webhook_id, event_json, received_ms)
                 VALUES (?1, ?2, ?3)",
                params![event.webhook_id, json, now_ms()],
            )
            .map_err(store_error)?;
        Ok(if changed == 1 { Stored::New } else { Stored::Duplicate })
    }

    /// The oldest pending event (the same one until it is acknowledged), or `None`.
    pub fn oldest_pending(&self) -> Result<Option<Value>> {
        let text: Option<String> = self
            .lock()
            .query_row(
                "SELECT event_json FROM passteam_webhook_events WHERE acked_ms IS NULL ORDER BY seq LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(store_error)?;
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| Error::internal(format!("the webhook store holds an unreadable event: {e}")))
        })
        .transpose()
    }

    /// Marks an event handled.
    pub fn ack(&self, webhook_id: &str) -> Result<Acked> {
        let connection = self.lock();
        let changed = connection
            .execute(
                "UPDATE passteam_webhook_events SET acked_ms = ?2 WHERE webhook_id = ?1 AND acked_ms IS NULL",
                params![webhook_id, now_ms()],
            )
            .map_err(store_error)?;
        if changed == 1 {
            return Ok(Acked::Now);
        }
        let known: Option<i64> = connection
            .query_row("SELECT seq FROM passteam_webhook_events WHERE webhook_id = ?1", [webhook_id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(store_error)?;
        Ok(if known.is_some() { Acked::Already } else { Acked::Unknown })
    }

    /// Forgets acknowledged events received longer than `retention` ago; answers how many.
    pub fn purge(&self, retention: Duration) -> Result<usize> {
        let cutoff = now_ms().saturating_sub(i64::try_from(retention.as_millis()).unwrap_or(i64::MAX));
        self.lock()
            .execute(
                "DELETE FROM passteam_webhook_events WHERE acked_ms IS NOT NULL AND received_ms < ?1",
                [cutoff],
            )
            .map_err(store_error)
    }

    /// How many events wait for an acknowledgement.
    pub fn pending_count(&self) -> Result<u64> {
        let count: i64 = self
            .lock()
            .query_row("SELECT COUNT(*) FROM passteam_webhook_events WHERE acked_ms IS NULL", [], |r| {
                r.get(0)
            })
            .map_err(store_error)?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (each statement is atomic).
        self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn store_error(e: rusqlite::Error) -> Error {
    Error::new(Status::Internal, format!("the webhook store failed: {e}"))
}

fn now_ms() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::parse::parse;

    fn event(id: &str) -> WebhookEvent {
        let body =
            format!(r#"{{"webhookId": "{id}", "event": "installCard", "card": {{"cardId": "c-{id}"}}}}"#);
        parse(body.as_bytes()).unwrap()
    }

    fn temp_store(name: &str) -> (WebhookStore, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!("passteam-store-{name}-{}.sqlite", std::process::id()));
        let _ = std::fs::remove_file(&path);
        (WebhookStore::open(&path).unwrap(), path)
    }

    #[test]
    fn pending_in_order_until_acked_and_repeats_recognised() {
        let (store, path) = temp_store("order");
        assert_eq!(store.insert(&event("a")).unwrap(), Stored::New);
        assert_eq!(store.insert(&event("b")).unwrap(), Stored::New);
        assert_eq!(store.insert(&event("a")).unwrap(), Stored::Duplicate);
        assert_eq!(store.oldest_pending().unwrap().unwrap()["webhookId"], "a");
        assert_eq!(store.oldest_pending().unwrap().unwrap()["webhookId"], "a", "stays until acked");
        assert_eq!(store.ack("a").unwrap(), Acked::Now);
        assert_eq!(store.ack("a").unwrap(), Acked::Already);
        assert_eq!(store.ack("zzz").unwrap(), Acked::Unknown);
        assert_eq!(store.insert(&event("a")).unwrap(), Stored::Duplicate, "acked repeats are still known");
        assert_eq!(store.oldest_pending().unwrap().unwrap()["webhookId"], "b");
        drop(store);
        let reopened = WebhookStore::open(&path).unwrap();
        assert_eq!(reopened.pending_count().unwrap(), 1);
        assert_eq!(reopened.insert(&event("a")).unwrap(), Stored::Duplicate, "across a restart");
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn purge_forgets_only_old_acknowledged_events() {
        let (store, path) = temp_store("purge");
        store.insert(&event("old")).unwrap();
        store.insert(&event("pending")).unwrap();
        store.ack("old").unwrap();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(store.purge(Duration::from_secs(3600)).unwrap(), 0, "young events are kept");
        assert_eq!(store.purge(Duration::ZERO).unwrap(), 1, "only the acknowledged one goes");
        assert_eq!(store.pending_count().unwrap(), 1);
        assert_eq!(store.insert(&event("old")).unwrap(), Stored::New, "forgotten after the retention");
        let _ = std::fs::remove_file(&path);
    }
}
