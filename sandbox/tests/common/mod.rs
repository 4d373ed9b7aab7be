//! A raw HTTP/1.1 client over TcpStream, so that tests see exactly what the sandbox sends (or doesn't).
#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use passteam_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    /// Checks the envelope and returns `result`.
    pub fn ok(&self) -> Value {
        let j = self.json();
        assert_eq!(self.status, 200, "{j}");
        assert_eq!(j["code"], 200, "{j}");
        assert_eq!(j["error"], false, "{j}");
        assert_eq!(j["message"], "OK", "{j}");
        j["result"].clone()
    }
    /// Checks an error envelope with `code` and returns its message.
    pub fn err(&self, code: u16) -> String {
        let j = self.json();
        assert_eq!(self.status, code, "{j}");
        assert_eq!(j["code"], code, "{j}");
        assert_eq!(j["error"], true, "{j}");
        assert!(j["result"].is_null(), "{j}");
        assert!(self.header("content-type").unwrap_or("").starts_with("application/json"));
        j["message"].as_str().unwrap().to_string()
    }
}

/// Reads one response from `s` (Content-Length framing).
pub fn read_response(s: &mut TcpStream) -> io::Result<Resp> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = s.read(&mut tmp)?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed before a response"));
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status: u16 = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .expect("content-length");
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = s.read(&mut tmp)?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "short body"));
        }
        body.extend_from_slice(&tmp[..n]);
    }
    body.truncate(len);
    if status == 100 {
        return read_response(s);
    }
    Ok(Resp { status, headers, body })
}

pub fn connect(sb: &Sandbox) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", sb.port())).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// One request on a fresh connection.
pub fn raw(sb: &Sandbox, verb: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> io::Result<Resp> {
    let mut s = connect(sb);
    let mut req = format!("{verb} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    s.write_all(&bytes)?;
    read_response(&mut s)
}

#[derive(Clone, Copy, Debug)]
pub enum Enc {
    Multipart,
    Urlencoded,
}

pub fn urlencoded(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    ser.finish().into_bytes()
}

pub const BOUNDARY: &str = "----passteamTestBoundary7MA4YWxkTrZu0gW";

pub fn multipart(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = String::new();
    for (k, v) in pairs {
        out.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    out.push_str(&format!("--{BOUNDARY}--\r\n"));
    out.into_bytes()
}

/// `verb path` with a form body in `enc`, authorized with the sandbox token.
pub fn call_with(sb: &Sandbox, enc: Enc, verb: &str, path: &str, pairs: &[(&str, &str)]) -> Resp {
    let (ct, body) = match enc {
        Enc::Multipart => (format!("multipart/form-data; boundary={BOUNDARY}"), multipart(pairs)),
        Enc::Urlencoded => ("application/x-www-form-urlencoded".to_string(), urlencoded(pairs)),
    };
    raw(sb, verb, path, &[("Authorization", sb.token()), ("Content-Type", &ct)], &body).unwrap()
}

/// `POST /oapi/v1/{method}` in `enc`.
pub fn api_enc(sb: &Sandbox, enc: Enc, method: &str, pairs: &[(&str, &str)]) -> Resp {
    call_with(sb, enc, "POST", &format!("/oapi/v1/{method}"), pairs)
}

/// `POST /oapi/v1/{method}`, multipart.
pub fn api(sb: &Sandbox, method: &str, pairs: &[(&str, &str)]) -> Resp {
    api_enc(sb, Enc::Multipart, method, pairs)
}

pub fn control(sb: &Sandbox, verb: &str, path: &str, json: Option<Value>) -> Resp {
    let body = json.map(|j| j.to_string()).unwrap_or_default();
    raw(sb, verb, path, &[("Content-Type", "application/json")], body.as_bytes()).unwrap()
}

pub fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).unwrap()
}

pub fn phone(i: usize) -> String {
    format!("+7912{:07}", i)
}

/// Creates a loyalty card with a phone and returns it.
pub fn create_loyalty(sb: &Sandbox, phone: &str, extra: &[(&str, &str)]) -> Value {
    let mut pairs = vec![("templateId", passteam_sandbox::TEMPLATE_LOYALTY), ("values[%PHONE%]", phone)];
    pairs.extend_from_slice(extra);
    api(sb, "createcard", &pairs).ok()
}
