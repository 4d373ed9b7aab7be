//! The one way text from a host becomes a JSON object: params, configs, settings.

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// Parses `text` as a JSON object; blank text is `{}`. Anything else is `InvalidJson` naming `what`
/// (the argument as the caller knows it: `params_json`, `config_json`, `Настройки / Settings`, ...).
pub fn json_object(text: &str, what: &str) -> Result<Map<String, Value>> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::invalid_json(format!("{what} must be a JSON object ({{...}})"))),
        Err(e) => Err(Error::invalid_json(format!("{what} is not valid JSON: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Status;

    #[test]
    fn objects_blank_and_the_rest() {
        assert_eq!(json_object(r#"{"a": 1}"#, "x").unwrap()["a"], 1);
        assert!(json_object("  \n", "x").unwrap().is_empty());
        for bad in ["[1]", "5", "null", "\"s\""] {
            let e = json_object(bad, "params_json").unwrap_err();
            assert_eq!(e.status, Status::InvalidJson);
            assert!(e.message.starts_with("params_json must be a JSON object"), "{}", e.message);
        }
        let e = json_object("{oops", "config_json").unwrap_err();
        assert_eq!(e.status, Status::InvalidJson);
        assert!(e.message.starts_with("config_json is not valid JSON"), "{}", e.message);
    }
}
