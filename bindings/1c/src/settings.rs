//! The `Настройки` / `Settings` property: the config JSON that builds the client.

use passteam::{Client, Error};
use serde_json::{Map, Value};

/// The config in force, as a JSON object (keys as the core documents them).
#[derive(Debug, Default)]
pub struct Settings {
    config: Map<String, Value>,
}

impl Settings {
    /// Parses `text` and builds a client from it; nothing changes when either step fails.
    /// Empty text means the defaults (`{}`).
    pub fn replace(&mut self, text: &str) -> Result<Client, Error> {
        let config = passteam::json_object(text, "Настройки / Settings")?;
        let client = Client::from_json(&Value::Object(config.clone()).to_string())?;
        self.config = config;
        Ok(client)
    }

    /// A client for the config in force (used when the first call comes before any `Settings` write).
    pub fn client(&self) -> Result<Client, Error> {
        Client::from_json(&Value::Object(self.config.clone()).to_string())
    }

    /// The config as JSON text with the token replaced by "***": what 1C code reads back, so that the
    /// token does not end up in logs or on screen.
    pub fn masked(&self) -> String {
        let mut shown = self.config.clone();
        if let Some(token) = shown.get_mut("token") {
            if !token.is_null() {
                *token = Value::from("***");
            }
        }
        Value::Object(shown).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use passteam::Status;

    #[test]
    fn masks_the_token_and_keeps_the_rest() {
        let mut s = Settings::default();
        assert_eq!(s.masked(), "{}");
        s.replace(r#"{"token": "SECRET", "base_url": "http://127.0.0.1:9", "timeout_ms": 500}"#).unwrap();
        let shown: Value = serde_json::from_str(&s.masked()).unwrap();
        assert_eq!(shown["token"], "***");
        assert_eq!(shown["base_url"], "http://127.0.0.1:9");
        assert_eq!(shown["timeout_ms"], 500);
        assert!(!s.masked().contains("SECRET"));
    }

    #[test]
    fn a_bad_config_changes_nothing() {
        let mut s = Settings::default();
        s.replace(r#"{"token": "t"}"#).unwrap();
        assert_eq!(s.replace("not json").unwrap_err().status, Status::InvalidJson);
        assert_eq!(s.replace("[1]").unwrap_err().status, Status::InvalidJson);
        let e = s.replace(r#"{"tokn": "t"}"#).unwrap_err();
        assert_eq!(e.status, Status::InvalidArgument);
        assert!(e.message.contains("tokn"), "{}", e.message);
        assert_eq!(s.masked(), r#"{"token":"***"}"#);
        s.replace("  ").unwrap();
        assert_eq!(s.masked(), "{}");
    }
}
