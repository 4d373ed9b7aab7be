//! Optional HTTPS for a receiver that faces the internet without a reverse proxy: rustls (the ring
//! provider ureq already links), a PEM certificate chain and key read once at start.

use super::http::Deadlined;
use super::server::{linger_close, Connection};
use crate::error::{Error, Result};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Builds the TLS settings from a PEM certificate chain and a PEM private key.
pub fn server_config(cert_path: &Path, key_path: &Path) -> Result<Arc<ServerConfig>> {
    let certs = CertificateDer::pem_file_iter(cert_path)
        .and_then(|certs| certs.collect::<std::result::Result<Vec<_>, _>>())
        .map_err(|e| Error::invalid_argument(format!("tls_cert {}: {e}", cert_path.display())))?;
    if certs.is_empty() {
        return Err(Error::invalid_argument(format!(
            "tls_cert {} holds no certificate",
            cert_path.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(key_path)
        .map_err(|e| Error::invalid_argument(format!("tls_key {}: {e}", key_path.display())))?;
    let config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(format!("TLS setup: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            Error::invalid_argument(format!("tls_cert and tls_key do not make a usable pair: {e}"))
        })?;
    Ok(Arc::new(config))
}

/// A TLS connection; the handshake happens inside the first read, within the header deadline.
pub(crate) struct TlsConnection(StreamOwned<ServerConnection, TcpStream>);

/// Starts a TLS session on an accepted socket (`None` if rustls refuses to start one).
pub(crate) fn accept(config: &Arc<ServerConfig>, socket: TcpStream) -> Option<TlsConnection> {
    let session = ServerConnection::new(Arc::clone(config)).ok()?;
    Some(TlsConnection(StreamOwned::new(session, socket)))
}

impl Read for TlsConnection {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl Write for TlsConnection {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

impl Deadlined for TlsConnection {
    fn set_read_timeout(&mut self, timeout: Duration) -> std::io::Result<()> {
        self.0.sock.set_read_timeout(Some(timeout))
    }
}

impl Connection for TlsConnection {
    fn finish(&mut self) {
        if self.can_reply() {
            self.0.conn.send_close_notify();
            let _ = self.0.flush();
        }
        linger_close(&mut self.0.sock);
    }

    fn can_reply(&self) -> bool {
        !self.0.conn.is_handshaking()
    }
}
