//! The outbox file: SQLite (bundled) in WAL mode with `synchronous = FULL`, so an entry is on disk before
//! `PASSTEAM_QUEUED` is returned, and any number of processes can share the file.
//!
//! Every change is one short `BEGIN IMMEDIATE` transaction (the write lock is taken up front, so two
//! processes never deadlock upgrading a read), and the busy timeout makes a writer wait instead of failing.
//! An entry is *claimed* by one replayer at a time for a lease longer than a call can last; a claimant that
//! died (kill -9) simply lets its lease run out.

use super::clock::now_ms;
use super::order;
use crate::error::{Error, Result, Status};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde_json::{json, Map, Value};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    method      TEXT NOT NULL,
    params      TEXT NOT NULL,
    customer    TEXT,
    state       TEXT NOT NULL DEFAULT 'pending',
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    failed_at   INTEGER,
    created_at  INTEGER NOT NULL,
    next_at     INTEGER NOT NULL DEFAULT 0,
    claimed_by  TEXT,
    claim_until INTEGER,
    revision    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_by_customer ON outbox (customer, id);
CREATE INDEX IF NOT EXISTS outbox_by_state ON outbox (state, id);
CREATE TABLE IF NOT EXISTS cards (
    key   TEXT PRIMARY KEY,
    card  TEXT NOT NULL,
    as_of INTEGER NOT NULL
);
";

/// A pending entry claimed for sending.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub method: String,
    pub params: Map<String, Value>,
    pub revision: i64,
    /// A previous claimant's lease ran out: its send may or may not have happened.
    pub interrupted: bool,
}

/// The open outbox file. One connection per client, used under a lock (a `Connection` is not `Sync`).
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

fn db_error(what: &str, e: rusqlite::Error) -> Error {
    Error::internal(format!("outbox: {what}: {e}"))
}

impl Store {
    /// Opens (creating if needed) the outbox file.
    pub fn open(path: &Path) -> Result<Store> {
        let open_error = |e: rusqlite::Error| {
            Error::invalid_argument(format!("config: outbox_path {}: cannot open it: {e}", path.display()))
        };
        let conn = Connection::open(path).map_err(open_error)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(open_error)?;
        // WAL: readers never block the writer; FULL: the WAL is synced at every commit (durable QUEUED).
        conn.pragma_update(None, "journal_mode", "WAL").map_err(open_error)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(open_error)?;
        conn.execute_batch(SCHEMA).map_err(open_error)?;
        Ok(Store { conn: Mutex::new(conn) })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction.
    fn write<T>(
        &self,
        what: &str,
        body: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let mut conn = self.conn();
        let tx =
            conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| db_error(what, e))?;
        let out = body(&tx).map_err(|e| db_error(what, e))?;
        tx.commit().map_err(|e| db_error(what, e))?;
        Ok(out)
    }

    /// How many entries of this customer are still pending.
    pub fn pending_for(&self, customer: &str) -> Result<i64> {
        self.conn()
            .query_row(
                "SELECT count(*) FROM outbox WHERE customer = ?1 AND state = 'pending'",
                [customer],
                |r| r.get(0),
            )
            .map_err(|e| db_error("count", e))
    }

    /// Stores a call (merging it into the customer's newest pending entry when they coalesce) and returns
    /// the entry's id. Committed to disk when it returns.
    pub fn enqueue(
        &self,
        method: &str,
        params: &Map<String, Value>,
        customer: Option<&str>,
        cause: &Value,
    ) -> Result<i64> {
        let now = now_ms();
        let cause_text = cause.to_string();
        self.write("enqueue", |tx| {
            if let Some(customer) = customer {
                let newest: Option<(i64, String, String)> = tx
                    .query_row(
                        "SELECT id, method, params FROM outbox WHERE customer = ?1 AND state = 'pending' \
                         ORDER BY id DESC LIMIT 1",
                        [customer],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                if let Some((id, queued_method, queued_text)) = newest {
                    let queued: Map<String, Value> = serde_json::from_str(&queued_text).unwrap_or_default();
                    if let Some(merged) = order::coalesce(&queued_method, &queued, method, params) {
                        // A claimant in flight sees the new revision and does not mark the entry done.
                        tx.execute(
                            "UPDATE outbox SET params = ?2, revision = revision + 1, last_error = ?3, failed_at = ?4 \
                             WHERE id = ?1",
                            params![id, Value::Object(merged).to_string(), cause_text, now],
                        )?;
                        return Ok(id);
                    }
                }
            }
            tx.execute(
                "INSERT INTO outbox (method, params, customer, created_at, last_error, failed_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
                params![method, Value::Object(params.clone()).to_string(), customer, now, cause_text],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Claims the oldest entry that is due and not behind an older pending entry of its customer.
    pub fn claim_next(&self, claimant: &str, lease: Duration) -> Result<Option<Claimed>> {
        let now = now_ms();
        let until = now + i64::try_from(lease.as_millis()).unwrap_or(i64::MAX / 2);
        self.write("claim", |tx| {
            let row: Option<(i64, String, String, i64, Option<i64>)> = tx
                .query_row(
                    "SELECT e.id, e.method, e.params, e.revision, e.claim_until FROM outbox e \
                     WHERE e.state = 'pending' AND e.next_at <= ?1 \
                       AND (e.claim_until IS NULL OR e.claim_until < ?1) \
                       AND (e.customer IS NULL OR NOT EXISTS (SELECT 1 FROM outbox o \
                            WHERE o.customer = e.customer AND o.state = 'pending' AND o.id < e.id)) \
                     ORDER BY e.id LIMIT 1",
                    [now],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let Some((id, method, text, revision, stale_claim)) = row else { return Ok(None) };
            tx.execute(
                "UPDATE outbox SET claimed_by = ?2, claim_until = ?3, attempts = attempts + 1 WHERE id = ?1",
                params![id, claimant, until],
            )?;
            Ok(Some(Claimed {
                id,
                method,
                params: serde_json::from_str(&text).unwrap_or_default(),
                revision,
                interrupted: stale_claim.is_some(),
            }))
        })
    }

    /// The entry was delivered: removes it, unless it was merged with a newer call meanwhile (then the merged
    /// values still have to go, and the claim is only released). Returns whether it was removed.
    pub fn complete(&self, claimed: &Claimed, claimant: &str) -> Result<bool> {
        self.write("complete", |tx| {
            let removed = tx.execute(
                "DELETE FROM outbox WHERE id = ?1 AND claimed_by = ?2 AND revision = ?3",
                params![claimed.id, claimant, claimed.revision],
            )?;
            if removed == 0 {
                tx.execute(
                    "UPDATE outbox SET claimed_by = NULL, claim_until = NULL WHERE id = ?1 AND claimed_by = ?2",
                    params![claimed.id, claimant],
                )?;
            }
            Ok(removed > 0)
        })
    }

    /// A transient failure: the entry stays pending, due again after `retry_in`.
    pub fn release(
        &self,
        claimed: &Claimed,
        claimant: &str,
        error: &Value,
        retry_in: Duration,
    ) -> Result<()> {
        let now = now_ms();
        let next = now + i64::try_from(retry_in.as_millis()).unwrap_or(60_000);
        self.write("release", |tx| {
            tx.execute(
                "UPDATE outbox SET claimed_by = NULL, claim_until = NULL, last_error = ?3, failed_at = ?4, next_at = ?5 \
                 WHERE id = ?1 AND claimed_by = ?2",
                params![claimed.id, claimant, error.to_string(), now, next],
            )?;
            Ok(())
        })
    }

    /// A permanent failure: the entry moves to the dead list with the server's message.
    pub fn bury(&self, claimed: &Claimed, claimant: &str, error: &Value) -> Result<()> {
        let now = now_ms();
        self.write("bury", |tx| {
            tx.execute(
                "UPDATE outbox SET state = 'dead', claimed_by = NULL, claim_until = NULL, last_error = ?3, failed_at = ?4 \
                 WHERE id = ?1 AND claimed_by = ?2",
                params![claimed.id, claimant, error.to_string(), now],
            )?;
            Ok(())
        })
    }

    /// `{"pending", "dead", "oldest_age_ms", "last_error"}`.
    pub fn stats(&self) -> Result<Value> {
        let conn = self.conn();
        let count = |state: &str| -> Result<i64> {
            conn.query_row("SELECT count(*) FROM outbox WHERE state = ?1", [state], |r| r.get(0))
                .map_err(|e| db_error("stats", e))
        };
        let (pending, dead) = (count("pending")?, count("dead")?);
        let oldest: Option<i64> = conn
            .query_row("SELECT min(created_at) FROM outbox WHERE state = 'pending'", [], |r| r.get(0))
            .map_err(|e| db_error("stats", e))?;
        let last_error: Option<String> = conn
            .query_row(
                "SELECT last_error FROM outbox WHERE last_error IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| db_error("stats", e))?;
        Ok(json!({
            "pending": pending,
            "dead": dead,
            "oldest_age_ms": oldest.map(|t| (now_ms() - t).max(0)),
            "last_error": last_error.and_then(|t| serde_json::from_str::<Value>(&t).ok()),
        }))
    }

    /// The entries, oldest first; `state` is `"pending"`, `"dead"` or `None` for both.
    pub fn list(&self, state: Option<&str>, limit: i64) -> Result<Vec<Value>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, method, params, state, attempts, last_error, created_at FROM outbox \
                 WHERE (?1 IS NULL OR state = ?1) ORDER BY id LIMIT ?2",
            )
            .map_err(|e| db_error("list", e))?;
        let rows = stmt
            .query_map(params![state, limit], |r| {
                let params: String = r.get(2)?;
                let last_error: Option<String> = r.get(5)?;
                Ok(json!({
                    "id": r.get::<_, i64>(0)?,
                    "method": r.get::<_, String>(1)?,
                    "params": serde_json::from_str::<Value>(&params).unwrap_or(Value::Null),
                    "state": r.get::<_, String>(3)?,
                    "attempts": r.get::<_, i64>(4)?,
                    "last_error": last_error.and_then(|t| serde_json::from_str::<Value>(&t).ok()),
                    "created_at": super::clock::rfc3339(r.get::<_, i64>(6)?),
                }))
            })
            .map_err(|e| db_error("list", e))?;
        rows.collect::<rusqlite::Result<Vec<Value>>>().map_err(|e| db_error("list", e))
    }

    /// Puts an entry (dead or pending) back in line, due now.
    pub fn retry(&self, id: i64) -> Result<()> {
        let changed = self.write("retry", |tx| {
            tx.execute(
                "UPDATE outbox SET state = 'pending', next_at = 0, claimed_by = NULL, claim_until = NULL \
                 WHERE id = ?1 AND (state = 'dead' OR claim_until IS NULL)",
                [id],
            )
        })?;
        if changed == 0 {
            return Err(no_entry(id));
        }
        Ok(())
    }

    /// Removes an entry that is not being sent right now.
    pub fn discard(&self, id: i64) -> Result<()> {
        let now = now_ms();
        let changed = self.write("discard", |tx| {
            tx.execute(
                "DELETE FROM outbox WHERE id = ?1 AND (state = 'dead' OR claim_until IS NULL OR claim_until < ?2)",
                params![id, now],
            )
        })?;
        if changed == 0 {
            return Err(no_entry(id));
        }
        Ok(())
    }

    /// Pending entries of these customers, oldest first (for stale reads).
    pub fn pending_of(&self, customers: &[String]) -> Result<Vec<(String, Map<String, Value>)>> {
        let conn = self.conn();
        let mut out = Vec::new();
        let mut stmt = conn
            .prepare("SELECT id, method, params FROM outbox WHERE customer = ?1 AND state = 'pending'")
            .map_err(|e| db_error("pending", e))?;
        let mut all: Vec<(i64, String, Map<String, Value>)> = Vec::new();
        for customer in customers {
            let rows = stmt
                .query_map([customer], |r| {
                    let text: String = r.get(2)?;
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        serde_json::from_str(&text).unwrap_or_default(),
                    ))
                })
                .map_err(|e| db_error("pending", e))?;
            for row in rows {
                all.push(row.map_err(|e| db_error("pending", e))?);
            }
        }
        all.sort_by_key(|(id, _, _)| *id);
        all.dedup_by_key(|(id, _, _)| *id);
        out.extend(all.into_iter().map(|(_, m, p)| (m, p)));
        Ok(out)
    }

    /// Remembers a card under each of its keys (last-known cards).
    pub fn remember_card(&self, keys: &[String], card: &Value) -> Result<()> {
        let now = now_ms();
        let text = card.to_string();
        self.write("remember card", |tx| {
            for key in keys {
                tx.execute(
                    "INSERT INTO cards (key, card, as_of) VALUES (?1, ?2, ?3) \
                     ON CONFLICT(key) DO UPDATE SET card = excluded.card, as_of = excluded.as_of",
                    params![key, text, now],
                )?;
            }
            Ok(())
        })
    }

    /// The last card seen under a key, with when it was seen (ms since the epoch).
    pub fn card(&self, key: &str) -> Result<Option<(Value, i64)>> {
        let row: Option<(String, i64)> = self
            .conn()
            .query_row("SELECT card, as_of FROM cards WHERE key = ?1", [key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(|e| db_error("card", e))?;
        Ok(row.and_then(|(text, as_of)| serde_json::from_str(&text).ok().map(|v| (v, as_of))))
    }
}

fn no_entry(id: i64) -> Error {
    Error::new(Status::NotFound, format!("outbox: no entry {id} (or it is being sent right now)"))
        .with_detail("outbox_id", Value::from(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn temp_store() -> Store {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "passteam-store-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Store::open(&dir.join("outbox.sqlite")).unwrap()
    }

    fn update(bonus: i64) -> Map<String, Value> {
        json!({"cardId": "c1", "values": {"BONUS": bonus}}).as_object().cloned().unwrap()
    }

    const LEASE: Duration = Duration::from_secs(60);

    #[test]
    fn a_value_merged_while_its_entry_is_in_flight_is_sent_again_not_lost() {
        let store = temp_store();
        let id = store.enqueue("updatecard", &update(1), Some("card:c1"), &json!({})).unwrap();
        let claimed = store.claim_next("me", LEASE).unwrap().unwrap();
        assert_eq!(claimed.id, id);
        // The till sells again while bonus 1 is on the wire: it merges into the entry being sent.
        assert_eq!(store.enqueue("updatecard", &update(2), Some("card:c1"), &json!({})).unwrap(), id);
        assert!(!store.complete(&claimed, "me").unwrap(), "the merged value still has to go");
        let again = store.claim_next("me", LEASE).unwrap().expect("due again at once");
        assert_eq!(again.params["values"]["%BONUS%"], 2);
        assert!(store.complete(&again, "me").unwrap());
        assert_eq!(store.stats().unwrap()["pending"], 0);
    }

    #[test]
    fn one_customer_replays_in_order_and_one_claimant_at_a_time() {
        let store = temp_store();
        let first = store.enqueue("issuecard", &update(1), Some("card:c1"), &json!({})).unwrap();
        let second = store.enqueue("updatecard", &update(2), Some("card:c1"), &json!({})).unwrap();
        let other = store.enqueue("updatecard", &update(3), Some("card:c2"), &json!({})).unwrap();
        assert_ne!(first, second, "an update does not merge into an issuecard");
        let a = store.claim_next("a", LEASE).unwrap().unwrap();
        assert_eq!(a.id, first);
        let b = store.claim_next("b", LEASE).unwrap().unwrap();
        assert_eq!(b.id, other, "c1's update waits for its issuecard; c2 does not");
        assert!(store.claim_next("b", LEASE).unwrap().is_none());
        assert!(store.complete(&a, "a").unwrap());
        assert_eq!(store.claim_next("b", LEASE).unwrap().unwrap().id, second);
    }

    #[test]
    fn a_dead_claimants_entry_comes_back_after_its_lease_marked_interrupted() {
        let store = temp_store();
        store.enqueue("updatecard", &update(1), Some("card:c1"), &json!({})).unwrap();
        let lost = store.claim_next("killed", Duration::from_millis(30)).unwrap().unwrap();
        assert!(!lost.interrupted);
        assert!(store.claim_next("me", LEASE).unwrap().is_none(), "not while the lease runs");
        std::thread::sleep(Duration::from_millis(60));
        let back = store.claim_next("me", LEASE).unwrap().unwrap();
        assert!(back.interrupted);
        assert!(!store.complete(&lost, "killed").unwrap(), "the old claimant no longer owns it");
        assert!(store.complete(&back, "me").unwrap());
    }
}
