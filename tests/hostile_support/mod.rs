//! Small hostile HTTP servers on 127.0.0.1 (OS-picked ports) for the hostile_* tests: each answers
//! every request with the next canned reply of a script and records what it received.
#![allow(dead_code)]

use passteam::{Client, Config};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A scripted server; stops accepting when dropped (its thread ends with the test process).
pub struct Hostile {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Hostile {
    /// Answers the n-th request with `replies[n]` (the last one repeats), raw bytes as given.
    pub fn start(replies: Vec<Vec<u8>>) -> Hostile {
        Hostile::start_slow(replies, Duration::ZERO)
    }

    /// As [`Hostile::start`], each connection served on its own thread after `delay`.
    pub fn start_slow(replies: Vec<Vec<u8>>, delay: Duration) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        std::thread::spawn(move || {
            let mut n = 0usize;
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let reply = replies[n.min(replies.len() - 1)].clone();
                n += 1;
                let record = record.clone();
                let serve = move || {
                    if let Some(request) = read_request(&stream) {
                        record.lock().unwrap().push(request);
                    }
                    std::thread::sleep(delay);
                    let mut stream = stream;
                    let _ = stream.write_all(&reply);
                    let _ = stream.flush();
                };
                if delay.is_zero() {
                    serve();
                } else {
                    std::thread::spawn(serve);
                }
            }
        });
        Hostile { port, seen }
    }

    /// Every request answers `status` with a JSON body.
    pub fn json(status: u16, body: &str) -> Hostile {
        Hostile::start(vec![reply(status, &[("Content-Type", "application/json")], body.as_bytes())])
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// A whole HTTP/1.1 reply that closes the connection.
pub fn reply(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Passteam's success envelope around `result`.
pub fn ok_envelope(result: &Value) -> String {
    json!({"result": result, "message": "OK", "code": 200, "error": false}).to_string()
}

fn read_request(stream: &TcpStream) -> Option<Seen> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
    }
    let len = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok());
    let mut body = vec![0; len.unwrap_or(0)];
    reader.read_exact(&mut body).ok()?;
    Some(Seen { method, path, headers, body })
}

/// A client for `base_url`: short timeouts, 3 attempts, 10 ms backoff, no budget; `extra` adds keys
/// (a `null` removes one).
pub fn client_for(base_url: &str, extra: Value) -> Result<Client, passteam::Error> {
    let mut config = json!({
        "token": "hostile-test-token-5f0c1a2b3c4d",
        "base_url": base_url,
        "timeout_ms": 3000,
        "connect_timeout_ms": 1000,
        "read_timeout_ms": 1000,
        "max_attempts": 3,
        "retry_base_delay_ms": 10,
        "retry_max_delay_ms": 40,
        "quota_per_hour": 0,
        "quota_per_day": 0,
    });
    for (k, v) in extra.as_object().expect("extra config is an object") {
        if v.is_null() {
            config.as_object_mut().unwrap().remove(k);
        } else {
            config[k] = v.clone();
        }
    }
    Client::new(Config::from_json_str(&config.to_string())?)
}
