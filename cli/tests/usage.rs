//! Issue 10, items 2 and 3: help, usage errors and closed pipes, as a shell user meets them.

use passteam_sandbox::{Sandbox, SandboxConfig};
use std::io::Read;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_passteam");

fn passteam(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("PASSTEAM_TOKEN")
        .env_remove("PASSTEAM_BASE_URL")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_of_every_command_goes_to_stdout_with_exit_0() {
    for args in [
        &["--help"][..],
        &["help"],
        &["call", "--help"],
        &["batch", "--help"],
        &["demo", "--help"],
        &["sandbox", "--help"],
        &["methods", "--help"],
        &["completions", "--help"],
        &["help", "call"],
        &["call", "-h"],
    ] {
        let out = passteam(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        let help = text(&out.stdout);
        assert!(help.contains("Usage:"), "{args:?}: {help}");
        assert!(!help.contains("\\n") && !help.trim_start().starts_with('{'), "{args:?}: {help}");
        assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    }
    assert!(text(&passteam(&["demo", "--help"]).stdout).contains("--live"));
    let out = passteam(&["--version"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains(passteam::VERSION));
}

#[test]
fn usage_errors_are_plain_text_on_stderr_with_exit_2() {
    for args in [
        &["frobnicate"][..],
        &["methods", "--bogus"],
        &["call"],
        &["call", "getcard", "{}", "extra"],
        &["call", "getcard", "{broken"],
        &["call", "getcard", "[1, 2]"],
        &["call", "noSuchMethod"],
        &["call", "getcard", "--timeout-ms", "soon"],
        &["call", "getcard", "--config", "{not json"],
        &["sandbox", "--port", "70000"],
        &["completions", "tcsh"],
        &[],
    ] {
        let out = passteam(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(!err.trim_start().starts_with('{'), "{args:?} printed JSON: {err}");
        assert!(!err.contains("\\n"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
    }
    let err = text(&passteam(&["call", "noSuchMethod"]).stderr);
    assert!(err.contains("noSuchMethod") && err.contains("passteam methods"), "{err}");
}

#[test]
fn global_options_stand_before_or_after_the_command() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let base = sb.base_url();
    for args in [
        vec!["--token", sb.token(), "--base-url", &base, "call", "getListTemplates"],
        vec!["call", "--token", sb.token(), "getListTemplates", "--base-url", &base],
        vec!["call", "getListTemplates", "--token", sb.token(), "--base-url", &base, "--timeout-ms", "5000"],
    ] {
        let out = passteam(&args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let templates: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(templates.as_array().map(Vec::len), Some(2));
    }
}

/// `passteam call ... | head -1` must not panic on the closed pipe.
#[test]
fn a_closed_stdout_ends_quietly() {
    let sb = Sandbox::start(SandboxConfig::default()).unwrap();
    let base = sb.base_url();
    for args in [
        vec!["--token", sb.token(), "--base-url", &base, "call", "getListTemplates"],
        vec!["methods"],
        vec!["demo"],
        vec!["completions", "bash"],
    ] {
        let mut child = Command::new(BIN)
            .args(&args)
            .env_remove("PASSTEAM_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the program writes, as `head` does once it has its line: every
        // write then fails with EPIPE (Rust ignores SIGPIPE), deterministically.
        drop(child.stdout.take());
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        let status = child.wait().unwrap();
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(status.code(), Some(101), "{args:?}: {stderr}");
        assert!(status.success(), "{args:?}: {status:?} {stderr}");
    }
}

#[test]
fn completions_are_scripts_for_the_shells() {
    let out = passteam(&["completions", "bash"]);
    assert!(out.status.success());
    let script = text(&out.stdout);
    assert!(
        script.contains("_passteam") && script.contains("--live"),
        "{}",
        &script[..200.min(script.len())]
    );
    let out = passteam(&["completions", "zsh"]);
    assert!(text(&out.stdout).contains("#compdef passteam"));
}
