//! # passteam
//!
//! The native SDK for the [Passteam](https://passteam.ru) loyalty-card API (Apple Wallet / Google Wallet
//! cards): templates, cards, pagination, uniqueness checks, SMS / e-mail distribution, push messages,
//! sales and products, and the vendor's two integration scenarios.
//!
//! One call, end to end:
//! ```text
//! host (C / 1C / Python / Go / CLI)
//!   -> ffi: check pointers, UTF-8, catch panics
//!   -> Client::call(method, params)
//!        -> methods: the operation's table entry (verb, path, parameters, idempotency)
//!        -> request: check and normalise the parameters, build the form
//!        -> transport: ureq Agent (pool, TLS, timeouts); retries and quota from the table and config
//!        -> response: read the body whatever the status; envelope -> result, or Error
//!   <- ffi: result or error object as JSON text
//! ```
//!
//! ```no_run
//! use passteam::{Client, Config};
//! use serde_json::json;
//! let client = Client::new(Config { token: Some("token".into()), ..Config::default() })?;
//! let card = client.get_card(json!({"cardId": "5f0c1a2b3c4d5e6f7a8b9c0d"}))?;
//! println!("{}", card["cardUrl"]);
//! # Ok::<(), passteam::Error>(())
//! ```

// The public surface: the client, its config, errors, the method table and the models (with the batch
// and diagnosis results). Everything else is an implementation detail (pub(crate)), free to change
// without a semver break.
pub mod batch;
#[doc(hidden)]
pub mod bench_support;
mod civil;
mod client;
/// `Client::get_card` and the other typed functions, generated from the method table.
mod client_operations;
pub mod config;
mod config_json;
mod connector;
pub mod diagnose;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
mod http1;
mod json_shape;
mod json_text;
pub(crate) mod log;
mod loose;
pub mod methods;
pub mod models;
mod multipart;
/// The durable outbox, the circuit breaker and last-known cards (issue 12).
pub mod outbox;
mod pagination;
pub(crate) mod quota;
pub(crate) mod redact;
pub(crate) mod request;
pub(crate) mod resolver;
pub(crate) mod response;
pub(crate) mod retry;
mod scenarios;
pub(crate) mod transport;
/// Template-aware validation and normalisation of card variables (issue 15).
pub mod validation;
pub mod webhook;

pub use client::Client;
pub use config::{BodyEncoding, Config, Endpoint, LogLevel, OutboxReplay, RetryPolicy, TlsRoots};
pub use config_json::config_schema_json;
pub use error::{Error, Outcome, Result, Status};
pub use json_text::json_object;
pub use methods::{methods_json, Method, METHODS};
pub use pagination::next_page;

/// Major version of the C ABI that this core serves (libpassteam's `PASSTEAM_ABI_VERSION_MAJOR`). The
/// C ABI lives in its own package (passteam-ffi, `src/ffi`) that depends on the core, so the core keeps
/// its own copy; passteam-ffi's tests assert that the two agree.
pub const ABI_VERSION_MAJOR: u32 = 1;
/// Minor version of the C ABI that this core serves (libpassteam's `PASSTEAM_ABI_VERSION_MINOR`): bumped
/// with it, checked by passteam-ffi's tests.
pub const ABI_VERSION_MINOR: u32 = 6;
/// The C ABI version, `(MAJOR << 16) | MINOR`, as `passteam_abi_version()` returns it.
pub const ABI_VERSION: u32 = (ABI_VERSION_MAJOR << 16) | ABI_VERSION_MINOR;

/// Not API: the pure parsers the property tests in `tests/properties.rs` fuzz directly (they read
/// untrusted text, so they are fuzzed without a server in between). Hidden from the docs and exempt
/// from semver; nothing outside this repository may use it.
#[doc(hidden)]
pub mod __fuzz {
    pub use crate::log::mask;
    pub use crate::request::{form_fields, prepare};
    pub use crate::response::{interpret, parse_duplicated_cards, parse_quota_message};
}

/// The library version, e.g. `0.1.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
