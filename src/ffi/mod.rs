//! The C ABI: a thin `extern "C"` layer over [`passteam::Client`].
//!
//! Each export converts pointers and strings, calls the core, and catches panics; no logic lives here.
//! The header `include/passteam.h` is generated from these items by cbindgen: the doc comments below
//! are the C user's manual.
//!
//! Its own package, passteam-ffi (`ffi/Cargo.toml`), a plain rlib over the core: libpassteam (`capi/`)
//! makes the .so / .a of it, and the core stays one build for every host (README, "What you ship").

mod batch;
mod convert;
mod diagnose;
mod exports;
mod operations;
mod outbox;
mod webhook;

pub use batch::*;
pub use diagnose::*;
pub use exports::*;
pub use operations::*;
pub use outbox::*;
pub use webhook::*;

use std::os::raw::c_int;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Success.
pub const PASSTEAM_OK: i32 = 0;
/// A NULL pointer, non-UTF-8 text, an unknown method, a bad config value or key.
pub const PASSTEAM_ERR_INVALID_ARGUMENT: i32 = 1;
/// The params or config text is not JSON, or not a JSON object.
pub const PASSTEAM_ERR_INVALID_JSON: i32 = 2;
/// A required parameter is missing or has the wrong type, or card variables do not fit the template
/// (checked before anything is sent; details.problems lists every refused variable).
pub const PASSTEAM_ERR_VALIDATION: i32 = 3;
/// DNS, connect, TLS, a broken connection, or a 502/503/504 from the gateway.
pub const PASSTEAM_ERR_TRANSPORT: i32 = 4;
/// The call's deadline (timeout_ms) or a connect/read timeout passed.
pub const PASSTEAM_ERR_TIMEOUT: i32 = 5;
/// The token is missing or was rejected (401/403).
pub const PASSTEAM_ERR_AUTH: i32 = 6;
/// 404: no such card / template / sale / product.
pub const PASSTEAM_ERR_NOT_FOUND: i32 = 7;
/// 409: a unique variable's value is already taken; details.cardIds lists the cards holding it.
pub const PASSTEAM_ERR_CONFLICT: i32 = 8;
/// 429, "You can only make N requests per hour", or the client-side budget is spent (see retry_after_ms).
pub const PASSTEAM_ERR_RATE_LIMITED: i32 = 9;
/// Any other error reply from Passteam (the message is the server's).
pub const PASSTEAM_ERR_API: i32 = 10;
/// The reply is not the documented JSON envelope (or is larger than max_response_bytes).
pub const PASSTEAM_ERR_PROTOCOL: i32 = 11;
/// Not a failure: a mutating call that cannot be delivered now was stored durably in the outbox
/// (outbox_path); *out_json holds {"status": 12, "name": "PASSTEAM_QUEUED", "message", "outbox_id", "details":
/// the failure that caused it}. It is sent later, once, in order (passteam_outbox_flush, or the background replay).
pub const PASSTEAM_QUEUED: i32 = 12;
/// A bug in the library: a caught panic. The client stays usable.
pub const PASSTEAM_ERR_INTERNAL: i32 = 99;

/// Major version of the C ABI: a wrapper refuses a library whose major differs from its own.
pub const PASSTEAM_ABI_VERSION_MAJOR: u32 = 1;
/// Minor version of the C ABI: grows when exports are added; existing ones keep their meaning.
pub const PASSTEAM_ABI_VERSION_MINOR: u32 = 6;

/// An opaque client. Create it with passteam_client_new, free it with passteam_client_free.
/// All functions may be called concurrently on one client from any number of threads, and
/// passteam_client_free may be called while calls on it are still running: those calls finish normally
/// and the client's memory is released when the last of them returns. No call may start after
/// passteam_client_free has been called.
pub struct PassteamClient {
    pub(crate) inner: passteam::Client,
    /// Set by the first passteam_client_free: a second one is then a no-op while calls keep the client.
    freed: AtomicBool,
}

impl PassteamClient {
    /// A client handed to C: reference-counted, so a concurrent free waits for the calls in flight.
    pub(crate) fn into_raw(inner: passteam::Client) -> *mut PassteamClient {
        Arc::into_raw(Arc::new(PassteamClient { inner, freed: AtomicBool::new(false) })).cast_mut()
    }

    /// Holds the client for the length of one call (the first thing every call does).
    ///
    /// # Safety
    /// `ptr` is NULL or a pointer from [`PassteamClient::into_raw`] whose free has not completed.
    pub(crate) unsafe fn enter(ptr: *const PassteamClient) -> passteam::Result<Arc<PassteamClient>> {
        if ptr.is_null() {
            return Err(passteam::Error::invalid_argument("client is NULL"));
        }
        Arc::increment_strong_count(ptr);
        Ok(Arc::from_raw(ptr))
    }

    /// Drops the owner's reference; the memory goes with the last call in flight.
    ///
    /// # Safety
    /// As [`PassteamClient::enter`].
    pub(crate) unsafe fn release(ptr: *mut PassteamClient) {
        if ptr.is_null() || (*ptr).freed.swap(true, Ordering::AcqRel) {
            return;
        }
        drop(Arc::from_raw(ptr.cast_const()));
    }
}

// Keep the C int and our i32 statuses the same width on every platform we build for.
const _: () = assert!(std::mem::size_of::<c_int>() == std::mem::size_of::<i32>());

// The core keeps its own copy of the version (it cannot depend on this package, and cbindgen needs the
// literals above for the #defines): the two may not differ, or the CLI and the doctor would misreport it.
const _: () = assert!(
    PASSTEAM_ABI_VERSION_MAJOR == passteam::ABI_VERSION_MAJOR
        && PASSTEAM_ABI_VERSION_MINOR == passteam::ABI_VERSION_MINOR
);

/// Not API: where this package's build script wrote the header it generated, for the test that compares
/// it with the committed `include/passteam.h` (tests/c_abi.rs).
///
/// cbindgen:ignore
#[doc(hidden)]
pub const GENERATED_HEADER_PATH: &str = env!("PASSTEAM_GENERATED_HEADER");
