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

    // What the library refuses is an API error object: validation is 3.
    let out = passteam(&["call", "getcard", "{}"], &env);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json_of(&out.stderr)["name"], "PASSTEAM_ERR_VALIDATION");
}

#[test]
fn without_a_token_the_message_names_the_flag_and_the_variable() {
    let out = passteam(&["call", "getlisttemplates", "--base-url", "http://127.0.0.1:9"], &[]);
    assert_eq!(out.status.code(), Some(6));
    let err = json_of(&out.stderr);
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("--token") && message.contains("PASSTEAM_TOKEN"), "{message}");
    assert!(!message.contains("config"), "{message}");
}

#[test]
fn a_base_url_with_the_api_path_is_refused_with_the_url() {
    let out = passteam(
        &["call", "getlisttemplates", "--token", "t", "--base-url", "http://127.0.0.1:9/oapi/v1"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let message = json_of(&out.stderr)["message"].as_str().unwrap().to_owned();
    assert!(message.contains("http://127.0.0.1:9/oapi/v1"), "{message}");
    assert!(message.contains("\"http://127.0.0.1:9\""), "{message}");
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

/// Issue 10, item 1: a token in the environment must not turn the demo into a live run.
#[test]
fn demo_ignores_the_environment_s_account_without_live() {
    let account = Sandbox::start(SandboxConfig::default()).unwrap();
    let base = account.base_url();
    let env = [("PASSTEAM_TOKEN", account.token()), ("PASSTEAM_BASE_URL", base.as_str())];
    let out = passteam(&["demo"], &env);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("embedded sandbox"), "{stdout}");
    assert!(stdout.contains("add --live"), "{stdout}");
    assert!(account.requests().is_empty(), "the account was touched: {:?}", account.requests());
}

#[test]
fn demo_live_needs_a_phone_a_token_and_a_confirmation() {
    let account = Sandbox::start(SandboxConfig::default()).unwrap();
    let base = account.base_url();
    let env = [("PASSTEAM_TOKEN", account.token()), ("PASSTEAM_BASE_URL", base.as_str())];
    let out = passteam(&["demo", "--live"], &env);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--phone"));
    let out = passteam(&["demo", "--live", "--phone", "+79165550101", "--base-url", &base], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PASSTEAM_TOKEN"));
    // No terminal and no --yes: it says what it would do, then stops before writing anything.
    let out = passteam(&["demo", "--live", "--phone", "+79165550101"], &env);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert!(account.requests().iter().all(|r| r.method.starts_with("get")), "{:?}", account.requests());
}

#[test]
fn demo_live_says_where_uses_the_given_phone_and_cleans_up() {
    let account = Sandbox::start(SandboxConfig::default()).unwrap();
    let base = account.base_url();
    let env = [("PASSTEAM_TOKEN", account.token()), ("PASSTEAM_BASE_URL", base.as_str())];
    let phone = "+79165550101";
    let out = passteam(&["demo", "--live", "--phone", phone, "--yes"], &env);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains(&format!("LIVE run on your account at {base}, template {TEMPLATE_LOYALTY}")),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("send the card's link by SMS to {phone}")), "{stdout}");
    assert!(!stdout.contains("+79161234567"), "a stranger's phone: {stdout}");
    let requests = account.requests();
    let created: Vec<_> = requests.iter().filter(|r| r.method == "createcard").collect();
    assert_eq!(created.len(), 1, "{requests:?}");
    assert_eq!(created[0].fields["values[%PHONE%]"], phone);
    assert_eq!(requests.iter().filter(|r| r.method == "distribute").count(), 1);
    assert_eq!(requests.last().unwrap().method, "deletecard", "the card is left behind");
    let left = passteam(
        &["call", "getcardswithpagination", &format!(r#"{{"templateId": "{TEMPLATE_LOYALTY}"}}"#)],
        &env,
    );
    assert_eq!(json_of(&left.stdout)["cardsCount"], 0);

    let out = passteam(&["demo", "--live", "--phone", phone, "--yes", "--keep-card", "--no-sms"], &env);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let left = passteam(
        &["call", "getcardswithpagination", &format!(r#"{{"templateId": "{TEMPLATE_LOYALTY}"}}"#)],
        &env,
    );
    assert_eq!(json_of(&left.stdout)["cardsCount"], 1);
    assert_eq!(
        account.requests().iter().filter(|r| r.method == "distribute").count(),
        1,
        "--no-sms sent one"
    );
}

#[test]
fn sandbox_prints_its_address_first_and_serves() {
    let mut child = Command::new(BIN)
        .args(["sandbox", "--token", "tkn", "--exit-on-eof"])
        .env("PASSTEAM_TOKEN", "REAL-TOKEN-NEVER-PRINTED")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(info["token"], "tkn");
    // Without --token on its command line it accepts sandbox-token, never the environment's (real) token.
    let mut other = Command::new(BIN)
        .args(["sandbox", "--exit-on-eof"])
        .env("PASSTEAM_TOKEN", "REAL-TOKEN-NEVER-PRINTED")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut other_line = String::new();
    BufReader::new(other.stdout.take().unwrap()).read_line(&mut other_line).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&other_line).unwrap()["token"], "sandbox-token");
    drop(other.stdin.take());
    assert!(other.wait().unwrap().success());
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
    assert_eq!(passteam(&["outbox", "frob", "--outbox", path], &env).status.code(), Some(2), "a usage error");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn doctor_prints_an_aligned_table_or_json_and_exits_1_when_a_check_failed() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let base = sb.base_url();
    let env = [("PASSTEAM_TOKEN", sb.token()), ("PASSTEAM_BASE_URL", base.as_str())];
    let out = passteam(&["doctor"], &env);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(!table.contains('\x1b'), "no colours when stdout is not a terminal");
    for name in ["proxy", "dns", "tcp", "tls", "token", "clock", "quota", "library"] {
        assert!(table.lines().any(|l| l.starts_with(name) && l.contains(" ok ")), "{name}:\n{table}");
    }
    assert!(!table.contains(sb.token()));
    let doc = json_of(&passteam(&["doctor", "--json"], &env).stdout);
    assert_eq!(doc["ok"], true);

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{closed}");
    let out = passteam(&["doctor", "--base-url", &url], &[("PASSTEAM_TOKEN", "t0ken")]);
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.lines().any(|l| l.starts_with("tcp") && l.contains("failed")), "{table}");
}
