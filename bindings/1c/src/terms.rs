//! Core messages restated in the add-in's terms. The core names its config keys ("give the config key
//! \"token\""); 1C code sets them through the `Настройки` / `Settings` property, so the message says that,
//! in Russian and English, as the Python and Go bindings restate it in theirs (issue 10).

use passteam::Error;
use serde_json::Value;

/// `error` with its message in 1C terms where the core's would mislead; unchanged otherwise. `who` names
/// the 1C method called ("ПолучитьКарту / GetCard"). The details (`"missing": "token"`) stay as they are,
/// so that code can test for them.
pub fn in_1c_terms(mut error: Error, who: &str) -> Error {
    if error.details.get("missing").and_then(Value::as_str) == Some("token") {
        error.message = no_token(who);
    }
    error
}

/// The message of a call made without a token.
pub fn no_token(who: &str) -> String {
    format!(
        "{who}: не задан токен API: укажите ключ \"token\" в свойстве Настройки (токен можно получить \
         методом ПолучитьТокен); no API token: set the key \"token\" in the property Settings (or get one \
         with GetAToken)"
    )
}

/// A batch answer (`[{"status", "result" | "error"}]`) with each item's no-token message restated. The
/// text is returned untouched, without being parsed again, when no item lacks a token: the common case,
/// and a batch may be 100 000 items.
pub fn restate_batch(answer: String, who: &str) -> String {
    if !answer.contains(r#""missing":"token""#) {
        return answer;
    }
    let Ok(Value::Array(mut items)) = serde_json::from_str::<Value>(&answer) else { return answer };
    for (index, item) in items.iter_mut().enumerate() {
        let Some(error) = item.get_mut("error").and_then(Value::as_object_mut) else { continue };
        let details = error.get("details");
        if details.and_then(|d| d.get("missing")).and_then(Value::as_str) != Some("token") {
            continue;
        }
        let method = details.and_then(|d| d.get("method")).and_then(Value::as_str).unwrap_or("?");
        let message = no_token(&format!("{who}, item {index} ({method})"));
        error.insert("message".into(), Value::from(message));
    }
    Value::Array(items).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use passteam::Status;

    #[test]
    fn the_no_token_error_names_the_settings_property_and_keeps_its_details() {
        let core =
            Error::new(Status::Auth, "getcard: no API token configured; give the config key \"token\"")
                .with_detail("missing", Value::from("token"))
                .with_detail("method", Value::from("getcard"));
        let e = in_1c_terms(core, "ПолучитьКарту / GetCard");
        assert!(e.message.starts_with("ПолучитьКарту / GetCard: не задан токен API"), "{}", e.message);
        assert!(
            e.message.contains("свойстве Настройки") && e.message.contains("property Settings"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("config key"), "{}", e.message);
        assert_eq!((e.status, e.details["missing"].as_str()), (Status::Auth, Some("token")));
        // Any other error is left alone.
        let other = in_1c_terms(Error::new(Status::Auth, "Unauthorized"), "ПолучитьКарту / GetCard");
        assert_eq!(other.message, "Unauthorized");
    }

    #[test]
    fn a_batch_answer_is_restated_per_item_and_otherwise_untouched() {
        let plain = r#"[{"status":0,"result":{"a":1.50}}]"#.to_owned();
        assert_eq!(restate_batch(plain.clone(), "ВызватьПакет / CallBatch"), plain);
        let answer = r#"[{"status":0,"result":true},{"status":6,"error":{"message":"updatecard: no API token configured","details":{"missing":"token","method":"updatecard"}}},{"status":6,"error":"odd"}]"#;
        let out: Value =
            serde_json::from_str(&restate_batch(answer.into(), "ВызватьПакет / CallBatch")).unwrap();
        assert_eq!(out[0]["result"], true);
        let message = out[1]["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("ВызватьПакет / CallBatch, item 1 (updatecard): не задан токен"),
            "{message}"
        );
        assert_eq!(
            out[2]["error"], "odd",
            "an item that is not the expected shape is left alone, never a panic"
        );
    }
}
