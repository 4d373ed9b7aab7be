//! Issue 16: `passteam batch`, driven as a shell user drives it, against the embedded sandbox.

use passteam_sandbox::{Sandbox, SandboxConfig, TEMPLATE_LOYALTY};
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_passteam");

/// Runs `passteam ARGS` against `sandbox` (token and base URL from the environment), `stdin` fed in.
fn batch(sandbox: &Sandbox, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .arg("batch")
        .args(args)
        .env("PASSTEAM_TOKEN", sandbox.token())
        .env("PASSTEAM_BASE_URL", sandbox.base_url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    // A command that refuses its arguments may exit before reading: a broken pipe here is not the test's.
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(bytes)))
}

fn create(phone: &str) -> Value {
    json!({"method": "createcard", "params": {"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}}})
}

/// A file in the temp directory holding `contents`, removed when the guard drops.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("passteam-batch-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn answers_keep_the_input_order_and_a_failing_item_exits_1() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let phones: Vec<String> = (0..12).map(|i| format!("+791677700{i:02}")).collect();
    let mut requests: Vec<Value> = phones.iter().map(|p| create(p)).collect();
    // Item 5 fails (no such card); the others still run.
    requests.insert(5, json!({"method": "getcard", "params": {"cardId": "000000000000000000000000"}}));
    let file = TempFile::new("order.json", &Value::from(requests.clone()).to_string());

    let out = batch(&sb, &[file.path(), "--concurrency", "4"], "");
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let answers = json_of(&out.stdout);
    let answers = answers.as_array().expect("one JSON array");
    assert_eq!(answers.len(), requests.len());
    assert_eq!(answers[5]["status"], 7, "{}", answers[5]);
    assert_eq!(answers[5]["error"]["name"], "PASSTEAM_ERR_NOT_FOUND");
    let created: Vec<&Value> = answers.iter().enumerate().filter(|(i, _)| *i != 5).map(|(_, a)| a).collect();
    for (answer, phone) in created.iter().zip(&phones) {
        assert_eq!(answer["status"], 0, "{answer}");
        assert_eq!(answer["result"]["values"]["%PHONE%"], phone.as_str(), "out of order: {answer}");
    }
    assert_eq!(sb.requests().iter().filter(|r| r.method == "createcard").count(), 12);
}

#[test]
fn every_item_succeeding_exits_0_and_lines_prints_one_result_per_line() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let requests = json!([
        {"method": "getListTemplates"},
        {"method": "gettemplate", "params": {"templateId": TEMPLATE_LOYALTY}},
        create("+79167771111"),
    ]);
    let file = TempFile::new("lines.json", &requests.to_string());
    let out = batch(&sb, &[file.path(), "--lines"], "");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<Value> = stdout.lines().map(|l| json_of(l.as_bytes())).collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines.iter().all(|l| l["status"] == 0), "{stdout}");
    assert_eq!(lines[0]["result"].as_array().unwrap().len(), 2, "the two templates");
    assert_eq!(lines[2]["result"]["values"]["%PHONE%"], "+79167771111");

    // Again, reads only (the card exists now): without --lines, one document.
    let reads =
        TempFile::new("reads.json", &Value::from(requests.as_array().unwrap()[..2].to_vec()).to_string());
    let out = batch(&sb, &[reads.path()], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(json_of(&out.stdout).as_array().unwrap().len(), 2);
}

#[test]
fn requests_come_from_stdin_with_a_dash_or_no_argument() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let requests = json!([create("+79167772222"), create("+79167772222")]).to_string();
    // One at a time: which of two concurrent creates wins is the server's race.
    let out = batch(&sb, &["--concurrency", "1", "-"], &requests);
    assert_eq!(out.status.code(), Some(1), "the second is a duplicate: {}", text(&out.stderr));
    let answers = json_of(&out.stdout);
    assert_eq!(answers[0]["status"], 0);
    assert_eq!(answers[1]["status"], 8, "PASSTEAM_ERR_CONFLICT");
    assert_eq!(answers[1]["error"]["details"]["cardIds"][0], answers[0]["result"]["cardId"]);

    let out = batch(&sb, &[], r#"[{"method": "getlisttemplates", "params": {}}]"#);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(json_of(&out.stdout)[0]["status"], 0);
    let out = batch(&sb, &[], "[]");
    assert_eq!((out.status.code(), text(&out.stdout).trim()), (Some(0), "[]"));
}

#[test]
fn broken_input_is_a_usage_error_that_says_what_is_wrong() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    for (args, stdin, says) in [
        (&["-"][..], "[{\"method\": \"getcard\"", "the requests in stdin are not valid JSON"),
        (&["-"], "", "not valid JSON"),
        (&["-"], r#"{"method": "getcard"}"#, "must be a JSON array of {\"method\", \"params\"}"),
        (&["/nonexistent/requests.json"], "", "cannot read the requests from /nonexistent/requests.json"),
        (&["--concurrency", "0", "-"], "[]", "--concurrency"),
        (&["--concurrency", "65", "-"], "[]", "--concurrency"),
        (&["--config", r#"{"colour": 1}"#, "-"], "[]", "unknown key \"colour\""),
    ] {
        let out = batch(&sb, args, stdin);
        assert_eq!(out.status.code(), Some(2), "{args:?} {stdin:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
        let stderr = text(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {says:?} in {stderr}");
        assert!(!stderr.trim_start().starts_with('{'), "plain text, not JSON: {stderr}");
    }
    assert!(sb.requests().is_empty(), "nothing was sent: {:?}", sb.requests());
}

#[test]
fn an_item_that_is_not_a_request_fails_alone() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let requests = r#"[{"method": "getlisttemplates"}, 42, {"method": "getcard", "params": [1]}, {"method": "noSuchMethod"}]"#;
    let out = batch(&sb, &["-"], requests);
    assert_eq!(out.status.code(), Some(1));
    let answers = json_of(&out.stdout);
    assert_eq!(answers[0]["status"], 0);
    assert_eq!(answers[1]["status"], 1, "{}", answers[1]);
    assert!(answers[1]["error"]["message"].as_str().unwrap().contains("batch item 1"), "{}", answers[1]);
    assert_eq!(answers[2]["status"], 2, "params not an object: {}", answers[2]);
    assert_eq!(answers[3]["status"], 1, "{}", answers[3]);
}

#[test]
fn the_deadline_leaves_late_items_unsent() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let requests: Vec<Value> = (0..300).map(|_| json!({"method": "getlisttemplates"})).collect();
    let out =
        batch(&sb, &["--concurrency", "1", "--deadline-ms", "1", "-"], &Value::from(requests).to_string());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let answers = json_of(&out.stdout);
    let answers = answers.as_array().unwrap();
    assert_eq!(answers.len(), 300);
    let last = &answers[299];
    assert_eq!(last["status"], 5, "{last}");
    assert!(last["error"]["message"].as_str().unwrap().contains("not sent"), "{last}");
    // Status 5 is also the answer of an item in flight when the deadline passed (sent, its reply not
    // awaited): only the items that say "not sent" are known to have stayed here.
    let unsent = answers
        .iter()
        .filter(|a| a["status"] == 5 && a["error"]["message"].as_str().unwrap_or("").contains("not sent"))
        .count();
    let succeeded = answers.iter().filter(|a| a["status"] == 0).count();
    let reached = sb.requests().len();
    assert!(
        reached <= 300 - unsent,
        "an unsent item never reached the server: {reached} of {} reached",
        300 - unsent
    );
    assert!(reached >= succeeded, "every item answered reached the server: {reached} < {succeeded}");
}
