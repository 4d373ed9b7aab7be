//! Webhooks: Passteam posts card events (createCard, updateCard, deleteCard, installCard,
//! unInstallCard) to a URL the merchant configures, repeats each after 1-2 hours and after 24 hours,
//! and ignores the reply.
//!
//! - [`parse`] validates one body into the normalised event `{"webhookId", "event", "card"}`.
//! - [`WebhookServer`] receives them: POST on a secret path only, each new event committed to a SQLite
//!   store before the 200, repeats recognised by webhookId (across restarts, within the retention), and
//!   handed to the host by [`WebhookServer::next`] until [`WebhookServer::ack`]: none is lost between
//!   receipt and handling, whatever crashes in between.
//!
//! ```no_run
//! use passteam::webhook::{WebhookConfig, WebhookServer};
//! use std::time::Duration;
//! let config = serde_json::json!({"listen": "0.0.0.0:8080", "path": "/passteam/4f9c2b7a1e6d8c03",
//!                                 "store_path": "webhooks.sqlite"});
//! let server = WebhookServer::start(WebhookConfig::from_json(config.as_object().unwrap())?)?;
//! loop {
//!     if let Some(event) = server.next(Duration::from_secs(30))? {
//!         println!("{} {}", event["event"], event["card"]["cardId"]);   // handle it, then:
//!         server.ack(event["webhookId"].as_str().unwrap_or_default())?;
//!     }
//! }
//! # Ok::<(), passteam::Error>(())
//! ```

pub mod config;
pub mod http;
pub mod parse;
pub mod server;
pub mod store;
mod tls;

pub use config::WebhookConfig;
pub use parse::{parse, WebhookEvent, EVENTS};
pub use server::{EventHook, WebhookServer};
pub use store::{Acked, Stored, WebhookStore};
