//! The request as bytes: one buffer, headers and body together, so it leaves in one `write`.

use super::Request;

/// Where a plain-HTTP request goes, split from its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Target<'a> {
    /// `host[:port]` as written in the URL: the Host header, and the key of the connection pool.
    pub authority: &'a str,
    /// `http://host[:port]`, for the resolver.
    pub origin: &'a str,
    /// The path and query sent in the request line (`/` when the URL has none).
    pub path: &'a str,
}

/// The target of a URL this module serves: `http://`, visible ASCII only, no user info and no fragment.
/// Anything else (`https://`, a malformed URL) goes to ureq, which speaks TLS and words URL errors.
pub(crate) fn target_of(url: &str) -> Option<Target<'_>> {
    const SCHEME: &str = "http://";
    if url.len() < SCHEME.len() || !url[..SCHEME.len()].eq_ignore_ascii_case(SCHEME) {
        return None;
    }
    if !url.bytes().all(|b| b.is_ascii_graphic()) || url.contains('#') {
        return None;
    }
    let rest = &url[SCHEME.len()..];
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let path = &rest[end..];
    // A bare query (`http://host?x=1`) is requested as `/?x=1`; that case is left to ureq.
    if path.starts_with('?') {
        return None;
    }
    Some(Target {
        authority,
        origin: &url[..SCHEME.len() + end],
        path: if path.is_empty() { "/" } else { path },
    })
}

/// The whole request: request line, headers, blank line, body.
pub(crate) fn request_bytes(target: &Target<'_>, request: &Request<'_>, user_agent: &str) -> Vec<u8> {
    let body = request.body.unwrap_or_default();
    let mut out = Vec::with_capacity(256 + body.len());
    for part in [request.verb, " ", target.path, " HTTP/1.1\r\nHost: ", target.authority] {
        out.extend_from_slice(part.as_bytes());
    }
    header(&mut out, "User-Agent", user_agent);
    if let Some(token) = request.token {
        header(&mut out, "Authorization", token);
    }
    header(&mut out, "Accept", "application/json");
    if let Some(content_type) = request.content_type {
        header(&mut out, "Content-Type", content_type);
    }
    if request.body.is_some() {
        let mut digits = itoa_buffer();
        header(&mut out, "Content-Length", itoa(body.len(), &mut digits));
    }
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(body);
    out
}

/// Ends the previous line and writes `name: value` (the values were checked when the client was built:
/// no CR or LF can reach here from the config; the token is visible ASCII).
fn header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
}

fn itoa_buffer() -> [u8; 20] {
    [0; 20]
}

/// A length in decimal without `fmt`.
fn itoa(mut n: usize, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).expect("ASCII digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_split_and_everything_unusual_is_left_to_ureq() {
        let t = target_of("http://127.0.0.1:8080/oapi/v1/getcard").expect("plain");
        assert_eq!(
            (t.authority, t.origin, t.path),
            ("127.0.0.1:8080", "http://127.0.0.1:8080", "/oapi/v1/getcard")
        );
        let t = target_of("HTTP://[::1]:81/a?b=c&d").expect("plain, IPv6");
        assert_eq!((t.authority, t.path), ("[::1]:81", "/a?b=c&d"));
        assert_eq!(target_of("http://host").map(|t| t.path), Some("/"));
        for other in [
            "https://host/a",
            "http://user:pw@host/a",
            "http://host/a#frag",
            "http://host/a b",
            "http://host/\u{436}",
            "http:///a",
            "http://host?x=1",
            "ftp://host/",
            "http:/",
        ] {
            assert_eq!(target_of(other), None, "{other}");
        }
    }

    #[test]
    fn the_request_is_one_buffer_with_a_content_length_only_when_there_is_a_body() {
        let t = target_of("http://h:1/p?q=1").expect("plain");
        let post =
            Request { verb: "POST", token: Some("tok"), content_type: Some("x/y"), body: Some(b"a=1") };
        assert_eq!(
            String::from_utf8(request_bytes(&t, &post, "ua/1")).expect("text"),
            "POST /p?q=1 HTTP/1.1\r\nHost: h:1\r\nUser-Agent: ua/1\r\nAuthorization: tok\r\nAccept: application/json\r\n\
             Content-Type: x/y\r\nContent-Length: 3\r\n\r\na=1"
        );
        let get = Request { verb: "GET", token: None, content_type: None, body: None };
        assert_eq!(
            String::from_utf8(request_bytes(&t, &get, "ua")).expect("text"),
            "GET /p?q=1 HTTP/1.1\r\nHost: h:1\r\nUser-Agent: ua\r\nAccept: application/json\r\n\r\n"
        );
        let empty = Request { verb: "PUT", token: None, content_type: None, body: Some(b"") };
        assert!(String::from_utf8(request_bytes(&t, &empty, "ua"))
            .expect("text")
            .ends_with("Content-Length: 0\r\n\r\n"));
    }

    #[test]
    fn lengths_are_written_in_decimal() {
        let mut buf = itoa_buffer();
        for n in [0usize, 7, 10, 1201, 16 * 1024 * 1024, usize::MAX] {
            assert_eq!(itoa(n, &mut buf), n.to_string());
        }
    }
}
