//! The outbox across processes (issue 12): replayers killed with `kill -9` at random moments, and two
//! processes flushing one file at once. The children are this test binary, re-run in its helper mode
//! (`outbox_child_replayer`, ignored in normal runs), flushing against the sandbox until nothing is pending.

mod support;

use passteam::{Client, Status};
use passteam_sandbox::{RecordedRequest, Sandbox, TEMPLATE_LOYALTY};
use serde_json::{json, Value};
use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

const CHILD_ENV: &str = "PASSTEAM_OUTBOX_CHILD_CONFIG";

/// Helper mode, run only as a child of the tests below: flush the outbox until nothing is pending, then
/// print how many entries this process delivered.
#[test]
#[ignore = "helper: run by the multi-process tests as a child process"]
fn outbox_child_replayer() {
    let config = std::env::var(CHILD_ENV).expect("run by the multi-process tests only");
    let client = Client::from_json(&config).expect("child config");
    let started = Instant::now();
    let mut sent = 0;
    loop {
        let report = client.outbox_flush(Duration::from_secs(2)).expect("flush");
        sent += report["sent"].as_i64().unwrap_or(0);
        if report["pending"] == 0 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(45), "the outbox never drained: {report}");
        if report["sent"] == 0 {
            std::thread::sleep(Duration::from_millis(50)); // what is left is claimed by someone, or not due yet
        }
    }
    println!("CHILD-SENT {sent}");
}

fn spawn_child(config: &Value) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "outbox_child_replayer", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, config.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child replayer")
}

/// Waits for a child that should drain the outbox, and returns how many entries it sent.
fn finish_child(child: Child) -> i64 {
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "the child failed: {text}");
    let at = text.find("CHILD-SENT ").unwrap_or_else(|| panic!("no report: {text}"));
    let rest = &text[at + "CHILD-SENT ".len()..];
    rest.split_whitespace().next().unwrap_or_default().parse().unwrap()
}

fn random_below(n: u64) -> u64 {
    RandomState::new().build_hasher().finish() % n.max(1)
}

fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// The replayers' config: the sandbox, this outbox, manual replay, short calls (so leases are short).
fn replayer_config(sb: &Sandbox, path: &Path) -> Value {
    config_json(
        sb,
        json!({"outbox_path": path.to_str().unwrap(), "outbox_replay": "manual", "timeout_ms": 1000,
               "read_timeout_ms": 1000, "connect_timeout_ms": 500}),
    )
}

/// A till that cannot reach Passteam: every update it makes is queued in `path`.
fn offline_till(sb: &Sandbox, path: &Path) -> Client {
    client(
        sb,
        json!({"base_url": closed_port_url(), "outbox_path": path.to_str().unwrap(), "outbox_replay": "manual"}),
    )
}

/// What the till queued: per customer, the bonus values in the order they were queued.
struct Queued {
    cards: Vec<String>,
    phones: Vec<String>,
    last: HashMap<String, i64>,
}

impl Queued {
    fn update(&mut self, till: &Client, customer: usize) {
        let (key, call) = if customer < self.cards.len() {
            let card = self.cards[customer].clone();
            let value = self.bump(&card);
            (card.clone(), json!({"cardId": card, "values": {"BONUS": value}}))
        } else {
            let phone = self.phones[customer - self.cards.len()].clone();
            let value = self.bump(&phone);
            let call =
                json!({"templateId": TEMPLATE_LOYALTY, "find": {"PHONE": phone}, "values": {"BONUS": value}});
            (phone, call)
        };
        let method = if key.starts_with('+') { "updateclient" } else { "updatecard" };
        let e = till.call(method, call).unwrap_err();
        assert_eq!(e.status, Status::Queued, "{e}");
    }

    fn bump(&mut self, key: &str) -> i64 {
        let v = self.last.entry(key.to_owned()).or_insert(0);
        *v += 1;
        *v
    }

    fn customers(&self) -> usize {
        self.cards.len() + self.phones.len()
    }
}

/// Cards that exist, new customers whose issuecard is queued, and a first update of each queued.
fn queue_for(sb: &Sandbox, till: &Client, cards: usize, new_customers: usize) -> Queued {
    let online = client(sb, json!({}));
    let cards = (0..cards)
        .map(|_| {
            let card = online
                .call(
                    "createcard",
                    json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": unique_phone(), "BONUS": 0}}),
                )
                .unwrap();
            card["cardId"].as_str().unwrap().to_owned()
        })
        .collect();
    let phones: Vec<String> = (0..new_customers).map(|_| unique_phone()).collect();
    for phone in &phones {
        let issue =
            json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}, "uniqueVariable": "PHONE"});
        assert!(till.call("issuecard", issue).unwrap_err().is_queued());
    }
    let mut queued = Queued { cards, phones, last: HashMap::new() };
    for customer in 0..queued.customers() {
        queued.update(till, customer);
    }
    queued
}

/// The bonus values the sandbox received per cardId, in the order it received them.
fn bonus_history(requests: &[RecordedRequest]) -> BTreeMap<String, Vec<i64>> {
    let mut history: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in requests.iter().filter(|r| r.method == "updatecard") {
        let (Some(card), Some(bonus)) = (r.fields.get("cardId"), r.fields.get("values[%BONUS%]")) else {
            continue;
        };
        history.entry(card.clone()).or_default().push(bonus.parse().unwrap());
    }
    history
}

/// Every customer has its last queued value, and exactly one card; no card ever went back to an older value.
fn check_outcome(sb: &Sandbox, queued: &Queued) {
    let online = client(sb, json!({}));
    for card in &queued.cards {
        let got = online.call("getcard", json!({"cardId": card})).unwrap();
        assert_eq!(got["values"]["%BONUS%"], queued.last[card].to_string(), "card {card}");
    }
    let requests = sb.requests();
    for phone in &queued.phones {
        let got = online
            .call("getcard", json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}}))
            .unwrap();
        assert_eq!(got["values"]["%BONUS%"], queued.last[phone].to_string(), "customer {phone}");
        let created = requests
            .iter()
            .filter(|r| r.method == "createcard" && r.fields.get("values[%PHONE%]") == Some(phone))
            .filter(|r| r.status != Some(409))
            .count();
        assert_eq!(created, 1, "customer {phone} must get one card");
    }
    assert!(
        !requests.iter().any(|r| r.method == "createcard" && r.status == Some(409)),
        "no second card attempted"
    );
    for (card, values) in bonus_history(&requests) {
        assert!(
            values.windows(2).all(|w| w[0] <= w[1]),
            "card {card} went back to an older value: {values:?}"
        );
    }
}

fn outbox_path(name: &str) -> PathBuf {
    temp_dir(name).join("outbox.sqlite")
}

#[test]
fn replayers_killed_at_random_moments_lose_nothing_and_never_go_back() {
    let started = Instant::now();
    let sb = sandbox();
    let path = outbox_path("kill9");
    let till = offline_till(&sb, &path);
    let mut queued = queue_for(&sb, &till, 24, 4);
    let config = replayer_config(&sb, &path);
    // Each update takes a while to answer, so that kills and the till's new values often land mid-send.
    sb.add_fault(passteam_sandbox::Fault::delay("updatecard", 15).times(0));
    let mut kills = 0;
    for _ in 0..100 {
        let mut child = spawn_child(&config);
        std::thread::sleep(Duration::from_millis(random_below(60)));
        // The till keeps selling while the replay runs: newer values go behind (or merge), never ahead.
        for _ in 0..3 {
            let customer = random_below(queued.customers() as u64) as usize;
            queued.update(&till, customer);
        }
        std::thread::sleep(Duration::from_millis(random_below(30)));
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        child.kill().unwrap(); // SIGKILL: no destructor, no commit, mid-send or mid-transaction
        child.wait().unwrap();
    }
    assert!(kills >= 50, "most children were killed while replaying ({kills})");
    let sent = finish_child(spawn_child(&config));
    assert!(sent > 0);
    sb.clear_faults();
    let stats = till.outbox_stats().unwrap();
    assert_eq!((stats["pending"].as_i64(), stats["dead"].as_i64()), (Some(0), Some(0)), "{stats}");
    check_outcome(&sb, &queued);
    assert!(started.elapsed() < Duration::from_secs(90), "took {:?}", started.elapsed());
}

#[test]
fn two_processes_flushing_one_file_send_each_entry_once() {
    let sb = sandbox();
    let path = outbox_path("two");
    let till = offline_till(&sb, &path);
    let queued = queue_for(&sb, &till, 40, 6);
    let entries = till.outbox_stats().unwrap()["pending"].as_i64().unwrap();
    assert_eq!(entries, 40 + 6 + 6, "one update per card, an issuecard and an update per new customer");
    sb.clear_requests();
    let config = replayer_config(&sb, &path);
    let (a, b) = (spawn_child(&config), spawn_child(&config));
    let (sent_a, sent_b) = (finish_child(a), finish_child(b));
    assert_eq!(sent_a + sent_b, entries, "every entry delivered once ({sent_a} + {sent_b})");
    let history = bonus_history(&sb.requests());
    for card in &queued.cards {
        assert_eq!(
            history.get(card).map(Vec::len),
            Some(1),
            "card {card} updated once: {:?}",
            history.get(card)
        );
    }
    check_outcome(&sb, &queued);
}
