//! The TLS check: one handshake with the client's own trust store, recording the certificate chain and the
//! verifier's verdict, so that a refused certificate can still be described (who issued it, when it expires).
//!
//! The handshake is always completed (the recording verifier accepts, and reports the real verdict
//! separately) and nothing is sent over it: the token never travels on a connection the client would refuse.

use super::network::Target;
use super::{Check, Level};
use crate::config::{is_loopback, Config, TlsRoots};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use serde_json::{json, Value};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// The handshake's bound.
const TLS_BOUND: Duration = Duration::from_secs(3);
/// A certificate expiring sooner than this is a warning: someone must renew it (or the till's clock is off).
const EXPIRY_WARNING_DAYS: i64 = 14;

/// `None` when there is nothing to shake hands with (TCP already failed).
pub(crate) fn check(target: &Target, reachable: Option<SocketAddr>, config: &Config) -> Option<Check> {
    if !target.https {
        let check = if is_loopback(&target.host) {
            Check::new(
                "tls",
                Level::Ok,
                "not used (plain http)",
                "plain http to this machine (a local sandbox)",
            )
        } else {
            Check::new(
                "tls",
                Level::Warning,
                "not used (plain http)",
                "the token travels unencrypted: use https:// in base_url (allow_insecure_http is on)",
            )
        };
        return Some(check);
    }
    if config.proxy.is_some() {
        return Some(Check::new(
            "tls",
            Level::Warning,
            "not checked (proxy)",
            "the TLS check does not go through proxies; the token check below does",
        ));
    }
    let addr = reachable?;
    Some(match handshake(target, addr, config) {
        Ok(outcome) => describe(target, config, outcome),
        Err(why) => Check::new("tls", Level::Failed, "handshake failed", why),
    })
}

/// What one handshake showed.
struct Outcome {
    ms: u64,
    chain: Vec<CertificateDer<'static>>,
    verdict: Result<(), rustls::Error>,
    protocol: String,
}

fn handshake(target: &Target, addr: SocketAddr, config: &Config) -> Result<Outcome, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner = verifier(config, provider.clone())?;
    let recorder = Arc::new(Recorder { inner, seen: Mutex::new(None) });
    let client_config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(target.host.clone())
        .map_err(|_| format!("{:?} is not a valid TLS server name: check base_url", target.host))?;
    let mut conn =
        ClientConnection::new(Arc::new(client_config), name).map_err(|e| format!("TLS setup failed: {e}"))?;
    let started = Instant::now();
    let mut sock =
        TcpStream::connect_timeout(&addr, TLS_BOUND).map_err(|e| format!("connect failed: {e}"))?;
    let _ = sock.set_read_timeout(Some(TLS_BOUND));
    let _ = sock.set_write_timeout(Some(TLS_BOUND));
    while conn.is_handshaking() {
        if started.elapsed() > TLS_BOUND {
            return Err(format!(
                "no TLS handshake within {} s: is this port really https?",
                TLS_BOUND.as_secs()
            ));
        }
        match conn.complete_io(&mut sock) {
            Ok((0, 0)) if conn.is_handshaking() => {
                return Err(
                    "the server closed the connection during the handshake: is this port really https?"
                        .into(),
                )
            }
            Ok(_) => {}
            Err(e) => {
                // A refused certificate would show up here if we did not accept it; anything else is the
                // server's or the network's doing.
                return Err(match e.kind() {
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
                        format!("no TLS handshake within {} s: is this port really https?", TLS_BOUND.as_secs())
                    }
                    _ => format!("the handshake failed ({e}): is this port really https, and not behind a filtering proxy?"),
                });
            }
        }
    }
    let ms = started.elapsed().as_millis() as u64;
    let protocol = conn.protocol_version().map_or("unknown".to_owned(), |v| format!("{v:?}"));
    conn.send_close_notify();
    let _ = conn.complete_io(&mut sock);
    let seen = recorder.seen.lock().unwrap_or_else(|p| p.into_inner()).take();
    let (chain, verdict) = seen.ok_or("the server sent no certificate")?;
    Ok(Outcome { ms, chain, verdict, protocol })
}

/// The verifier the client itself uses (see transport::build_agent): the system's store, or Mozilla's
/// roots plus `ca_bundle`.
fn verifier(config: &Config, provider: Arc<CryptoProvider>) -> Result<Arc<dyn ServerCertVerifier>, String> {
    let mut extra = Vec::new();
    if let Some(path) = &config.ca_bundle {
        let pem =
            std::fs::read(path).map_err(|e| format!("ca_bundle {}: cannot read it: {e}", path.display()))?;
        for item in ureq::tls::parse_pem(&pem) {
            if let Ok(ureq::tls::PemItem::Certificate(cert)) = item {
                extra.push(CertificateDer::from(cert.der().to_vec()));
            }
        }
    }
    if config.tls_roots == TlsRoots::System && extra.is_empty() {
        let v = rustls_platform_verifier::Verifier::new(provider)
            .map_err(|e| format!("the system trust store could not be opened: {e}"))?;
        return Ok(Arc::new(v));
    }
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned());
    roots.add_parsable_certificates(extra);
    let v = rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .map_err(|e| format!("the trust store could not be built: {e}"))?;
    Ok(v)
}

/// Records the chain and the real verdict, and lets the handshake finish.
#[derive(Debug)]
struct Recorder {
    inner: Arc<dyn ServerCertVerifier>,
    #[allow(clippy::type_complexity)]
    seen: Mutex<Option<(Vec<CertificateDer<'static>>, Result<(), rustls::Error>)>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ());
        let mut chain = vec![end_entity.clone().into_owned()];
        chain.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some((chain, verdict));
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// One certificate of the chain, as the report shows it.
struct CertFacts {
    subject: String,
    issuer: String,
    not_after: String,
    days_left: i64,
}

fn facts(der: &CertificateDer<'_>) -> Option<CertFacts> {
    use x509_cert::der::Decode;
    let cert = x509_cert::Certificate::from_der(der.as_ref()).ok()?;
    let tbs = cert.tbs_certificate();
    let not_after = tbs.validity().not_after;
    let expires = not_after.to_unix_duration().as_secs() as i64;
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Some(CertFacts {
        subject: tbs.subject().to_string(),
        issuer: tbs.issuer().to_string(),
        not_after: not_after.to_string(),
        days_left: (expires - now).div_euclid(86_400),
    })
}

fn describe(target: &Target, config: &Config, outcome: Outcome) -> Check {
    let chain: Vec<CertFacts> = outcome.chain.iter().filter_map(facts).collect();
    let chain_json: Vec<Value> = chain
        .iter()
        .map(|c| json!({"subject": c.subject, "issuer": c.issuer, "not_after": c.not_after, "days_left": c.days_left}))
        .collect();
    let store = match (&config.tls_roots, &config.ca_bundle) {
        (_, Some(path)) => format!("bundled roots + ca_bundle {}", path.display()),
        (TlsRoots::System, None) => "the system trust store".to_owned(),
        (TlsRoots::Bundled, None) => "the bundled (Mozilla) roots".to_owned(),
    };
    let russian =
        chain.iter().any(|c| c.issuer.contains("Russian Trusted") || c.subject.contains("Russian Trusted"));
    let russian_hint = if russian {
        " The certificate comes from the Russian Trusted Root CA (Минцифры), which the bundled roots do not \
         hold: install that root in the system store and set tls_roots to \"system\", or give its PEM in ca_bundle."
    } else {
        ""
    };
    let leaf_days = chain.first().map(|c| c.days_left);
    let figure = format!("{} ms, {}", outcome.ms, outcome.protocol.replace('_', "."));
    let check = match &outcome.verdict {
        Ok(()) => match leaf_days {
            Some(d) if d < EXPIRY_WARNING_DAYS => Check::new(
                "tls",
                Level::Warning,
                format!("{figure}, expires in {d} days"),
                "the server's certificate expires soon: it must be renewed (or the till's clock is wrong)",
            ),
            _ => Check::new(
                "tls",
                Level::Ok,
                format!("{figure}, {} days left", leaf_days.unwrap_or(0)),
                format!("the certificate is trusted by {store}"),
            ),
        },
        Err(e) => {
            let why = match e {
                rustls::Error::InvalidCertificate(CertificateError::Expired | CertificateError::ExpiredContext { .. }) => {
                    "the server's certificate has expired (or the till's clock is far ahead): check the clock, \
                     then tell the server's owner"
                        .to_owned()
                }
                rustls::Error::InvalidCertificate(
                    CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. },
                ) => "the certificate is not valid yet: the till's clock is probably behind; set it right".to_owned(),
                rustls::Error::InvalidCertificate(
                    CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
                ) => format!(
                    "the certificate is not for {:?}: check the host in base_url (a captive portal or a \
                     filtering proxy answers instead of Passteam?)",
                    target.host
                ),
                rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => format!(
                    "the certificate's issuer is not trusted by {store}: set tls_roots to \"system\" if the \
                     administrator installed it there, or give its CA's PEM file in ca_bundle"
                ),
                other => format!("the certificate was refused ({other}); tls_roots and ca_bundle choose what is trusted"),
            };
            Check::new("tls", Level::Failed, format!("{figure}, refused"), format!("{why}.{russian_hint}"))
        }
    };
    check
        .with("ms", json!(outcome.ms))
        .with("protocol", json!(outcome.protocol))
        .with("trust_store", json!(store))
        .with("trusted", json!(outcome.verdict.is_ok()))
        .with("error", outcome.verdict.err().map_or(Value::Null, |e| json!(e.to_string())))
        .with("chain", Value::Array(chain_json))
}
