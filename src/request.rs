//! Turning a caller's JSON parameters into what goes on the wire.
//!
//! Two steps: [`prepare`] checks the parameters against the method table (required ones, types,
//! the one-of lookups) and normalises them (`values` keys to `%NAME%`, numbers and booleans to text);
//! [`form_fields`] flattens the result into PHP-style bracket fields (`values[%PHONE%]`, `products[0][name]`)
//! for a real form encoder. Parameters the table does not know pass through untouched.
//!
//! The one rule for "absent" and "empty", the same in every host: `null` (Python's `None`, Go's `nil`,
//! 1C's `Неопределено`) means **not sent**, at the top level and inside `values`, so optional fields can
//! be passed blindly and never clear anything. To clear, say so: `""` clears a variable (`values[%X%]=`),
//! `[]` clears a list (`products=`, an empty field, which PHP reads as an empty value). An empty object
//! (`values: {}`) sends nothing: there is no variable to change.

use crate::error::{Error, Result};
use crate::methods::{Method, ParamType};
use serde_json::{Map, Value};

/// The most values (keys, array items and scalars, at every level) one call's parameters may hold.
pub(crate) const MAX_PARAM_VALUES: usize = 10_000;
/// The deepest nesting of one call's parameters.
pub(crate) const MAX_PARAM_DEPTH: usize = 16;
/// The most bytes of text (keys and strings) in one call's parameters.
pub(crate) const MAX_PARAM_BYTES: usize = 1 << 20;

/// Checks `params` against the table entry of `method` and returns the normalised parameters.
pub fn prepare(method: &Method, params: &Map<String, Value>) -> Result<Map<String, Value>> {
    check_size(method, params)?;
    let mut out = Map::with_capacity(params.len());
    for (name, value) in params {
        if value.is_null() {
            continue; // null means "not given", so hosts can pass optional fields blindly
        }
        let normalised = match method.param(name) {
            Some(param) => check_type(method, name, param.ty, value)?,
            None => value.clone(),
        };
        out.insert(name.clone(), normalised);
    }
    for param in method.params.iter().filter(|p| p.required) {
        if !is_given(&out, param.name) {
            return Err(Error::validation(
                param.name,
                format!("{}: the parameter {} is required", method.name, param.name),
            ));
        }
    }
    if !method.one_of.is_empty() && !method.one_of.iter().any(|group| group.iter().all(|p| is_given(&out, p)))
    {
        let choices: Vec<String> = method.one_of.iter().map(|g| g.join(" + ")).collect();
        return Err(Error::validation(
            method.one_of[0][0],
            format!("{}: give one of: {}", method.name, choices.join("; ")),
        ));
    }
    Ok(out)
}

/// Bounds the parameters before any work is done on them: preparing a million keys would take longer
/// than a short timeout_ms, and nothing Passteam accepts is that large.
pub(crate) fn check_size(method: &Method, params: &Map<String, Value>) -> Result<()> {
    let too_big = |what: String| {
        Error::validation("params", format!("{}: the parameters are too large: {what}", method.name))
    };
    if params.len() > MAX_PARAM_VALUES {
        return Err(too_big(format!("more than {MAX_PARAM_VALUES} values")));
    }
    let (mut values, mut bytes) = (0usize, 0usize);
    let mut stack: Vec<(&Value, usize)> = Vec::new();
    for (key, value) in params {
        bytes += key.len();
        stack.push((value, 1));
    }
    values += params.len();
    while let Some((value, depth)) = stack.pop() {
        if depth > MAX_PARAM_DEPTH {
            return Err(too_big(format!("they nest deeper than {MAX_PARAM_DEPTH} levels")));
        }
        match value {
            Value::String(s) => bytes += s.len(),
            Value::Array(items) => {
                values += items.len();
                stack.extend(items.iter().map(|v| (v, depth + 1)));
            }
            Value::Object(map) => {
                values += map.len();
                bytes += map.keys().map(String::len).sum::<usize>();
                stack.extend(map.values().map(|v| (v, depth + 1)));
            }
            _ => {}
        }
        if values > MAX_PARAM_VALUES {
            return Err(too_big(format!("more than {MAX_PARAM_VALUES} values")));
        }
        if bytes > MAX_PARAM_BYTES {
            return Err(too_big(format!("more than {MAX_PARAM_BYTES} bytes of text")));
        }
    }
    if values > MAX_PARAM_VALUES {
        return Err(too_big(format!("more than {MAX_PARAM_VALUES} values")));
    }
    if bytes > MAX_PARAM_BYTES {
        return Err(too_big(format!("more than {MAX_PARAM_BYTES} bytes of text")));
    }
    Ok(())
}

fn is_given(params: &Map<String, Value>, name: &str) -> bool {
    match params.get(name) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

fn check_type(method: &Method, name: &str, ty: ParamType, value: &Value) -> Result<Value> {
    let wrong = |expected: &str| {
        Error::validation(
            name,
            format!("{}: the parameter {name} must be {expected}, not {}", method.name, kind_of(value)),
        )
    };
    match ty {
        ParamType::Text => match value {
            Value::String(_) => Ok(value.clone()),
            Value::Number(n) => Ok(Value::String(n.to_string())),
            _ => Err(wrong("a string")),
        },
        ParamType::Integer => match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(value.clone()),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => Ok(Value::String(s.trim().to_owned())),
            _ => Err(wrong("an integer")),
        },
        ParamType::Number => match value {
            Value::Number(_) => Ok(value.clone()),
            Value::String(s) if s.trim().parse::<f64>().map(f64::is_finite).unwrap_or(false) => {
                Ok(Value::String(s.trim().to_owned()))
            }
            _ => Err(wrong("a number")),
        },
        ParamType::OneOf(words) => match value.as_str() {
            Some(s) if words.contains(&s) => Ok(value.clone()),
            _ => Err(Error::validation(
                name,
                format!("{}: the parameter {name} must be one of {}", method.name, words.join(", ")),
            )),
        },
        ParamType::Values => match value {
            Value::Object(map) => normalise_values(method, name, map).map(Value::Object),
            _ => Err(wrong("an object of variables, e.g. {\"PHONE\": \"+79990000000\"}")),
        },
        ParamType::ObjectList => match value {
            Value::Array(items) if items.iter().all(Value::is_object) => Ok(value.clone()),
            _ => Err(wrong("an array of objects")),
        },
    }
}

/// `PHONE`, `%PHONE%` and `%PHONE` all become `%PHONE%`; scalars become text.
fn normalise_values(method: &Method, param: &str, map: &Map<String, Value>) -> Result<Map<String, Value>> {
    let mut out = Map::with_capacity(map.len());
    for (key, value) in map {
        let name = variable_key(key).ok_or_else(|| {
            Error::validation(param, format!("{}: a variable name in {param} is empty", method.name))
        })?;
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => continue, // not sent: "" is the way to clear a variable
            _ => {
                return Err(Error::validation(
                    param,
                    format!("{}: the variable {name} must be text, a number or a boolean", method.name),
                ))
            }
        };
        out.insert(name, Value::String(text));
    }
    Ok(out)
}

/// The wire form of a variable name: `%NAME%`. `None` for an empty name.
pub fn variable_key(name: &str) -> Option<String> {
    let bare = name.trim().trim_matches('%');
    if bare.is_empty() {
        None
    } else {
        Some(format!("%{bare}%"))
    }
}

/// Flattens parameters into form fields with PHP-style brackets, in a stable order.
pub fn form_fields(params: &Map<String, Value>) -> Vec<(String, String)> {
    let mut fields = Vec::with_capacity(params.len() + 8);
    for (key, value) in params {
        flatten_into(key.clone(), value, &mut fields);
    }
    fields
}

fn flatten_into(prefix: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(s) => out.push((prefix, s.clone())),
        Value::Bool(b) => out.push((prefix, b.to_string())),
        Value::Number(n) => out.push((prefix, n.to_string())),
        // An empty list is sent as an empty field, so that a list can be cleared.
        Value::Array(items) if items.is_empty() => out.push((prefix, String::new())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten_into(format!("{prefix}[{i}]"), item, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten_into(format!("{prefix}[{k}]"), v, out);
            }
        }
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::find;
    use crate::Status;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn values_are_normalised_and_flattened() {
        let m = find("createcard").unwrap();
        let p = prepare(m, &obj(json!({"templateId": "t1", "values": {"PHONE": "+79990001122", "%BONUS%": 7500, "%VIP": true}}))).unwrap();
        let fields = form_fields(&p);
        assert!(fields.contains(&("values[%PHONE%]".into(), "+79990001122".into())));
        assert!(fields.contains(&("values[%BONUS%]".into(), "7500".into())));
        assert!(fields.contains(&("values[%VIP%]".into(), "true".into())));
        assert!(fields.contains(&("templateId".into(), "t1".into())));
    }

    #[test]
    fn unknown_params_pass_through_with_brackets() {
        let m = find("updatesale").unwrap();
        let p = prepare(
            m,
            &obj(json!({"id": "s", "products": [{"_id": "p", "quantity": 2}], "extra": {"a": [1, false]}})),
        )
        .unwrap();
        let fields = form_fields(&p);
        assert!(fields.contains(&("products[0][_id]".into(), "p".into())));
        assert!(fields.contains(&("products[0][quantity]".into(), "2".into())));
        assert!(fields.contains(&("extra[a][0]".into(), "1".into())));
        assert!(fields.contains(&("extra[a][1]".into(), "false".into())));
    }

    #[test]
    fn oversized_params_are_refused_quickly() {
        let m = find("getcard").unwrap();
        let many: Map<String, Value> = (0..1_000_000).map(|i| (format!("k{i}"), Value::from(1))).collect();
        let started = std::time::Instant::now();
        let e = prepare(m, &many).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_millis(50), "{:?}", started.elapsed());
        assert_eq!(e.status, Status::Validation);
        assert!(e.message.contains("more than 10000 values"), "{}", e.message);
        let mut deep = json!("x");
        for _ in 0..20 {
            deep = json!([deep]);
        }
        let e = prepare(m, &obj(json!({"cardId": "c", "extra": deep}))).unwrap_err();
        assert!(e.message.contains("deeper than 16"), "{}", e.message);
        let e = prepare(m, &obj(json!({"cardId": "x".repeat(2 << 20)}))).unwrap_err();
        assert!(e.message.contains("bytes of text"), "{}", e.message);
        assert!(prepare(m, &obj(json!({"cardId": "c", "extra": {"a": [1, 2, {"b": "c"}]}}))).is_ok());
    }

    #[test]
    fn required_and_types_are_checked() {
        let m = find("createcard").unwrap();
        let e = prepare(m, &obj(json!({"values": {}}))).unwrap_err();
        assert_eq!(e.status, Status::Validation);
        assert_eq!(e.details["field"], "templateId");
        let e = prepare(m, &obj(json!({"templateId": ["x"]}))).unwrap_err();
        assert!(e.message.contains("must be a string"), "{}", e.message);
        let e =
            prepare(find("distribute").unwrap(), &obj(json!({"cardId": "c", "type": "fax"}))).unwrap_err();
        assert!(e.message.contains("sms, email"));
        let e = prepare(find("getcard").unwrap(), &obj(json!({"templateId": "t"}))).unwrap_err();
        assert!(e.message.contains("cardId; cardCode; templateId + values"), "{}", e.message);
        assert!(prepare(find("getcard").unwrap(), &obj(json!({"cardCode": 123}))).is_ok());
        let e =
            prepare(find("getcardswithpagination").unwrap(), &obj(json!({"templateId": "t", "page": "two"})))
                .unwrap_err();
        assert!(e.message.contains("integer"));
    }

    /// Issue 10, item 6: null is "not sent" everywhere; "" clears a variable, [] clears a list.
    #[test]
    fn null_is_not_sent_and_clearing_is_explicit() {
        let m = find("updatecard").unwrap();
        let p = prepare(m, &obj(json!({"cardId": "c", "values": {"BONUS": null, "NOTE": "", "VIP": false}})))
            .unwrap();
        let fields = form_fields(&p);
        assert!(!fields.iter().any(|(k, _)| k == "values[%BONUS%]"), "{fields:?}");
        assert!(fields.contains(&("values[%NOTE%]".into(), String::new())));
        assert!(fields.contains(&("values[%VIP%]".into(), "false".into())));
        let m = find("updatesale").unwrap();
        let p = prepare(m, &obj(json!({"id": "s", "products": [], "title": null, "extra": {}}))).unwrap();
        assert_eq!(
            form_fields(&p),
            [("id".to_owned(), "s".to_owned()), ("products".to_owned(), String::new())]
        );
    }
}
