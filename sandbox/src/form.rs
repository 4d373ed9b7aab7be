//! Request parameters: query string + body (multipart/form-data or application/x-www-form-urlencoded),
//! flat as received, and decoded PHP-style (`values[%PHONE%]=x`, `products[0][name]=x`) into nested values.

use bytes::Bytes;
use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    Multipart,
    Urlencoded,
    None,
    Other,
}

impl BodyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BodyKind::Multipart => "multipart",
            BodyKind::Urlencoded => "urlencoded",
            BodyKind::None => "none",
            BodyKind::Other => "other",
        }
    }
}

pub struct Params {
    pub kind: BodyKind,
    /// Query pairs first, then body pairs, in order.
    pub flat: Vec<(String, String)>,
    /// The body could not be decoded.
    pub error: Option<String>,
    pub nested: Map<String, Value>,
}

impl Params {
    pub fn parse(content_type: Option<&str>, body: &[u8], query: &str) -> Params {
        let mut flat: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let mut error = None;
        let mime = content_type.map(|c| c.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
        let kind = match mime.as_deref() {
            Some("multipart/form-data") => BodyKind::Multipart,
            Some("application/x-www-form-urlencoded") => BodyKind::Urlencoded,
            None | Some("") if body.is_empty() => BodyKind::None,
            _ => BodyKind::Other,
        };
        match kind {
            BodyKind::Urlencoded => flat.extend(form_urlencoded::parse(body).into_owned()),
            BodyKind::Multipart => match parse_multipart(content_type.unwrap_or(""), body) {
                Ok(pairs) => flat.extend(pairs),
                Err(e) => error = Some(format!("Malformed multipart/form-data body: {e}")),
            },
            // JSON and other bodies are not read: the real API is not known to accept them.
            BodyKind::None | BodyKind::Other => {}
        }
        let nested = decode_nested(&flat);
        Params { kind, flat, error, nested }
    }

    /// The last value of a flat key (PHP semantics: the last one wins).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.flat.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// A parameter that is present and not blank.
    pub fn get_nonempty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.trim().is_empty())
    }
}

/// multer is async-only; the body is already in memory, so a one-item stream driven by
/// `futures_executor::block_on` parses it without any runtime.
fn parse_multipart(content_type: &str, body: &[u8]) -> Result<Vec<(String, String)>, String> {
    let boundary = multer::parse_boundary(content_type).map_err(|e| e.to_string())?;
    let bytes = Bytes::copy_from_slice(body);
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(bytes) });
    let mut mp = multer::Multipart::new(stream, boundary);
    futures_executor::block_on(async move {
        let mut out = Vec::new();
        while let Some(field) = mp.next_field().await.map_err(|e| e.to_string())? {
            let name = field.name().unwrap_or("").to_string();
            let text = field.text().await.map_err(|e| e.to_string())?;
            out.push((name, text));
        }
        Ok(out)
    })
}

enum Node {
    Leaf(String),
    Branch(Vec<(String, Node)>),
}

/// Splits `a[b][c]` into `("a", ["b", "c"])` as PHP does; a key without a well-formed bracket part is
/// taken whole.
fn split_key(key: &str) -> (String, Vec<String>) {
    let Some(open) = key.find('[') else {
        return (key.to_string(), Vec::new());
    };
    if open == 0 {
        return (key.to_string(), Vec::new());
    }
    let base = key[..open].to_string();
    let mut segs = Vec::new();
    let mut rest = &key[open..];
    while let Some(r) = rest.strip_prefix('[') {
        match r.find(']') {
            Some(close) => {
                segs.push(r[..close].to_string());
                rest = &r[close + 1..];
            }
            None => break,
        }
    }
    if segs.is_empty() {
        return (key.to_string(), Vec::new());
    }
    (base, segs)
}

fn next_index(branch: &[(String, Node)]) -> String {
    let max = branch.iter().filter_map(|(k, _)| k.parse::<usize>().ok()).max();
    match max {
        Some(m) => (m + 1).to_string(),
        None => "0".to_string(),
    }
}

fn insert(branch: &mut Vec<(String, Node)>, segs: &[String], value: String) {
    let key = if segs[0].is_empty() { next_index(branch) } else { segs[0].clone() };
    let pos = branch.iter().position(|(k, _)| *k == key);
    if segs.len() == 1 {
        match pos {
            Some(p) => branch[p].1 = Node::Leaf(value),
            None => branch.push((key, Node::Leaf(value))),
        }
        return;
    }
    let p = match pos {
        Some(p) => {
            if !matches!(branch[p].1, Node::Branch(_)) {
                branch[p].1 = Node::Branch(Vec::new());
            }
            p
        }
        None => {
            branch.push((key, Node::Branch(Vec::new())));
            branch.len() - 1
        }
    };
    if let Node::Branch(child) = &mut branch[p].1 {
        insert(child, &segs[1..], value);
    }
}

fn to_value(node: Node) -> Value {
    match node {
        Node::Leaf(s) => Value::String(s),
        Node::Branch(items) => {
            let all_indexes = !items.is_empty() && items.iter().all(|(k, _)| k.parse::<usize>().is_ok());
            if all_indexes {
                let mut items: Vec<(usize, Node)> =
                    items.into_iter().map(|(k, n)| (k.parse::<usize>().unwrap_or(0), n)).collect();
                items.sort_by_key(|(i, _)| *i);
                Value::Array(items.into_iter().map(|(_, n)| to_value(n)).collect())
            } else {
                Value::Object(items.into_iter().map(|(k, n)| (k, to_value(n))).collect())
            }
        }
    }
}

/// PHP-style decoding of bracket keys into nested objects/arrays. Every leaf is a string.
pub fn decode_nested(flat: &[(String, String)]) -> Map<String, Value> {
    let mut root: Vec<(String, Node)> = Vec::new();
    for (k, v) in flat {
        let (base, mut segs) = split_key(k);
        segs.insert(0, base);
        insert(&mut root, &segs, v.clone());
    }
    root.into_iter().map(|(k, n)| (k, to_value(n))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn nested_values_and_arrays() {
        let m = decode_nested(&pairs(&[
            ("templateId", "t"),
            ("values[%PHONE%]", "+7"),
            ("values[%BONUS%]", "5"),
            ("products[0][name]", "A"),
            ("products[0][price]", "1"),
            ("products[1][name]", "B"),
            ("tags[]", "x"),
            ("tags[]", "y"),
            ("a[b][c]", "d"),
            ("odd[", "e"),
        ]));
        assert_eq!(m["templateId"], "t");
        assert_eq!(m["values"]["%PHONE%"], "+7");
        assert_eq!(m["values"]["%BONUS%"], "5");
        assert_eq!(m["products"][0]["name"], "A");
        assert_eq!(m["products"][0]["price"], "1");
        assert_eq!(m["products"][1]["name"], "B");
        assert_eq!(m["tags"], serde_json::json!(["x", "y"]));
        assert_eq!(m["a"]["b"]["c"], "d");
        assert_eq!(m["odd["], "e");
    }

    #[test]
    fn urlencoded_and_multipart_agree() {
        let u = Params::parse(
            Some("application/x-www-form-urlencoded"),
            b"templateId=t&values%5B%25PHONE%25%5D=%2B79001234567",
            "",
        );
        let body = "--XX\r\nContent-Disposition: form-data; name=\"templateId\"\r\n\r\nt\r\n--XX\r\n\
                    Content-Disposition: form-data; name=\"values[%PHONE%]\"\r\n\r\n+79001234567\r\n--XX--\r\n";
        let m = Params::parse(Some("multipart/form-data; boundary=XX"), body.as_bytes(), "");
        assert!(m.error.is_none(), "{:?}", m.error);
        assert_eq!(u.flat, m.flat);
        assert_eq!(u.nested, m.nested);
        assert_eq!(m.kind, BodyKind::Multipart);
    }
}
