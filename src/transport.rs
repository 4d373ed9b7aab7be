//! One HTTP exchange over the client's shared ureq `Agent` (keep-alive pool, rustls, timeouts).
//!
//! This layer sends and reads bytes; it does not decide about retries. It does say, for every failure,
//! whether the request may have reached the server ([`Delivery`]), because that decides whether a
//! non-idempotent call may be resent.

use crate::config::{BodyEncoding, Config, ResolvedEndpoint, TlsRoots};
use crate::error::{Error, Result, Status};
use crate::http1::{Fault, Http1};
use crate::methods::Verb;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::time::Duration;
use ureq::http::{self, HeaderValue};
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::Agent;

/// Whether a failed request may have been seen by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Failed before a byte of the request left (DNS, connect, TLS handshake): safe to send again.
    NotSent,
    /// The request may have arrived and been applied; only the reply is missing or unusable.
    MaybeSent,
}

/// A failed exchange.
#[derive(Debug)]
pub struct Failure {
    pub error: Error,
    pub delivery: Delivery,
}

/// What came back: the HTTP status and the whole body (bounded by `max_response_bytes`).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Checks every header value that comes from the config, so that no call can fail (or panic, inside
/// ureq) on one later: the user agent and the token must be text an HTTP header can carry.
pub fn check_header_values(config: &Config) -> Result<()> {
    if !header_safe(&config.user_agent) {
        return Err(Error::invalid_argument(
            "config: user_agent holds a control character or non-ASCII text, which an HTTP header cannot carry",
        ));
    }
    if let Some(token) = config.token.as_deref() {
        // Visible ASCII only: a token pasted with Cyrillic look-alikes, a space or a line break is refused
        // here, by name, instead of failing every call.
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid_argument(
                "config: token holds characters an HTTP header cannot carry (non-ASCII letters such as \
                 Cyrillic, spaces or control characters); copy the token again from the Passteam account",
            ));
        }
    }
    Ok(())
}

/// Printable ASCII and spaces/tabs: what `HeaderValue` accepts without surprises.
fn header_safe(value: &str) -> bool {
    value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

/// Builds the agent every call of a client shares, and the plain-HTTP path (`http1`) when no proxy is
/// configured (a proxy, even for `http://`, is ureq's to speak to).
pub fn build_agent(config: &Config) -> Result<(Agent, Option<Http1>)> {
    let mut tls = TlsConfig::builder();
    let mut roots: Vec<Certificate<'static>> = Vec::new();
    if let Some(path) = &config.ca_bundle {
        let pem = std::fs::read(path).map_err(|e| {
            Error::invalid_argument(format!("config: ca_bundle {}: cannot read it: {e}", path.display()))
        })?;
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(cert)) => roots.push(cert),
                Ok(_) => {}
                Err(e) => {
                    return Err(Error::invalid_argument(format!(
                        "config: ca_bundle {}: not a PEM certificate file: {e}",
                        path.display()
                    )))
                }
            }
        }
        if roots.is_empty() {
            return Err(Error::invalid_argument(format!(
                "config: ca_bundle {}: holds no certificate",
                path.display()
            )));
        }
    }
    tls = match (&config.tls_roots, roots.is_empty()) {
        (TlsRoots::System, true) => tls.root_certs(RootCerts::PlatformVerifier),
        // Mozilla's roots, and a custom bundle on top of them (the platform verifier cannot take extra roots;
        // an administrator who wants the system store installs the CA there instead). webpki-root-certs is
        // the one copy of them in the library: the doctor's TLS check reads it too.
        (TlsRoots::Bundled, true) | (_, false) => {
            roots.extend(
                webpki_root_certs::TLS_SERVER_ROOT_CERTS
                    .iter()
                    .map(|der| Certificate::from_der(der.as_ref())),
            );
            tls.root_certs(RootCerts::new_with_certs(&roots))
        }
    };
    // ring, named here rather than by ureq's "rustls" feature (which would link a second copy of the roots).
    tls =
        tls.unversioned_rustls_crypto_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()));
    let proxy = match &config.proxy {
        Some(p) => Some(
            ureq::Proxy::new(p)
                .map_err(|_| Error::invalid_argument("config: proxy is not a valid proxy URL"))?,
        ),
        None => None,
    };
    let agent_config = Agent::config_builder()
        .http_status_as_error(false)
        // Passteam's API never redirects; a followed 302/303 turns a POST into a GET elsewhere whose reply
        // would pass for the operation's. A 3xx comes back as is and becomes an error (see exchange).
        .max_redirects(0)
        .tls_config(tls.build())
        .proxy(proxy)
        .user_agent(config.user_agent.as_str())
        .timeout_connect(Some(config.connect_timeout))
        .timeout_recv_response(Some(config.read_timeout))
        .timeout_recv_body(Some(config.read_timeout))
        .timeout_global(Some(config.timeout))
        // The plain-HTTP path's pool policy, so that both paths keep connections alike.
        .max_idle_connections_per_host(crate::http1::MAX_IDLE_PER_HOST)
        .max_idle_age(crate::http1::MAX_IDLE_AGE)
        .build();
    let resolver = crate::resolver::CachingResolver::default();
    let plain = config.proxy.is_none().then(|| Http1::new(resolver.clone(), &config.user_agent));
    // SOCKS proxies need ureq's default chain; everything else runs on the lean TCP transport (one write
    // per request, one poll per liveness probe: see connector.rs), with TLS and CONNECT proxies on top.
    let socks = config.proxy.as_deref().is_some_and(|p| p.to_ascii_lowercase().starts_with("socks"));
    let agent = if socks {
        Agent::with_parts(agent_config, ureq::unversioned::transport::DefaultConnector::default(), resolver)
    } else {
        use ureq::unversioned::transport::{ConnectProxyConnector, Connector, RustlsConnector};
        let chain =
            ().chain(ConnectProxyConnector::default())
                .chain(crate::connector::LeanTcpConnector)
                .chain(RustlsConnector::default());
        Agent::with_parts(agent_config, chain, resolver)
    };
    Ok((agent, plain))
}

/// One request, ready to send: where, with what, and within which limits. Built once per call and sent
/// once per attempt. (No `Debug`: it holds the token.)
pub struct Outgoing<'a> {
    pub endpoint: &'a ResolvedEndpoint,
    /// `None` for operations sent without `Authorization` (getatoken).
    pub token: Option<&'a str>,
    /// The checked parameters (for a JSON body) and their form fields (for every other encoding).
    pub params: &'a Map<String, Value>,
    pub fields: &'a [(String, String)],
    pub max_response_bytes: u64,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// The call's whole budget, for messages.
    pub call_timeout: Duration,
}

/// Sends one request and reads the whole reply, within `time_left`: plain HTTP without a proxy on the
/// client's own connections (`http1`), everything else through ureq.
pub fn exchange(
    agent: &Agent,
    plain: Option<&Http1>,
    outgoing: &Outgoing<'_>,
    time_left: Duration,
) -> std::result::Result<Reply, Failure> {
    let Outgoing { endpoint, token, params, fields, max_response_bytes, connect_timeout, .. } = *outgoing;
    let host = host_of(&endpoint.url);
    let cx = Context {
        host: &host,
        connect_timeout,
        read_timeout: outgoing.read_timeout,
        time_left,
        call_timeout: outgoing.call_timeout,
    };
    let encoding = match (endpoint.encoding, endpoint.verb) {
        // GET and DELETE carry no body: their parameters go in the query whatever the config says.
        (_, Verb::Get | Verb::Delete) => BodyEncoding::Query,
        (e, _) => e,
    };
    const URLENCODED: &str = "application/x-www-form-urlencoded";
    let mut url = Cow::Borrowed(endpoint.url.as_str());
    let (content_type, body): (Option<Cow<'static, str>>, Option<Vec<u8>>) = match encoding {
        BodyEncoding::Query => {
            if !fields.is_empty() {
                let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
                let url = url.to_mut();
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&query);
            }
            (None, None)
        }
        BodyEncoding::Urlencoded => {
            let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
            (Some(URLENCODED.into()), Some(body.into_bytes()))
        }
        BodyEncoding::Json => {
            (Some("application/json".into()), Some(serde_json::to_vec(params).unwrap_or_default()))
        }
        // A multipart body with no parts is malformed for many servers: send an empty form instead.
        BodyEncoding::Multipart if fields.is_empty() => (Some(URLENCODED.into()), Some(Vec::new())),
        BodyEncoding::Multipart => {
            // One buffer, one write; the boundary costs no system call (see multipart.rs).
            let (body, content_type) = crate::multipart::render(fields);
            (Some(content_type.into()), Some(body))
        }
    };
    if let (Some(plain), Some(target)) = (plain, crate::http1::target_of(&url)) {
        let request = crate::http1::Request {
            verb: endpoint.verb.as_str(),
            token,
            content_type: content_type.as_deref(),
            body: body.as_deref(),
        };
        let limits = crate::http1::Limits {
            connect_timeout,
            read_timeout: outgoing.read_timeout,
            time_left,
            max_response_bytes,
        };
        let answer = plain
            .send(agent.config(), &target, &request, limits)
            .map_err(|f| fault(f, &cx, max_response_bytes))?;
        refuse_redirect(answer.status, answer.location.as_deref())?;
        return Ok(Reply { status: answer.status, body: answer.body });
    }
    let mut builder = http::Request::builder().method(endpoint.verb.as_str()).uri(url.as_ref());
    if let Some(token) = token {
        let mut value = HeaderValue::from_str(token).map_err(|_| Failure {
            error: Error::invalid_argument("the token holds characters an HTTP header cannot carry"),
            delivery: Delivery::NotSent,
        })?;
        value.set_sensitive(true);
        builder = builder.header("Authorization", value);
    }
    builder = builder.header("Accept", "application/json");
    if let Some(content_type) = &content_type {
        builder = builder.header("Content-Type", content_type.as_ref());
    }
    let mut response = match body {
        Some(body) => run(agent, builder.body(body), &cx),
        None => run(agent, builder.body(()), &cx),
    }?;
    let status = response.status().as_u16();
    let location =
        response.headers().get("location").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    refuse_redirect(status, location.as_deref())?;
    let body =
        response.body_mut().with_config().limit(max_response_bytes).read_to_vec().map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => too_large(status, max_response_bytes),
            other => in_body(other, status, &cx),
        })?;
    Ok(Reply { status, body })
}

/// A 3xx is an error, never followed.
fn refuse_redirect(status: u16, location: Option<&str>) -> std::result::Result<(), Failure> {
    if (300..400).contains(&status) {
        return Err(Failure {
            error: crate::response::redirect_error(status, location),
            // The server answered: whatever it did with the request is done, and unknown to us.
            delivery: Delivery::MaybeSent,
        });
    }
    Ok(())
}

fn too_large(status: u16, max_response_bytes: u64) -> Failure {
    let mut error = Error::new(
        Status::Protocol,
        format!("the reply is larger than max_response_bytes ({max_response_bytes} bytes); refused"),
    );
    error.http_status = Some(status);
    Failure { error, delivery: Delivery::MaybeSent }
}

/// A body read that failed after the head arrived: the request was received.
fn in_body(e: ureq::Error, status: u16, cx: &Context<'_>) -> Failure {
    let mut f = failure(e, cx);
    f.error.http_status = Some(status);
    f.delivery = Delivery::MaybeSent;
    f
}

/// The plain-HTTP path's failures, worded as ureq's are (most of them are ureq's errors).
fn fault(f: Fault, cx: &Context<'_>, max_response_bytes: u64) -> Failure {
    match f {
        Fault::Ureq(e) => failure(e, cx),
        Fault::Broke(what) => Failure {
            error: Error::new(Status::Protocol, format!("{} broke HTTP: {what}", cx.host)),
            delivery: Delivery::MaybeSent,
        },
        Fault::TooLarge { status } => too_large(status, max_response_bytes),
        Fault::InBody { status, error } => in_body(error, status, cx),
    }
}

fn run<B: ureq::AsSendBody>(
    agent: &Agent,
    request: http::Result<http::Request<B>>,
    cx: &Context<'_>,
) -> std::result::Result<http::Response<ureq::Body>, Failure> {
    let (time_left, connect_timeout) = (cx.time_left, cx.connect_timeout);
    let request = request.map_err(|e| Failure {
        error: Error::invalid_argument(format!("cannot build the request: {e}")),
        delivery: Delivery::NotSent,
    })?;
    let request = agent
        .configure_request(request)
        .timeout_global(Some(time_left))
        .timeout_connect(Some(connect_timeout.min(time_left)))
        .build();
    agent.run(request).map_err(|e| failure(e, cx))
}

/// The host (and port) of a URL, for messages: never its path or query.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.rsplit('@').next().unwrap_or_default().to_owned()
}

/// What a failure message names: the host and the limits in force for this attempt.
#[derive(Debug, Clone, Copy)]
struct Context<'a> {
    host: &'a str,
    connect_timeout: Duration,
    read_timeout: Duration,
    /// What was left of the call's deadline when this attempt started.
    time_left: Duration,
    /// The call's whole budget (timeout_ms, or the shorter per-call timeout).
    call_timeout: Duration,
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

/// Maps a ureq error to our status, and to whether the request may have arrived.
fn failure(e: ureq::Error, cx: &Context<'_>) -> Failure {
    use ureq::Error as U;
    use ureq::Timeout as T;
    let host = cx.host;
    let (status, delivery, message) = match &e {
        U::Timeout(T::Global | T::PerCall) => (
            Status::Timeout,
            Delivery::MaybeSent,
            format!(
                "the call's deadline passed waiting for {host} ({} ms left of its {} ms timeout_ms, retries \
                 included); raise timeout_ms (or the per-call timeout) if Passteam is this slow",
                ms(cx.time_left),
                ms(cx.call_timeout)
            ),
        ),
        U::Timeout(T::Resolve | T::Connect) => {
            let limit = cx.connect_timeout.min(cx.time_left);
            let why = if cx.time_left < cx.connect_timeout {
                format!("the {} ms left of the call's timeout_ms", ms(cx.time_left))
            } else {
                format!("connect_timeout_ms, {} ms", ms(cx.connect_timeout))
            };
            (
                Status::Timeout,
                Delivery::NotSent,
                format!(
                    "could not connect to {host} within {} ms ({why}); nothing was sent: check the network, \
                     a firewall or the proxy",
                    ms(limit)
                ),
            )
        }
        U::Timeout(T::RecvResponse | T::RecvBody | T::PerRead) => (
            Status::Timeout,
            Delivery::MaybeSent,
            format!(
                "{host} did not answer within read_timeout_ms ({} ms); the request may have arrived: raise \
                 read_timeout_ms if replies are this slow",
                ms(cx.read_timeout)
            ),
        ),
        U::Timeout(phase) => (
            Status::Timeout,
            Delivery::MaybeSent,
            format!(
                "sending the request to {host} timed out ({phase:?}, {} ms left of the call)",
                ms(cx.time_left)
            ),
        ),
        U::HostNotFound => (
            Status::Transport,
            Delivery::NotSent,
            format!(
                "the host name {host} could not be resolved (DNS); nothing was sent: check base_url's \
                 spelling, the network connection and the DNS server"
            ),
        ),
        U::ConnectionFailed => {
            (Status::Transport, Delivery::NotSent, format!("could not connect to {host}; nothing was sent"))
        }
        U::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::AddrNotAvailable
            ) =>
        {
            (
                Status::Transport,
                Delivery::NotSent,
                format!("could not connect to {host}: {io}; nothing was sent"),
            )
        }
        U::Io(io) if tls_error(io).is_some() => {
            let tls = tls_error(io).expect("checked");
            return tls_failure(tls, host);
        }
        U::Rustls(tls) => return tls_failure(tls, host),
        U::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => (
            Status::Timeout,
            Delivery::MaybeSent,
            format!("{host} did not answer in time ({io}); the request may have arrived"),
        ),
        U::Io(io) => {
            (Status::Transport, Delivery::MaybeSent, format!("the connection to {host} broke: {io}"))
        }
        U::Tls(what) => (Status::Transport, Delivery::NotSent, format!("TLS with {host} failed: {what}")),
        U::Pem(err) => (Status::Transport, Delivery::NotSent, format!("TLS certificates: {err}")),
        U::ConnectProxyFailed(why) => {
            (Status::Transport, Delivery::NotSent, format!("the proxy refused the connection: {why}"))
        }
        U::InvalidProxyUrl => {
            (Status::InvalidArgument, Delivery::NotSent, "config: proxy is not a valid proxy URL".to_owned())
        }
        U::BadUri(_) | U::Http(_) => (
            Status::InvalidArgument,
            Delivery::NotSent,
            "the request URL is not valid (check base_url and endpoints)".to_owned(),
        ),
        U::RequireHttpsOnly(_) | U::TlsRequired => {
            (Status::InvalidArgument, Delivery::NotSent, "https is required for this host".to_owned())
        }
        U::Protocol(err) => (Status::Protocol, Delivery::MaybeSent, format!("{host} broke HTTP: {err}")),
        U::LargeResponseHeader(..) => {
            (Status::Protocol, Delivery::MaybeSent, "the reply's headers are too large".to_owned())
        }
        U::TooManyRedirects | U::RedirectFailed => (
            Status::Protocol,
            Delivery::MaybeSent,
            "the server redirected; redirects are never followed".to_owned(),
        ),
        other => (Status::Transport, Delivery::MaybeSent, format!("HTTP failure with {host}: {other}")),
    };
    Failure { error: Error::new(status, message), delivery }
}

/// The rustls error inside an I/O error (ureq reports a failed handshake as one).
fn tls_error(io: &std::io::Error) -> Option<&rustls::Error> {
    io.get_ref()?.downcast_ref::<rustls::Error>()
}

/// A failed TLS handshake: nothing was sent, and sending again cannot help.
fn tls_failure(tls: &rustls::Error, host: &str) -> Failure {
    use rustls::CertificateError as C;
    let what = match tls {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::UnknownIssuer => {
                "its certificate is not signed by an authority this client trusts (unknown issuer)"
            }
            C::Expired | C::ExpiredContext { .. } => "its certificate has expired",
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "its certificate is not valid yet (check the clock)"
            }
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "its certificate is not valid for this host name (wrong name)"
            }
            C::Revoked => "its certificate is revoked",
            _ => "its certificate was refused",
        },
        _ => "the TLS handshake failed",
    };
    let message = format!(
        "TLS with {host} failed: {what} ({tls}); nothing was sent. If {host} uses a private CA, set \
         ca_bundle to its PEM file, or tls_roots to \"system\" to trust the OS's store"
    );
    let mut error = Error::new(Status::Transport, message);
    error.tls_refused = true;
    Failure { error, delivery: Delivery::NotSent }
}
