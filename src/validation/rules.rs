//! The template's field types applied to one value: check it, and in `normalize` mode fix what can be
//! fixed (a phone to E.164, a date to the field's style, a list item to its own spelling).

use super::{dates, email, phone};
use serde_json::Value;

/// What the client does with values before sending them (config key `validation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Send what the caller gave, unchecked (no template is fetched).
    Off,
    /// Fix what can be fixed, send it, refuse the rest (the default).
    Normalize,
    /// Refuse anything that is not already in the canonical form Passteam stores.
    Strict,
}

impl Mode {
    pub fn parse(text: &str) -> Option<Mode> {
        match text.to_ascii_lowercase().as_str() {
            "off" => Some(Mode::Off),
            "normalize" | "normalise" => Some(Mode::Normalize),
            "strict" => Some(Mode::Strict),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::Normalize => "normalize",
            Mode::Strict => "strict",
        }
    }
}

/// A template variable's type, with what its `params` say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Phone,
    Email,
    /// `date` (`time: false`) or `date_time`, with the field's `dateStyle`.
    Date {
        style: String,
        time: bool,
    },
    /// The allowed items (`params.forList`).
    List(Vec<String>),
    Flag,
    Number,
    /// A type this library does not know: passed through unchecked.
    Other(String),
}

impl FieldType {
    /// From a template field's `type` and `params`.
    pub fn from_template(kind: &str, params: &Value) -> FieldType {
        let date_style = |time: bool| {
            params
                .get("dateStyle")
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .unwrap_or(dates::default_style(time))
                .to_owned()
        };
        match kind.to_ascii_lowercase().as_str() {
            "text" | "" => FieldType::Text,
            "phone" => FieldType::Phone,
            "email" => FieldType::Email,
            "date" => FieldType::Date { style: date_style(false), time: false },
            "date_time" | "datetime" => FieldType::Date { style: date_style(true), time: true },
            "list" => FieldType::List(
                params
                    .get("forList")
                    .and_then(Value::as_array)
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(|i| match i {
                                Value::String(s) => Some(s.clone()),
                                Value::Number(n) => Some(n.to_string()),
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            "flag" => FieldType::Flag,
            "number" => FieldType::Number,
            other => FieldType::Other(other.to_owned()),
        }
    }
}

/// Checks one non-empty value; returns what to send, or why it is refused (a phrase that follows the
/// value: `"8 916" is too short for a phone number`).
pub fn check(ty: &FieldType, value: &str, mode: Mode, phones: &phone::Reader) -> Result<String, String> {
    let fixing = mode == Mode::Normalize;
    let canonical = |fixed: String| {
        if fixing || fixed == value {
            Ok(fixed)
        } else {
            Err(format!("is not in the canonical form {fixed:?} (validation is strict)"))
        }
    };
    match ty {
        FieldType::Text | FieldType::Other(_) => Ok(value.to_owned()),
        FieldType::Phone => canonical(phones.normalize(value).map_err(|p| p.describe())?),
        FieldType::Email => {
            let fixed = email::normalize(value);
            if let Some(problem) = email::problem(&fixed) {
                return Err(problem.to_owned());
            }
            canonical(fixed)
        }
        FieldType::List(items) => {
            if items.iter().any(|i| i == value) {
                return Ok(value.to_owned());
            }
            let wanted = value.trim().to_lowercase();
            match items.iter().find(|i| i.trim().to_lowercase() == wanted) {
                Some(item) => canonical(item.clone()),
                None if items.is_empty() => Err("cannot be checked: the template's list has no items".into()),
                None => Err(format!("is not one of the list's items: {}", items.join(", "))),
            }
        }
        FieldType::Flag => match value.trim().to_lowercase().as_str() {
            "true" | "1" | "yes" | "on" | "да" => canonical("true".into()),
            "false" | "0" | "no" | "off" | "нет" => canonical("false".into()),
            _ => Err("is not a flag: give true or false".into()),
        },
        FieldType::Number => canonical(number(value).ok_or("is not a number")?),
        FieldType::Date { style, time } => {
            if let Some(stamp) = dates::parse_in_style(value.trim(), style) {
                return canonical(dates::format(&stamp, style));
            }
            let kind = if *time { "date and time" } else { "date" };
            let iso = value.trim();
            if dates::has_offset(iso) {
                return Err(format!(
                    "has a time zone, which the field cannot hold: give the local {kind} as {style}"
                ));
            }
            match dates::parse_iso(iso) {
                Some(stamp) if !*time && (stamp.hour, stamp.minute, stamp.second) != (0, 0, 0) => {
                    Err(format!("has a time of day, but the field holds a date ({style})"))
                }
                Some(stamp) => canonical(dates::format(&stamp, style)),
                None => Err(format!("is not a {kind} in the form {style} (or ISO 8601, as in 2024-02-01)")),
            }
        }
    }
}

/// A number as Passteam reads it: digits, one `.` (a decimal comma and spaces between thousands,
/// `1 234,50`, are fixed), an optional sign; no `inf`, `NaN` or exponent.
fn number(value: &str) -> Option<String> {
    let mut text: String =
        value.trim().chars().filter(|c| !matches!(c, ' ' | '\u{00A0}' | '\u{202F}')).collect();
    if !text.contains('.') && text.matches(',').count() == 1 {
        text = text.replace(',', ".");
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(&text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ok =
        !int.is_empty() && all_digits(int) && all_digits(frac) && (!digits.contains('.') || !frac.is_empty());
    ok.then(|| text.strip_prefix('+').map_or(text.clone(), str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ru() -> phone::Reader {
        phone::Reader::new("RU")
    }

    fn ty(kind: &str, params: Value) -> FieldType {
        FieldType::from_template(kind, &params)
    }

    #[test]
    fn numbers() {
        let n = ty("number", json!(null));
        for (given, sent) in [("7500", "7500"), (" -1.5 ", "-1.5"), ("1 234,50", "1234.50"), ("+12", "12")] {
            assert_eq!(check(&n, given, Mode::Normalize, &ru()).as_deref(), Ok(sent), "{given}");
        }
        for bad in ["12abc", "inf", "NaN", "1e5", "1.", ".5", "1,2,3", "--1", ""] {
            assert!(check(&n, bad, Mode::Normalize, &ru()).is_err(), "{bad}");
        }
        assert!(check(&n, "1 234,50", Mode::Strict, &ru()).is_err());
        assert!(check(&n, "1234.50", Mode::Strict, &ru()).is_ok());
    }

    #[test]
    fn flags_and_lists() {
        let f = ty("flag", json!(null));
        assert_eq!(check(&f, "Да", Mode::Normalize, &ru()).as_deref(), Ok("true"));
        assert_eq!(check(&f, "0", Mode::Normalize, &ru()).as_deref(), Ok("false"));
        assert!(check(&f, "1", Mode::Strict, &ru()).is_err());
        assert!(check(&f, "maybe", Mode::Normalize, &ru()).is_err());
        let l = ty("list", json!({"forList": ["Silver", "Gold", "Platinum"]}));
        assert_eq!(check(&l, " gold ", Mode::Normalize, &ru()).as_deref(), Ok("Gold"));
        assert!(check(&l, "gold", Mode::Strict, &ru()).is_err());
        let e = check(&l, "Bronze", Mode::Normalize, &ru()).unwrap_err();
        assert!(e.contains("Silver, Gold, Platinum"), "{e}");
    }

    #[test]
    fn modes_parse() {
        assert_eq!(Mode::parse("STRICT"), Some(Mode::Strict));
        assert_eq!(Mode::parse("normalise"), Some(Mode::Normalize));
        assert_eq!(Mode::parse("lenient"), None);
    }
}
