//! Turning 1C arguments into what the core takes. A wrong type is an error naming the parameter and
//! the type received, reported like any failed call, never a crash.

use crate::native::Arg;
use passteam::Error;
use serde_json::Value;
use std::time::Duration;

/// Text (a 1C `Строка`). Invalid UTF-16 (an unpaired surrogate) is an error, not silently replaced.
pub fn text(arg: Arg<'_>, what: &str) -> Result<String, Error> {
    match arg {
        Arg::Wide(units) => String::from_utf16(units).map_err(|_| {
            Error::invalid_argument(format!("{what} is not valid UTF-16 text (an unpaired surrogate)"))
        }),
        Arg::Narrow(bytes) => String::from_utf8(bytes.to_vec())
            .map_err(|_| Error::invalid_argument(format!("{what} is not valid UTF-8 text"))),
        other => Err(Error::invalid_argument(format!(
            "{what} must be a string (Строка), not {}",
            other.type_name()
        ))),
    }
}

/// The JSON parameters of a call: text holding a JSON object; omitted, Undefined or "" = `{}`.
pub fn json_params(arg: Arg<'_>, what: &str) -> Result<Value, Error> {
    let source = match arg {
        Arg::Empty => return Ok(Value::Null),
        Arg::Wide(_) | Arg::Narrow(_) => text(arg, what)?,
        other => {
            return Err(Error::invalid_argument(format!(
                "{what} must be a string with a JSON object, not {}",
                other.type_name()
            )))
        }
    };
    if source.trim().is_empty() {
        return Ok(Value::Null);
    }
    passteam::json_object(&source, what).map(Value::Object)
}

/// A per-call deadline in milliseconds: a 1C number (I4 or R8); omitted, Undefined or 0 = the
/// client's `timeout_ms`.
pub fn timeout(arg: Arg<'_>, what: &str) -> Result<Option<Duration>, Error> {
    let ms = match arg {
        Arg::Empty => return Ok(None),
        Arg::Int(n) if n >= 0 => n as f64,
        Arg::Double(x) if x.is_finite() && x >= 0.0 => x.round(),
        Arg::Int(_) | Arg::Double(_) => {
            return Err(Error::invalid_argument(format!(
                "{what} must be a number of milliseconds, 0 or more"
            )))
        }
        other => {
            return Err(Error::invalid_argument(format!(
                "{what} must be a number (Число), not {}",
                other.type_name()
            )))
        }
    };
    Ok((ms > 0.0).then(|| Duration::from_millis(ms.min(u64::MAX as f64) as u64)))
}

/// A 1C `Булево`; a number is accepted too (0 = false), as 1C code sometimes passes 1/0.
pub fn flag(arg: Arg<'_>, what: &str) -> Result<bool, Error> {
    match arg {
        Arg::Bool(b) => Ok(b),
        Arg::Int(n) => Ok(n != 0),
        Arg::Double(x) if !x.is_nan() => Ok(x != 0.0),
        other => Err(Error::invalid_argument(format!(
            "{what} must be a boolean (Булево), not {}",
            other.type_name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use passteam::Status;
    use serde_json::json;

    fn w(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn json_params_accept_objects_and_empty_values() {
        assert_eq!(json_params(Arg::Empty, "p").unwrap(), Value::Null);
        assert_eq!(json_params(Arg::Wide(&[]), "p").unwrap(), Value::Null);
        assert_eq!(json_params(Arg::Wide(&w("  ")), "p").unwrap(), Value::Null);
        let v = json_params(Arg::Wide(&w(r#"{"values": {"NAME": "Иван 🎉"}}"#)), "p").unwrap();
        assert_eq!(v, json!({"values": {"NAME": "Иван 🎉"}}));
        assert_eq!(json_params(Arg::Narrow(br#"{"a": 1}"#), "p").unwrap(), json!({"a": 1}));
    }

    #[test]
    fn json_params_reject_other_types_and_bad_text() {
        let e = json_params(Arg::Int(5), "ПараметрыJSON").unwrap_err();
        assert_eq!(e.status, Status::InvalidArgument);
        assert!(e.message.contains("ПараметрыJSON") && e.message.contains("Число"), "{}", e.message);
        assert_eq!(json_params(Arg::Double(1.5), "p").unwrap_err().status, Status::InvalidArgument);
        assert_eq!(json_params(Arg::Bool(true), "p").unwrap_err().status, Status::InvalidArgument);
        assert_eq!(json_params(Arg::Other(7), "p").unwrap_err().status, Status::InvalidArgument);
        assert_eq!(json_params(Arg::Wide(&w("not json")), "p").unwrap_err().status, Status::InvalidJson);
        assert_eq!(json_params(Arg::Wide(&w("[1, 2]")), "p").unwrap_err().status, Status::InvalidJson);
        assert_eq!(
            json_params(Arg::Wide(&[0x7B, 0xD800, 0x7D]), "p").unwrap_err().status,
            Status::InvalidArgument
        );
        assert_eq!(json_params(Arg::Narrow(&[0xFF]), "p").unwrap_err().status, Status::InvalidArgument);
    }

    #[test]
    fn numbers_come_as_i4_or_r8() {
        assert_eq!(timeout(Arg::Empty, "t").unwrap(), None);
        assert_eq!(timeout(Arg::Int(0), "t").unwrap(), None);
        assert_eq!(timeout(Arg::Int(1500), "t").unwrap(), Some(Duration::from_millis(1500)));
        assert_eq!(timeout(Arg::Double(250.4), "t").unwrap(), Some(Duration::from_millis(250)));
        assert!(timeout(Arg::Int(-1), "t").is_err());
        assert!(timeout(Arg::Double(f64::NAN), "t").is_err());
        assert!(timeout(Arg::Wide(&w("100")), "t").is_err());
        assert!(flag(Arg::Bool(false), "f").is_ok_and(|b| !b));
        assert!(flag(Arg::Int(1), "f").unwrap());
        assert!(!flag(Arg::Double(0.0), "f").unwrap());
        assert!(flag(Arg::Wide(&w("Да")), "f").is_err());
        assert!(flag(Arg::Empty, "f").is_err());
    }

    #[test]
    fn text_is_checked() {
        assert_eq!(text(Arg::Wide(&w("getCard")), "m").unwrap(), "getCard");
        assert!(text(Arg::Wide(&[0xDC00]), "m").is_err());
        assert!(text(Arg::Bool(true), "m").is_err());
        assert!(text(Arg::Empty, "m").is_err());
    }
}
