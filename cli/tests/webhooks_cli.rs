//! `passteam webhooks`: parse a payload, and serve (one JSON line per event, acknowledged once printed).

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_passteam");
const SECRET: &str = "/passteam/hooks-5e4515b1cea6c61f";

fn body(id: &str, event: &str) -> String {
    format!(
        r#"{{"webhookId": "{id}", "event": "{event}", "card": {{"cardId": "5e451571cea6c6141807b792"}}}}"#
    )
}

fn post(addr: SocketAddr, body: &str) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "POST {SECRET} HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    reply.split(' ').nth(1).unwrap().parse().unwrap()
}

#[test]
fn parse_prints_the_normalised_event_or_fails_with_protocol() {
    let out = Command::new(BIN).args(["webhooks", "parse", &body("w1", "INSTALLCARD")]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let event: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((event["webhookId"].as_str(), event["event"].as_str()), (Some("w1"), Some("installCard")));

    let mut child = Command::new(BIN)
        .args(["webhooks", "parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"webhookId": "w", "event": "nope", "card": {"cardId": "c"}}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(11), "PASSTEAM_ERR_PROTOCOL");
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("\\\"nope\\\" is not one of"));
}

#[test]
fn serve_prints_one_line_per_event_and_acknowledges_it() {
    let store = std::env::temp_dir().join(format!("passteam-cli-webhooks-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&store);
    let serve = |max: &str| {
        Command::new(BIN)
            .args([
                "webhooks",
                "serve",
                "--path",
                SECRET,
                "--store",
                store.to_str().unwrap(),
                "--max-events",
                max,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut child = serve("2");
    let mut info = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_line(&mut info).unwrap();
    let info: Value = serde_json::from_str(&info).unwrap();
    let addr: SocketAddr = info["listen"].as_str().unwrap().parse().unwrap();
    for (id, event) in [("a", "installCard"), ("a", "installCard"), ("b", "unInstallCard")] {
        assert_eq!(post(addr, &body(id, event)), 200);
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = lines.iter().map(|l| l["webhookId"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b"], "the repeat of a printed once");

    // Both were acknowledged: a new run on the same store has nothing to print and knows them as repeats.
    let mut child = serve("1");
    let mut info = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_line(&mut info).unwrap();
    let addr: SocketAddr =
        serde_json::from_str::<Value>(&info).unwrap()["listen"].as_str().unwrap().parse().unwrap();
    assert_eq!(post(addr, &body("b", "unInstallCard")), 200);
    assert_eq!(post(addr, &body("c", "deleteCard")), 200);
    let out = child.wait_with_output().unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(printed.lines().count(), 1);
    assert!(printed.contains(r#""webhookId":"c""#), "{printed}");
    let _ = std::fs::remove_file(&store);
}
