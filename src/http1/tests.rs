//! The plain-HTTP path against small servers on 127.0.0.1 that frame their replies in every way RFC 9112
//! allows, and in some ways it does not.

use super::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

/// One scripted reply: its bytes, written in pieces of `piece` bytes, then the connection kept or closed.
#[derive(Clone)]
struct Scripted {
    bytes: Vec<u8>,
    piece: usize,
    close_after: bool,
    delay: Duration,
}

fn reply(bytes: &str) -> Scripted {
    Scripted {
        bytes: bytes.as_bytes().to_vec(),
        piece: usize::MAX,
        close_after: false,
        delay: Duration::ZERO,
    }
}

/// A server answering each request it reads with the next scripted reply; counts its connections.
struct Server {
    port: u16,
    connections: Arc<AtomicUsize>,
    /// Connections the server has closed (after a `close_after` reply, or when the client went).
    closed: Arc<AtomicUsize>,
}

impl Server {
    /// Waits until the server has closed `n` connections (a loopback FIN arrives as the socket closes).
    fn wait_closed(&self, n: usize) {
        let until = Instant::now() + Duration::from_secs(10);
        while self.closed.load(Ordering::SeqCst) < n {
            assert!(Instant::now() < until, "the server never closed");
            thread::sleep(Duration::from_millis(5));
        }
    }
}

fn serve(script: Vec<Scripted>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    let closed = Arc::new(AtomicUsize::new(0));
    let closing = closed.clone();
    let script = Arc::new(Mutex::new(script.into_iter()));
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counted.fetch_add(1, Ordering::SeqCst);
            let script = script.clone();
            let closing = closing.clone();
            thread::spawn(move || {
                answer(&mut stream, &script);
                drop(stream);
                closing.fetch_add(1, Ordering::SeqCst);
            });
        }
    });
    Server { port, connections, closed }
}

/// Answers requests on one connection until the script says close (or ends, or the client goes).
fn answer(stream: &mut TcpStream, script: &Mutex<std::vec::IntoIter<Scripted>>) {
    loop {
        if !read_request(stream) {
            return;
        }
        let Some(next) = script.lock().expect("script").next() else { return };
        thread::sleep(next.delay);
        for piece in next.bytes.chunks(next.piece.max(1)) {
            if stream.write_all(piece).is_err() {
                return;
            }
            if next.piece != usize::MAX {
                thread::sleep(Duration::from_millis(1));
            }
        }
        if next.close_after {
            return;
        }
    }
}

/// Reads one request (head and Content-Length body); false when the client closed.
fn read_request(stream: &mut TcpStream) -> bool {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            _ => return false,
        }
    }
    let head = String::from_utf8_lossy(&seen).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).is_ok()
}

fn limits(read_ms: u64, left_ms: u64, max: u64) -> Limits {
    Limits {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_millis(read_ms),
        time_left: Duration::from_millis(left_ms),
        max_response_bytes: max,
    }
}

fn call(client: &Http1, server: &Server, limits: Limits) -> Result<Answer, Fault> {
    let url = format!("http://127.0.0.1:{}/oapi/v1/getcard", server.port);
    let target = target_of(&url).expect("plain URL");
    let request =
        Request { verb: "POST", token: Some("t"), content_type: Some("x/y"), body: Some(b"cardId=1") };
    client.send(&ureq::Agent::config_builder().build(), &target, &request, limits)
}

fn client() -> Http1 {
    Http1::new(CachingResolver::default(), "test")
}

fn ok(limits: Limits) -> impl Fn(&Http1, &Server) -> String {
    move |c, s| match call(c, s, limits) {
        Ok(a) => format!("{} {}", a.status, String::from_utf8_lossy(&a.body)),
        Err(e) => panic!("{e:?}"),
    }
}

const KEEP: &str = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

#[test]
fn a_kept_alive_connection_carries_every_call() {
    let server = serve(vec![reply(KEEP); 3]);
    let c = client();
    for _ in 0..3 {
        assert_eq!(ok(limits(2000, 5000, 100))(&c, &server), "200 hello");
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn chunked_replies_are_decoded_with_extensions_and_trailers_even_byte_by_byte() {
    let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n\
                   3;ext=1\r\nhel\r\n2\r\nlo\r\n0\r\nX-Trailer: t\r\n\r\n";
    let mut slow = reply(chunked);
    slow.piece = 1;
    let server = serve(vec![reply(chunked), slow, reply(KEEP)]);
    let c = client();
    for _ in 0..3 {
        assert_eq!(ok(limits(2000, 5000, 100))(&c, &server), "200 hello");
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 1, "chunked replies keep the connection");
}

#[test]
fn interim_replies_are_skipped() {
    let server = serve(vec![reply("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")]);
    assert_eq!(ok(limits(2000, 5000, 100))(&client(), &server), "201 ok");
}

#[test]
fn connection_close_and_http_1_0_are_never_reused() {
    let mut closing = reply("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na");
    closing.close_after = true;
    let mut old = reply("HTTP/1.0 200 OK\r\n\r\nuntil close");
    old.close_after = true;
    let old_kept = reply("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nb");
    let server = serve(vec![closing, old, old_kept, reply(KEEP)]);
    let c = client();
    let got: Vec<String> = (0..4).map(|_| ok(limits(2000, 5000, 100))(&c, &server)).collect();
    assert_eq!(got, ["200 a", "200 until close", "200 b", "200 hello"]);
    assert_eq!(server.connections.load(Ordering::SeqCst), 3, "close, 1.0, then 1.0 keep-alive reused once");
}

#[test]
fn a_connection_the_server_closed_while_idle_is_replaced_not_used() {
    let mut once = reply(KEEP);
    once.close_after = true; // the server closes after its reply, without saying so
    let server = serve(vec![once, reply(KEEP)]);
    let c = client();
    assert_eq!(ok(limits(2000, 5000, 100))(&c, &server), "200 hello");
    server.wait_closed(1);
    assert_eq!(ok(limits(2000, 5000, 100))(&c, &server), "200 hello");
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
}

#[test]
fn bodies_over_the_limit_are_refused_however_they_are_framed() {
    let mut until_close = reply("HTTP/1.1 200 OK\r\n\r\n0123456789");
    until_close.close_after = true;
    for script in [
        reply("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"),
        reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n"),
        until_close,
    ] {
        let server = serve(vec![script]);
        match call(&client(), &server, limits(2000, 5000, 9)) {
            Err(Fault::TooLarge { status: 200 }) => {}
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn malformed_framing_is_a_broken_reply_never_a_success() {
    for (script, says) in [
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", "two different"),
        ("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n", "not a number"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "not a number"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "not hexadecimal"),
        (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n",
            "longer than its size",
        ),
        ("HTTP/1.1 101 Switching Protocols\r\n\r\n", "switched protocols"),
        ("NOT HTTP AT ALL\r\n\r\n", "not HTTP/1.1"),
        ("HTTP/1.1 050 Odd\r\nContent-Length: 2\r\n\r\nok", "not an HTTP status"),
    ] {
        let server = serve(vec![reply(script)]);
        match call(&client(), &server, limits(2000, 5000, 100)) {
            Err(Fault::Broke(why)) => assert!(why.contains(says), "{script:?}: {why}"),
            other => panic!("{script:?}: {other:?}"),
        }
    }
}

#[test]
fn a_reply_cut_short_is_an_io_failure_with_its_status() {
    let mut cut = reply("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nonly this");
    cut.close_after = true;
    let server = serve(vec![cut]);
    match call(&client(), &server, limits(2000, 5000, 100)) {
        Err(Fault::InBody { status: 200, error: ureq::Error::Io(e) }) => {
            assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof)
        }
        other => panic!("{other:?}"),
    }
    let mut silent = reply("");
    silent.close_after = true;
    let server = serve(vec![silent]);
    match call(&client(), &server, limits(2000, 5000, 100)) {
        Err(Fault::Ureq(ureq::Error::Io(e))) => assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_slow_head_times_out_by_the_read_timeout_or_the_deadline_whichever_is_first() {
    let mut slow = reply(KEEP);
    slow.delay = Duration::from_millis(1500);
    let server = serve(vec![slow.clone(), slow]);
    let started = Instant::now();
    match call(&client(), &server, limits(200, 5000, 100)) {
        Err(Fault::Ureq(ureq::Error::Timeout(Timeout::RecvResponse))) => {}
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(1000), "{:?}", started.elapsed());
    let started = Instant::now();
    match call(&client(), &server, limits(5000, 300, 100)) {
        Err(Fault::Ureq(ureq::Error::Timeout(Timeout::Global))) => {}
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(1100), "{:?}", started.elapsed());
}

#[test]
fn a_head_without_end_or_with_too_many_headers_is_refused() {
    let huge = format!("HTTP/1.1 200 OK\r\nX: {}\r\n", "a".repeat(70 * 1024));
    let many = format!("HTTP/1.1 200 OK\r\n{}Content-Length: 0\r\n\r\n", "X: y\r\n".repeat(100));
    let server = serve(vec![reply(&huge)]);
    assert!(matches!(
        call(&client(), &server, limits(2000, 5000, 100)),
        Err(Fault::Ureq(ureq::Error::LargeResponseHeader(..)))
    ));
    let server = serve(vec![reply(&many)]);
    assert!(
        matches!(call(&client(), &server, limits(2000, 5000, 100)), Err(Fault::Broke(why)) if why.contains("headers"))
    );
}

#[test]
fn bytes_beyond_the_reply_keep_its_connection_out_of_the_pool() {
    let server = serve(vec![reply(&format!("{KEEP}HTTP/1.1 200 OK\r\n")), reply(KEEP)]);
    let c = client();
    assert_eq!(ok(limits(2000, 5000, 100))(&c, &server), "200 hello");
    assert_eq!(ok(limits(2000, 5000, 100))(&c, &server), "200 hello");
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
}

#[test]
fn a_redirect_keeps_its_location_for_the_message() {
    let server =
        serve(vec![reply("HTTP/1.1 302 Found\r\nLocation: http://elsewhere/x\r\nContent-Length: 0\r\n\r\n")]);
    let answer = call(&client(), &server, limits(2000, 5000, 100)).expect("a reply");
    assert_eq!((answer.status, answer.location.as_deref()), (302, Some("http://elsewhere/x")));
}
