//! The config keys for people, from the config schema (`passteam::config_schema_json`, declared once in
//! `src/config_json.rs`): the README's table (`<!-- generated:config -->`) and the key list in the doc
//! comment of `passteam_client_new` (between `// generated:config-keys` lines in `src/ffi/exports.rs`,
//! which cbindgen copies into the header).

use crate::describe::wrap;
use serde_json::Value;

/// One key of the schema, as the generator reads it.
pub struct Key {
    pub name: String,
    /// What a value must be: "an integer of at least 1", "\"bundled\" or \"system\"".
    pub expected: String,
    pub doc: String,
    /// `None`: no default (the value is absent, the feature off).
    pub default: Option<String>,
}

/// The config's keys in the schema's order.
pub fn keys() -> Vec<Key> {
    let schema = passteam::config_schema_json();
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    schema["keys"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|k| Key {
            name: text(&k["name"]),
            expected: text(&k["expected"]),
            doc: text(&k["doc"]),
            default: match &k["default"] {
                Value::Null => None,
                Value::String(s) => Some(format!("\"{s}\"")),
                other => Some(other.to_string()),
            },
        })
        .collect()
}

/// The README's table: key, value, default, meaning.
pub fn readme_table(keys: &[Key]) -> String {
    let mut out = String::from("\n| key | value | default | meaning |\n|---|---|---|---|\n");
    for k in keys {
        let default = k.default.as_deref().map_or("—".to_owned(), |d| format!("`{}`", d.trim_matches('"')));
        let cell = |s: &str| s.replace('|', "\\|");
        out.push_str(&format!("| `{}` | {} | {default} | {} |\n", k.name, cell(&k.expected), cell(&k.doc)));
    }
    out
}

/// The key list of `passteam_client_new`'s doc comment: one `/// - name (default ...): doc` entry per key,
/// wrapped for rustfmt's 110 columns.
pub fn client_new_doc(keys: &[Key]) -> String {
    let mut out = String::new();
    for k in keys {
        let default = k.default.as_deref().map_or("default none".to_owned(), |d| format!("default {d}"));
        let entry = format!("- {} ({}; {default}): {}", k.name, k.expected, k.doc);
        for (i, line) in wrap(&entry, 100).into_iter().enumerate() {
            let indent = if i == 0 { "" } else { "  " };
            out.push_str(&format!("/// {indent}{line}\n"));
        }
    }
    out
}

/// Replaces the lines between `// generated:NAME` and `// /generated:NAME` (the marker lines stay).
pub fn replace_lines(text: &str, file: &str, name: &str, body: &str) -> Result<String, String> {
    let open = format!("// generated:{name}");
    let close = format!("// /generated:{name}");
    let missing = |marker: &str| format!("{file} has no `{marker}` line");
    let start = text.find(&open).ok_or_else(|| missing(&open))?;
    let after_open = start + text[start..].find('\n').ok_or_else(|| missing(&open))? + 1;
    let end = text[after_open..].find(&close).ok_or_else(|| missing(&close))? + after_open;
    // The closing marker keeps its own indentation: cut back to the start of its line.
    let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    Ok(format!("{}{body}{}", &text[..after_open], &text[line_start..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_key_is_in_both_lists_with_its_default() {
        let keys = keys();
        assert!(keys.len() >= 20);
        let table = readme_table(&keys);
        let doc = client_new_doc(&keys);
        for k in &keys {
            assert!(table.contains(&format!("| `{}` |", k.name)), "{}", k.name);
            assert!(doc.contains(&format!("/// - {} (", k.name)), "{}", k.name);
        }
        assert!(table.contains("| `timeout_ms` | an integer of at least 1 | `30000` |"), "{table}");
        assert!(doc.contains("- token (a string; default none): "), "{doc}");
        assert!(doc.lines().all(|l| l.len() <= 110), "{doc}");
    }

    #[test]
    fn lines_between_markers_are_replaced_and_the_rest_kept() {
        let text = "a\n/// x\n// generated:k (note)\n/// old\n// /generated:k\n/// y\n";
        let out = replace_lines(text, "f.rs", "k", "/// new\n").unwrap();
        assert_eq!(out, "a\n/// x\n// generated:k (note)\n/// new\n// /generated:k\n/// y\n");
        assert!(replace_lines("no markers", "f.rs", "k", "").unwrap_err().contains("f.rs"));
    }
}
