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

pub mod batch;
#[doc(hidden)]
pub mod bench_support;
pub mod client;
pub mod config;
mod connector;
pub mod diagnose;
pub mod error;
#[cfg(feature = "c-abi")]
pub mod ffi;
#[doc(hidden)]
pub mod fuzzing;
pub mod json_shape;
pub mod log;
pub mod loose;
pub mod methods;
pub mod models;
mod multipart;
pub mod outbox;
pub mod quota;
pub mod redact;
pub mod request;
pub mod resolver;
pub mod response;
pub mod retry;
mod scenarios;
pub mod transport;
pub mod validation;
pub mod webhook;

pub use client::Client;
pub use config::{BodyEncoding, Config, Endpoint, LogLevel, OutboxReplay, RetryPolicy, TlsRoots};
pub use error::{Error, Outcome, Result, Status};
pub use methods::{Method, METHODS};

/// The library version, e.g. `0.1.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
