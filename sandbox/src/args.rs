//! Reading request parameters the way every handler needs them, with the 400 when they are wrong.

use serde_json::Value;

use crate::envelope::{bad, ApiErr};
use crate::form::Params;
use crate::state;

/// All of `keys` present and not blank.
pub fn require(p: &Params, keys: &[&str]) -> Result<(), ApiErr> {
    let missing: Vec<&str> = keys.iter().copied().filter(|k| p.get_nonempty(k).is_none()).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(bad(format!("Missing required parameter(s): {}", missing.join(", "))))
    }
}

/// A required parameter, trimmed.
pub fn req<'a>(p: &'a Params, key: &str) -> Result<&'a str, ApiErr> {
    p.get_nonempty(key).map(str::trim).ok_or_else(|| bad(format!("Missing required parameter(s): {key}")))
}

/// An optional positive integer (`page`, `perPage`).
pub fn positive(p: &Params, key: &str, default: u64) -> Result<u64, ApiErr> {
    match p.get_nonempty(key) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(bad(format!("Parameter ({key}) must be a positive integer, got ({v})"))),
        },
    }
}

/// An optional number, as a JSON number.
pub fn number(p: &Params, key: &str) -> Result<Option<Value>, ApiErr> {
    match p.get_nonempty(key) {
        None => Ok(None),
        Some(v) => state::parse_number(v)
            .map(|n| Some(state::number_value(n)))
            .ok_or_else(|| bad(format!("Parameter ({key}) must be a number, got ({v})"))),
    }
}

/// `values[%NAME%]=v` pairs, in the order sent.
pub fn values(p: &Params) -> Result<Vec<(String, String)>, ApiErr> {
    match p.nested.get("values") {
        None => Ok(Vec::new()),
        Some(Value::Object(m)) => {
            let mut out = Vec::new();
            // keep the order of the flat pairs (the map is sorted)
            let mut seen = std::collections::HashSet::new();
            for (k, _) in &p.flat {
                if let Some(rest) = k.strip_prefix("values[") {
                    let name = rest.split(']').next().unwrap_or("");
                    if seen.insert(name.to_string()) {
                        match m.get(name) {
                            Some(Value::String(s)) => out.push((name.to_string(), s.clone())),
                            Some(_) => {
                                return Err(bad(format!(
                                    "Provided value of field ({name}) must be a plain value"
                                )))
                            }
                            None => {}
                        }
                    }
                }
            }
            Ok(out)
        }
        Some(_) => Err(bad("Parameter (values) must be sent as values[%NAME%]=value")),
    }
}
