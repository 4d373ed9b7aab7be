//! The diagnostics export.

use super::convert::{deliver, guarded};
use super::{PassteamClient, PASSTEAM_ERR_INVALID_ARGUMENT};
use std::os::raw::c_char;
use std::ptr;

/// Diagnoses the way from this machine to Passteam with the client's config: DNS resolution of the host,
/// the proxy in use (config and environment), TCP connect time to each address, the TLS handshake and
/// certificate chain against the client's trust store (tls_roots, ca_bundle), the token (one
/// getlisttemplates call, which counts against the request budget), clock skew from the reply's Date
/// header, the request budget (used and left this hour and day, a pause in force), and the library's
/// version, ABI and platform with the config in force (token masked). Bounded: it returns within about ten
/// seconds whatever the network does; nothing is sent with the token over a refused certificate.
///
/// Returns PASSTEAM_OK when the diagnosis ran (whatever it found), with *out_json set to
/// {"ok": bool (no check failed), "worst": "ok"|"warning"|"failed", "elapsed_ms": n,
///  "checks": [{"name", "status": "ok"|"warning"|"failed", "figure", "advice", "details": {...}}]}.
/// A NULL client is PASSTEAM_ERR_INVALID_ARGUMENT (with the error object in *out_json); a NULL out_json is
/// PASSTEAM_ERR_INVALID_ARGUMENT and nothing runs. Free *out_json with passteam_string_free.
///
/// # Safety
/// client is NULL or a live client; out_json is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn passteam_diagnose(client: *const PassteamClient, out_json: *mut *mut c_char) -> i32 {
    if out_json.is_null() {
        return PASSTEAM_ERR_INVALID_ARGUMENT;
    }
    *out_json = ptr::null_mut();
    let outcome = guarded(|| {
        let client = PassteamClient::enter(client)?;
        Ok(client.inner.diagnose().to_json())
    });
    deliver(outcome, out_json)
}
