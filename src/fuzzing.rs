//! Entry points for the coverage-guided fuzz targets in `fuzz/` (not part of the supported API).
//!
//! The targets reach the core's parsers through these thin wrappers rather than through the modules
//! themselves, so the modules can shrink to `pub(crate)` without breaking the fuzzing. Each wrapper runs
//! one parser on untrusted input and returns what a target needs to check its invariants; none of them
//! may panic, whatever the input.

use serde_json::{Map, Value};

/// The envelope parser on one reply, keeping `result` as text (what the C ABI hands on): `Ok(result as
/// JSON text)` or the error object.
pub fn envelope_raw(http_status: u16, body: &[u8]) -> Result<String, Value> {
    crate::response::interpret_raw(http_status, body).map(|raw| raw.get().to_owned()).map_err(|e| e.to_json())
}

/// The envelope parser on one reply, `result` parsed (what the Rust API returns): `Ok(result)` or the
/// error object.
pub fn envelope_tree(http_status: u16, body: &[u8]) -> Result<Value, Value> {
    crate::response::interpret(http_status, body).map_err(|e| e.to_json())
}

/// The known-message parsers on any text.
pub fn message_parsers(message: &str) {
    let _ = crate::response::parse_quota_message(message);
    let _ = crate::response::parse_duplicated_cards(message);
}

/// The form encoder: `params` checked and normalised for every operation of the method table, then
/// flattened into form fields. Returns, per operation that accepted the params, its fields.
pub fn form(params: &Map<String, Value>) -> Vec<(&'static str, Vec<(String, String)>)> {
    let mut out = Vec::new();
    for method in crate::methods::METHODS {
        if let Ok(prepared) = crate::request::prepare(method, params) {
            out.push((method.name, crate::request::form_fields(&prepared)));
        }
    }
    out
}

/// The config parser on JSON text: `Ok(())` when it is a valid config (then it also validates again and
/// resolves every operation's endpoint), else the error object.
pub fn config(text: &str) -> Result<(), Value> {
    let config = crate::Config::from_json_str(text).map_err(|e| e.to_json())?;
    config.validate().map_err(|e| e.to_json())?;
    for method in crate::methods::METHODS {
        let _ = config.endpoint_for(method);
    }
    Ok(())
}

/// The plain-HTTP reply reader (`src/http1`) on `reply`, the whole of what a server sends before it closes
/// the connection, with `limit` as max_response_bytes: `Ok((status, body))` or the failure's message.
/// The server is one thread on 127.0.0.1, started on first use; a new client per input keeps each exchange
/// on a connection of its own.
pub fn http1_reply(reply: &[u8], limit: u64) -> Result<(u16, Vec<u8>), String> {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::mpsc::{channel, Sender};
    use std::sync::Mutex;
    use std::time::Duration;
    static SERVER: once_cell::sync::Lazy<(u16, Mutex<Sender<Vec<u8>>>)> = once_cell::sync::Lazy::new(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let (tx, rx) = channel::<Vec<u8>>();
        std::thread::spawn(move || {
            for reply in rx {
                let Ok((mut stream, _)) = listener.accept() else { continue };
                // The request's head (the client sends no body for this GET).
                let mut seen = Vec::new();
                let mut byte = [0u8; 1];
                while !seen.ends_with(b"\r\n\r\n") && matches!(stream.read(&mut byte), Ok(1)) {
                    seen.push(byte[0]);
                }
                let _ = stream.write_all(&reply);
            }
        });
        (port, Mutex::new(tx))
    });
    let (port, tx) = &*SERVER;
    tx.lock().unwrap_or_else(|p| p.into_inner()).send(reply.to_vec()).expect("the server thread runs");
    let client = crate::http1::Http1::new(crate::resolver::CachingResolver::default(), "fuzz");
    let url = format!("http://127.0.0.1:{port}/oapi/v1/getcard");
    let target = crate::http1::target_of(&url).expect("a plain URL");
    let request = crate::http1::Request { verb: "GET", token: None, content_type: None, body: None };
    let limits = crate::http1::Limits {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(2),
        time_left: Duration::from_secs(5),
        max_response_bytes: limit,
    };
    client
        .send(&ureq::Agent::config_builder().build(), &target, &request, limits)
        .map(|answer| (answer.status, answer.body))
        .map_err(|fault| format!("{fault:?}"))
}
