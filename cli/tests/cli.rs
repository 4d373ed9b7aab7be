//! The `passteam` binary, driven as a user drives it: exit codes, stdout, stderr.

use passteam_sandbox::{Sandbox, SandboxConfig, TEMPLATE_LOYALTY};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_passteam");

fn passteam(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env_remove("PASSTEAM_TOKEN").env_remove("PASSTEAM_BASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

#[test]
fn call_prints_the_result_and_exits_with_the_status() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let base = sb.base_url();
    let env = [("PASSTEAM_TOKEN", sb.token()), ("PASSTEAM_BASE_URL", base.as_str())];

    let out = passteam(&["call", "getListTemplates"], &env);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout).as_array().unwrap().len(), 2);

    let params = format!(r#"{{"templateId": "{TEMPLATE_LOYALTY}", "values": {{"PHONE": "+79167770000"}}}}"#);
    let out = passteam(&["call", "createcard", &params], &env);
    assert!(out.status.success());
    let card = json_of(&out.stdout);
    assert_eq!(card["values"]["%PHONE%"], "+79167770000");

    // A conflict: exit code 8, the error object on stderr, nothing on stdout.
    let out = passteam(&["call", "createcard", &params], &env);
    assert_eq!(out.status.code(), Some(8));
    assert!(out.stdout.is_empty());
    let err = json_of(&out.stderr);
    assert_eq!(err["name"], "PASSTEAM_ERR_CONFLICT");
    assert_eq!(err["details"]["cardIds"][0], card["cardId"]);

    // Flags win over the environment; the token never shows.
    let out = passteam(&["call", "getlisttemplates", "--token", "CLI-SECRET-9", "--base-url", &base], &[]);
    assert_eq!(out.status.code(), Some(6));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("CLI-SECRET-9"));

    let out = passteam(&["call", "getcard", "{broken"], &env);
    assert_eq!(out.status.code(), Some(2));
    let out = passteam(&["call", "noSuchMethod"], &env);
    assert_eq!(out.status.code(), Some(1));
    let out = passteam(&["call", "getcard", "{}"], &env);
    assert_eq!(out.status.code(), Some(3));
    let out = passteam(&["frobnicate"], &[]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn methods_lists_the_table() {
    let out = passteam(&["methods", "--json"], &[]);
    assert!(out.status.success());
    let table = json_of(&out.stdout);
    assert_eq!(table.as_array().unwrap().len(), passteam::METHODS.len());
    let text = String::from_utf8(passteam(&["methods"], &[]).stdout).unwrap();
    for m in passteam::METHODS {
        assert!(text.contains(m.camel), "{}", m.camel);
    }
}

#[test]
fn demo_runs_the_whole_scenario_without_a_token() {
    let out = passteam(&["demo"], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    for expected in [
        "embedded sandbox",
        "created: true",
        "issuing again finds the same card: created false",
        "0 + 62 points -> balance on the card: \"62\"",
        "sent to +79161234567",
        "PASSTEAM_ERR_CONFLICT",
        "page 3 of 3: 10 cards (total 60)",
        "60 cards in all",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
}

#[test]
fn sandbox_prints_its_address_first_and_serves() {
    let mut child = Command::new(BIN)
        .args(["sandbox", "--token", "tkn", "--exit-on-eof"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(info["token"], "tkn");
    let base = info["base_url"].as_str().unwrap();
    assert_eq!(base, format!("http://127.0.0.1:{}", info["port"]));
    let out = passteam(&["call", "getlisttemplates", "--token", "tkn", "--base-url", base], &[]);
    assert!(out.status.success());
    drop(child.stdin.take()); // EOF: the sandbox stops by itself
    let status = child.wait().unwrap();
    assert!(status.success());
}

#[test]
fn outbox_queue_stats_list_flush_retry_discard() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let base = sb.base_url();
    let dir = std::env::temp_dir().join(format!("passteam-cli-outbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("outbox.sqlite");
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().unwrap();
    let env = [("PASSTEAM_TOKEN", sb.token()), ("PASSTEAM_BASE_URL", base.as_str())];
    let params = format!(r#"{{"templateId": "{TEMPLATE_LOYALTY}", "values": {{"PHONE": "+79167770001"}}}}"#);
    let card = json_of(&passteam(&["call", "createcard", &params], &env).stdout);
    let card_id = card["cardId"].as_str().unwrap();

    // Passteam unreachable: the update is queued, exit status 12, the queued object on stdout.
    let offline = format!(r#"{{"outbox_path": "{path}", "outbox_replay": "manual", "max_attempts": 1}}"#);
    let update = format!(r#"{{"cardId": "{card_id}", "values": {{"BONUS": 12}}}}"#);
    let out = passteam(
        &["call", "updatecard", &update, "--base-url", "http://127.0.0.1:1", "--config", &offline],
        &env,
    );
    assert_eq!(out.status.code(), Some(12), "{}", String::from_utf8_lossy(&out.stderr));
    let queued = json_of(&out.stdout);
    assert_eq!(queued["name"], "PASSTEAM_QUEUED");
    let id = queued["outbox_id"].as_i64().unwrap().to_string();
    let ghost = r#"{"cardId": "000000000000000000000000", "values": {"BONUS": 1}}"#;
    let out = passteam(
        &["call", "updatecard", ghost, "--base-url", "http://127.0.0.1:1", "--config", &offline],
        &env,
    );
    let ghost_id = json_of(&out.stdout)["outbox_id"].as_i64().unwrap().to_string();

    let stats = json_of(&passteam(&["outbox", "stats", "--outbox", path], &env).stdout);
    assert_eq!(stats["pending"], 2);
    let list = json_of(&passteam(&["outbox", "list", "--state", "pending", "--outbox", path], &env).stdout);
    assert_eq!(list[0]["id"].to_string(), id);
    let out = passteam(&["outbox", "flush", "--max-ms", "10000", "--outbox", path], &env);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout), serde_json::json!({"sent": 1, "failed": 1, "pending": 0, "dead": 1}));
    let got = json_of(&passteam(&["call", "getcard", &format!(r#"{{"cardId": "{card_id}"}}"#)], &env).stdout);
    assert_eq!(got["values"]["%BONUS%"], "12");
    assert!(passteam(&["outbox", "retry", &ghost_id, "--outbox", path], &env).status.success());
    assert!(passteam(&["outbox", "discard", &ghost_id, "--outbox", path], &env).status.success());
    assert_eq!(passteam(&["outbox", "discard", &ghost_id, "--outbox", path], &env).status.code(), Some(7));
    assert_eq!(passteam(&["outbox", "stats"], &env).status.code(), Some(1), "no outbox: invalid argument");
    assert_eq!(passteam(&["outbox", "frob", "--outbox", path], &env).status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}
