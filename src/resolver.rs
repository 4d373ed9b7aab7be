//! Name resolution for the agent: IP literals without a lookup, host names cached briefly.
//!
//! ureq resolves the host of every request before it looks in its connection pool, and with a timeout
//! set (we always set one) its default resolver runs each lookup on a new thread. A till making one call
//! per sale on a kept-alive connection would start a thread per call for nothing. Here an IP literal is
//! its own address, and a host name's addresses are kept for [`TTL`], after which the default resolver
//! (with its timeout) asks again, so DNS changes still reach us within seconds.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a host name's addresses are reused.
pub const TTL: Duration = Duration::from_secs(30);

/// The agent's resolver. Its clones share one cache: the agent holds one, the plain-HTTP path (`http1`)
/// another.
#[derive(Debug, Default)]
pub struct CachingResolver {
    fallback: DefaultResolver,
    cache: Arc<Mutex<HashMap<(String, u16), (Instant, ResolvedSocketAddrs)>>>,
}

impl Clone for CachingResolver {
    fn clone(&self) -> Self {
        // ureq's resolver holds no state; only the cache is shared.
        CachingResolver { fallback: DefaultResolver::default(), cache: Arc::clone(&self.cache) }
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some((host, port)) = host_and_port(uri) else {
            return self.fallback.resolve(uri, config, timeout);
        };
        if let Ok(ip) = host.parse::<IpAddr>() {
            let mut out = self.empty();
            out.push(SocketAddr::new(ip, port));
            return Ok(out);
        }
        let key = (host.to_ascii_lowercase(), port);
        let now = Instant::now();
        if let Some((at, addrs)) = self.cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            if now.duration_since(*at) < TTL {
                return Ok(addrs.clone());
            }
        }
        // The system resolver's failure arrives as an I/O error; it means the name is unknown, not that a
        // connection broke (which would count as "maybe sent").
        let addrs = self.fallback.resolve(uri, config, timeout).map_err(|e| match e {
            ureq::Error::Io(_) => ureq::Error::HostNotFound,
            other => other,
        })?;
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() > 64 {
            cache.retain(|_, (at, _)| now.duration_since(*at) < TTL); // a client talks to a handful of hosts
        }
        cache.insert(key, (now, addrs.clone()));
        Ok(addrs)
    }
}

/// The host (without IPv6 brackets) and the port, explicit or the scheme's default.
fn host_and_port(uri: &Uri) -> Option<(&str, u16)> {
    let authority = uri.authority()?;
    let host = authority.host().trim_start_matches('[').trim_end_matches(']');
    let port = authority.port_u16().or(match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    })?;
    Some((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_names() {
        let r = CachingResolver::default();
        let config = Config::default();
        let timeout = NextTimeout {
            after: ureq::unversioned::transport::time::Duration::from(Duration::from_secs(2)),
            reason: ureq::Timeout::Resolve,
            ..NextTimeout::default()
        };
        let v4 = r.resolve(&"http://127.0.0.1:8080/x".parse().unwrap(), &config, timeout).unwrap();
        assert_eq!(v4.as_ref(), &["127.0.0.1:8080".parse::<SocketAddr>().unwrap()]);
        let v6 = r.resolve(&"https://[::1]/x".parse().unwrap(), &config, timeout).unwrap();
        assert_eq!(v6.as_ref(), &["[::1]:443".parse::<SocketAddr>().unwrap()]);
        let local = r.resolve(&"http://localhost:9/x".parse().unwrap(), &config, timeout).unwrap();
        assert!(local.iter().all(|a| a.ip().is_loopback() && a.port() == 9));
        assert_eq!(r.cache.lock().unwrap().len(), 1, "the name is cached");
        let clone = r.clone();
        assert_eq!(
            clone.cache.lock().unwrap().len(),
            1,
            "a clone (the plain-HTTP path's) sees the same cache"
        );
    }
}
