//! Concurrency under faults: 16 threads on one client (through the C ABI), and 8 clients with 16
//! threads at once (through the Rust API), mixing reads, creates, updates, paginations and the
//! scenarios while another thread keeps injecting drops, delays, gateway errors and garbage.
//!
//! Bounded by iterations, and by a watchdog that aborts the process with a clear message if anything
//! hangs (a deadlock would otherwise stall the whole test run). Afterwards: every call was answered
//! with a defined status, and no phone ended up on two cards.

mod support;

use passteam::{Client, Status};
use passteam_ffi::{
    passteam_call, passteam_client_free, passteam_client_new, passteam_string_free, PassteamClient,
};
use passteam_sandbox::{Fault, Sandbox, TEMPLATE_LOYALTY};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::ffi::{c_char, CStr, CString};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const THREADS: usize = 16;
const ITERATIONS: u64 = 30;
const TIMEOUT_MS: u64 = 1500;
/// Generous: 16 threads share 2 cores; this catches a call that ignores its deadline, not a slow one.
const CALL_BOUND: Duration = Duration::from_millis(TIMEOUT_MS + 1500);
const WATCHDOG: Duration = Duration::from_secs(60);

/// Aborts the process if the test is still running after [`WATCHDOG`] (dropping it disarms it).
struct Watchdog(Arc<AtomicBool>);

fn watchdog(test: &'static str) -> Watchdog {
    let done = Arc::new(AtomicBool::new(false));
    let flag = done.clone();
    std::thread::spawn(move || {
        let started = Instant::now();
        while !flag.load(Ordering::SeqCst) {
            if started.elapsed() > WATCHDOG {
                eprintln!("stress test {test}: still running after {WATCHDOG:?}: a call hangs or threads deadlock; aborting");
                std::process::abort();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    Watchdog(done)
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A small deterministic generator, one per thread, so the mix of operations is the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Injects one random fault every few milliseconds until `stop`.
fn chaos(sb: &Sandbox, stop: &AtomicBool) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    while !stop.load(Ordering::SeqCst) {
        let fault = match rng.next(6) {
            0 => Fault::drop("*"),
            1 => Fault::drop("*").after_processing(),
            2 => Fault::delay("*", 300),
            3 => Fault::status("*", 502),
            4 => Fault::status("*", 503).after_processing(),
            _ => Fault::garbage("*"),
        };
        sb.add_fault(fault);
        std::thread::sleep(Duration::from_millis(15));
    }
    sb.clear_faults();
}

fn config(sb: &Sandbox, extra: Value) -> Value {
    let mut config = support::config_json(
        sb,
        json!({"timeout_ms": TIMEOUT_MS, "read_timeout_ms": 200, "max_attempts": 3, "retry_base_delay_ms": 10, "retry_max_delay_ms": 40}),
    );
    for (k, v) in extra.as_object().unwrap() {
        config[k] = v.clone();
    }
    config
}

/// What the threads saw: statuses by operation, and the phones they asked for.
#[derive(Default)]
struct Tally {
    statuses: BTreeMap<(String, i32), u64>,
    phones: Vec<String>,
    problems: Vec<String>,
}

impl Tally {
    fn record(&mut self, op: &str, status: i32, elapsed: Duration) {
        *self.statuses.entry((op.to_owned(), status)).or_default() += 1;
        if !(0..=11).contains(&status) {
            self.problems
                .push(format!("{op}: status {status} is not a defined answer (99 = a caught panic)"));
        }
        if elapsed > CALL_BOUND {
            self.problems.push(format!("{op}: took {elapsed:?} with timeout_ms {TIMEOUT_MS}"));
        }
    }

    fn ok(&self) -> u64 {
        self.statuses.iter().filter(|((_, s), _)| *s == 0).map(|(_, n)| n).sum()
    }
}

/// The next operation of a worker: its name and parameters, from what the worker created so far.
fn next_call(rng: &mut Rng, cards: &[(String, String)], tally: &Mutex<Tally>) -> (&'static str, Value) {
    let new_phone = || {
        let p = support::unique_phone();
        tally.lock().unwrap().phones.push(p.clone());
        p
    };
    let own = (!cards.is_empty()).then(|| &cards[rng.next(cards.len() as u64) as usize]);
    match (rng.next(9), own) {
        (0, _) | (1, None) | (2, None) | (4, None) | (7, None) => (
            "createcard",
            json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": new_phone(), "CLIENT_NAME": "Stress"}}),
        ),
        (1, Some((id, _))) => ("getcard", json!({"cardId": id})),
        (2, Some((id, _))) => {
            ("updatecard", json!({"cardId": id, "values": {"BONUS": rng.next(1000), "LEVEL": "Gold"}}))
        }
        (3, _) => (
            "getcardswithpagination",
            json!({"templateId": TEMPLATE_LOYALTY, "page": 1 + rng.next(3), "perPage": 5}),
        ),
        (4, Some((_, phone))) => {
            ("checkvariablevalue", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}}))
        }
        (5, own) => {
            // A new customer, or one this worker already has (found, not created again).
            let phone = match own {
                Some((_, phone)) if rng.next(2) == 0 => phone.clone(),
                _ => new_phone(),
            };
            ("issuecard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}}))
        }
        (6, _) => ("getlisttemplates", json!({})),
        (7, Some((_, phone))) => (
            "updateclient",
            json!({"templateId": TEMPLATE_LOYALTY, "find": {"PHONE": phone}, "values": {"BONUS": 7}}),
        ),
        _ => ("gettemplate", json!({"templateId": TEMPLATE_LOYALTY})),
    }
}

/// Remembers a card a call returned (createcard's card, issuecard's {"card"}).
fn remember(
    op: &str,
    params: &Value,
    result: &Value,
    cards: &mut Vec<(String, String)>,
    tally: &Mutex<Tally>,
) {
    let card = match op {
        "createcard" => result,
        "issuecard" => &result["card"],
        _ => return,
    };
    let phone = params["values"]["PHONE"].as_str().unwrap();
    if card["values"]["%PHONE%"] != phone {
        tally
            .lock()
            .unwrap()
            .problems
            .push(format!("{op} for {phone} returned another customer's card: {card}"));
    }
    if let Some(id) = card["cardId"].as_str() {
        cards.push((id.to_owned(), phone.to_owned()));
    }
}

/// After the storm: no phone is on two cards.
fn check_no_duplicates(sb: &Sandbox, tally: &Tally) -> Vec<String> {
    let client = support::client(sb, json!({"timeout_ms": 20_000, "read_timeout_ms": 20_000}));
    let cards =
        client.call("getcards", json!({"templateId": TEMPLATE_LOYALTY})).expect("getcards after the storm");
    let mut by_phone: HashMap<String, Vec<String>> = HashMap::new();
    for c in cards.as_array().unwrap() {
        if let Some(p) = c["values"]["%PHONE%"].as_str() {
            by_phone.entry(p.to_owned()).or_default().push(c["cardId"].as_str().unwrap().to_owned());
        }
    }
    let mut problems: Vec<String> = by_phone
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(p, ids)| format!("{p} is on {} cards: {ids:?}", ids.len()))
        .collect();
    let unknown = by_phone.keys().filter(|p| !tally.phones.contains(p)).count();
    if unknown > 0 {
        problems.push(format!("{unknown} cards hold phones no call asked for"));
    }
    problems
}

fn report(test: &str, tally: &Tally, elapsed: Duration) {
    let calls: u64 = tally.statuses.values().sum();
    eprintln!(
        "{test}: {calls} calls in {elapsed:?}, {} OK; by (operation, status): {:?}",
        tally.ok(),
        tally.statuses
    );
}

/// A C ABI client shared by threads (the ABI allows concurrent calls on one client).
struct FfiClient(*mut PassteamClient);
// SAFETY: passteam_call may run on any number of threads at once on one client; freed after they join.
unsafe impl Send for FfiClient {}
unsafe impl Sync for FfiClient {}

impl FfiClient {
    fn new(config: &Value) -> FfiClient {
        let text = CString::new(config.to_string()).unwrap();
        let (mut client, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        assert_eq!(unsafe { passteam_client_new(text.as_ptr(), &mut client, &mut err) }, 0);
        FfiClient(client)
    }

    /// (status, document); the document is always JSON, freed here.
    fn call(&self, method: &str, params: &Value) -> (i32, Result<Value, String>) {
        let (m, p) = (CString::new(method).unwrap(), CString::new(params.to_string()).unwrap());
        let mut out: *mut c_char = std::ptr::null_mut();
        let status = unsafe { passteam_call(self.0, m.as_ptr(), p.as_ptr(), &mut out) };
        if out.is_null() {
            return (status, Err("no document".into()));
        }
        let text = unsafe { CStr::from_ptr(out) }.to_string_lossy().into_owned();
        unsafe { passteam_string_free(out) };
        (status, serde_json::from_str(&text).map_err(|e| format!("not JSON ({e}): {text}")))
    }
}

impl Drop for FfiClient {
    fn drop(&mut self) {
        unsafe { passteam_client_free(self.0) };
    }
}

#[test]
fn sixteen_threads_share_one_client_under_faults() {
    let _watchdog = watchdog("sixteen_threads_share_one_client_under_faults");
    let sb = support::sandbox();
    let client = FfiClient::new(&config(&sb, json!({})));
    let tally = Mutex::new(Tally::default());
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| chaos(&sb, &stop));
        let workers: Vec<_> = (0..THREADS as u64)
            .map(|t| {
                let (client, tally) = (&client, &tally);
                s.spawn(move || {
                    let mut rng = Rng(0xA076_1D64_78BD_642F ^ (t + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
                    let mut cards = Vec::new();
                    for _ in 0..ITERATIONS {
                        let (op, params) = next_call(&mut rng, &cards, tally);
                        let t0 = Instant::now();
                        let (status, doc) = client.call(op, &params);
                        let elapsed = t0.elapsed();
                        let mut tl = tally.lock().unwrap();
                        tl.record(op, status, elapsed);
                        match doc {
                            Err(e) => tl.problems.push(format!("{op}: {e}")),
                            Ok(doc) if status == 0 => {
                                drop(tl);
                                remember(op, &params, &doc, &mut cards, tally);
                            }
                            Ok(doc) if doc["status"] != status => {
                                tl.problems.push(format!("{op}: returned {status}, document says {doc}"))
                            }
                            Ok(_) => {}
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().expect("a worker panicked");
        }
        stop.store(true, Ordering::SeqCst);
    });
    let tally = tally.into_inner().unwrap();
    report("one client, 16 threads", &tally, started.elapsed());
    let mut problems = tally.problems.clone();
    problems.extend(check_no_duplicates(&sb, &tally));
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    assert_eq!(tally.statuses.values().sum::<u64>(), THREADS as u64 * ITERATIONS, "every call answered");
    assert!(tally.ok() > 0, "nothing succeeded: {:?}", tally.statuses);
}

#[test]
fn eight_clients_at_once_under_faults() {
    let _watchdog = watchdog("eight_clients_at_once_under_faults");
    let sb = support::sandbox();
    let logs = support::temp_dir("stress-logs");
    // Different configs side by side: encodings, retry counts, a small budget, log files.
    let clients: Vec<Arc<Client>> = (0..8)
        .map(|i| {
            let mut extra = json!({
                "body_encoding": if i % 2 == 0 { "multipart" } else { "urlencoded" },
                "max_attempts": 1 + i % 3,
            });
            if i == 3 {
                extra["quota_per_hour"] = json!(25);
            }
            if i >= 6 {
                extra["log_file"] = json!(logs.join(format!("client-{i}.log")).to_str().unwrap());
                extra["log_level"] = json!("debug");
            }
            Arc::new(support::client_from(&config(&sb, extra)).expect("client"))
        })
        .collect();
    let tally = Mutex::new(Tally::default());
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| chaos(&sb, &stop));
        let workers: Vec<_> = (0..THREADS as u64)
            .map(|t| {
                let (client, tally, sb) = (clients[t as usize % 8].clone(), &tally, &sb);
                s.spawn(move || {
                    let mut rng = Rng(0xD1B5_4A32_D192_ED03 ^ (t + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                    let mut cards = Vec::new();
                    for i in 0..ITERATIONS {
                        // Now and then a short-lived client of its own: clients come and go while others work.
                        let own;
                        let c: &Client = if i % 10 == 9 {
                            own = support::client_from(&config(sb, json!({}))).expect("client");
                            &own
                        } else {
                            &client
                        };
                        let (op, params) = next_call(&mut rng, &cards, tally);
                        let t0 = Instant::now();
                        let result = c.call(op, params.clone());
                        let elapsed = t0.elapsed();
                        match result {
                            Ok(v) => {
                                tally.lock().unwrap().record(op, 0, elapsed);
                                remember(op, &params, &v, &mut cards, tally);
                            }
                            Err(e) => {
                                let mut tl = tally.lock().unwrap();
                                tl.record(op, e.status.code(), elapsed);
                                if e.status == Status::RateLimited
                                    && e.http_status.is_none()
                                    && e.retry_after_ms.is_none()
                                {
                                    tl.problems.push(format!(
                                        "{op}: a local refusal without retry_after_ms: {}",
                                        e.to_json()
                                    ));
                                }
                            }
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().expect("a worker panicked");
        }
        stop.store(true, Ordering::SeqCst);
    });
    let tally = tally.into_inner().unwrap();
    report("8 clients, 16 threads", &tally, started.elapsed());
    let mut problems = tally.problems.clone();
    problems.extend(check_no_duplicates(&sb, &tally));
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    assert_eq!(tally.statuses.values().sum::<u64>(), THREADS as u64 * ITERATIONS);
    assert!(tally.ok() > 0);
    for i in 6..8 {
        let text = std::fs::read_to_string(logs.join(format!("client-{i}.log"))).expect("log written");
        assert!(
            text.lines().all(|l| l.len() > 20 && l.starts_with("20")),
            "log lines are whole (no interleaving):\n{text}"
        );
    }
    let _ = std::fs::remove_dir_all(logs);
}
