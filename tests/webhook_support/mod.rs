//! Helpers for the webhook tests: a raw HTTP/1.1 client (so tests control every byte, including broken
//! ones), sample payloads, and temporary store files.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

/// The secret path every test receiver uses.
pub const SECRET: &str = "/passteam/hooks-5e4515b1cea6c61f";

/// A reply: status code and body parsed as JSON (Null when the body is not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Value,
}

/// Sends raw bytes and reads the whole reply (the receiver closes after each).
pub fn exchange(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect to the receiver");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(raw).expect("send");
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    parse_reply(&reply)
}

pub fn parse_reply(reply: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(reply).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    Reply { status, head: head.to_owned(), body: serde_json::from_str(body).unwrap_or(Value::Null) }
}

/// POSTs a body to a path with Content-Length.
pub fn post(addr: SocketAddr, path: &str, body: &str) -> Reply {
    let raw = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    exchange(addr, raw.as_bytes())
}

/// A webhook as Passteam posts it (the vendor's sample, with our ids).
pub fn webhook(webhook_id: &str, event: &str, card_id: &str) -> String {
    json!({
        "card": {"cardId": card_id, "cardCode": "000000018", "values": {"%POINTS%": "1000"},
                 "installed": event == "installCard", "templateId": "5e424c181dbf0d537c8b4569"},
        "event": event,
        "webhookId": webhook_id,
    })
    .to_string()
}

/// A fresh store path in the temp directory, unique to this test and process.
pub fn store_path(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("passteam-webhooks-{name}-{}.sqlite", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}
