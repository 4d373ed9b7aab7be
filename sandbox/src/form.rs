//! Request parameters: query string + body (multipart/form-data or application/x-www-form-urlencoded),
//! flat as received, and decoded PHP-style (`values[%PHONE%]=x`, `products[0][name]=x`) into nested values.

use std::collections::HashMap;

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
        let nested = match decode_nested(&flat) {
            Ok(nested) => nested,
            Err(e) => {
                error = error.or(Some(e));
                Map::new()
            }
        };
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

/// How deep a bracket key may nest (`a[b][c]` is 3 deep): PHP's default `max_input_nesting_level`. The
/// vendor's parameters nest at most 3 deep; the limit keeps a hostile key from costing more.
pub const MAX_NESTING: usize = 64;

enum Node {
    Leaf(String),
    Branch(Branch),
}

/// The children of a key, in the order first seen, with an index by key so that every insertion costs
/// the same however many siblings there are (80 000 `t[]` fields used to take 17 s).
#[derive(Default)]
struct Branch {
    items: Vec<(String, Node)>,
    position: HashMap<String, usize>,
    /// The index `[]` appends at: one past the largest integer key so far (PHP's rule), 0 at first.
    next_index: usize,
}

impl Branch {
    /// The position of `key`, adding it with `make()` when new.
    fn entry(&mut self, key: String, make: impl FnOnce() -> Node) -> usize {
        if let Some(&p) = self.position.get(&key) {
            return p;
        }
        if let Ok(n) = key.parse::<usize>() {
            self.next_index = self.next_index.max(n.saturating_add(1));
        }
        self.position.insert(key.clone(), self.items.len());
        self.items.push((key, make()));
        self.items.len() - 1
    }

    /// Stores `value` at the path `segs` below this branch: a loop, not a recursion, so the depth of a
    /// key never costs stack.
    fn insert(&mut self, segs: &[String], value: String) {
        let mut branch = self;
        let Some((last, inner)) = segs.split_last() else { return };
        for seg in inner {
            let key = if seg.is_empty() { branch.next_index.to_string() } else { seg.clone() };
            let p = branch.entry(key, || Node::Branch(Branch::default()));
            let slot = &mut branch.items[p].1;
            if matches!(slot, Node::Leaf(_)) {
                // `a=1&a[b]=2`: the later, deeper key wins, as in PHP.
                *slot = Node::Branch(Branch::default());
            }
            let Node::Branch(child) = slot else { return };
            branch = child;
        }
        let key = if last.is_empty() { branch.next_index.to_string() } else { last.clone() };
        let p = branch.entry(key, || Node::Leaf(String::new()));
        branch.items[p].1 = Node::Leaf(value);
    }
}

/// Splits `a[b][c]` into `("a", ["b", "c"])` as PHP does; a key without a well-formed bracket part is
/// taken whole. `Err` when it nests deeper than [`MAX_NESTING`] (noticed before reading the rest).
fn split_key(key: &str) -> Result<(String, Vec<String>), String> {
    let whole = || Ok((key.to_string(), Vec::new()));
    let Some(open) = key.find('[') else {
        return whole();
    };
    if open == 0 {
        return whole();
    }
    let base = key[..open].to_string();
    let mut segs = Vec::new();
    let mut rest = &key[open..];
    while let Some(r) = rest.strip_prefix('[') {
        match r.find(']') {
            Some(close) => {
                if segs.len() == MAX_NESTING - 1 {
                    let shown: String = key.chars().take(40).collect();
                    return Err(format!("Parameter key ({shown}...) nests deeper than {MAX_NESTING} levels"));
                }
                segs.push(r[..close].to_string());
                rest = &r[close + 1..];
            }
            None => break,
        }
    }
    if segs.is_empty() {
        return whole();
    }
    Ok((base, segs))
}

/// Depth is bounded by [`MAX_NESTING`], so this recursion is too.
fn to_value(node: Node) -> Value {
    match node {
        Node::Leaf(s) => Value::String(s),
        Node::Branch(b) => {
            let items = b.items;
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

/// PHP-style decoding of bracket keys into nested objects/arrays. Every leaf is a string. Linear in the
/// number of pairs; `Err` names a key nested deeper than [`MAX_NESTING`].
pub fn decode_nested(flat: &[(String, String)]) -> Result<Map<String, Value>, String> {
    let mut root = Branch::default();
    for (k, v) in flat {
        let (base, mut segs) = split_key(k)?;
        segs.insert(0, base);
        root.insert(&segs, v.clone());
    }
    Ok(root.items.into_iter().map(|(k, n)| (k, to_value(n))).collect())
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
        ]))
        .unwrap();
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

    #[test]
    fn appended_indexes_follow_the_largest_integer_key() {
        let m = decode_nested(&pairs(&[("t[5]", "a"), ("t[]", "b"), ("t[2]", "c"), ("t[]", "d")])).unwrap();
        assert_eq!(m["t"], serde_json::json!(["c", "a", "b", "d"]));
        let m = decode_nested(&pairs(&[("a", "1"), ("a[b]", "2"), ("x[y]", "3"), ("x", "4")])).unwrap();
        assert_eq!(m["a"]["b"], "2");
        assert_eq!(m["x"], "4");
    }

    #[test]
    fn nesting_is_limited_and_80_000_appends_decode_in_order() {
        let deep = format!("a{}", "[y]".repeat(MAX_NESTING - 1));
        assert!(decode_nested(&pairs(&[(&deep, "1")])).is_ok());
        let too_deep = format!("a{}", "[y]".repeat(MAX_NESTING));
        let e = decode_nested(&pairs(&[(&too_deep, "1")])).unwrap_err();
        assert!(e.contains("nests deeper than 64"), "{e}");
        let many: Vec<(String, String)> = (0..80_000).map(|i| ("t[]".to_string(), i.to_string())).collect();
        let m = decode_nested(&many).unwrap();
        let t = m["t"].as_array().unwrap();
        assert_eq!(t.len(), 80_000);
        assert_eq!(t[79_999], "79999");
    }
}
