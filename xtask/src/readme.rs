//! The README's generated sections, each between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`:
//! `methods` (the table), `exports` (the per-operation C exports), `retried` and `never-resent` (the
//! retry rule's two lists), `config` (the config keys, from the schema). The text around them is hand-written and kept as it is.

use crate::describe::params_short;
use passteam::methods::Kind;
use passteam::{Method, METHODS};

pub fn splice(readme: &str, frozen: &[&Method], config_table: &str) -> Result<String, String> {
    let mut text = readme.to_owned();
    text = replace_section(&text, "config", config_table)?;
    text = replace_section(&text, "methods", &method_table())?;
    let exports: Vec<String> = frozen.iter().map(|m| format!("`{}`", m.export_name())).collect();
    text = replace_section(&text, "exports", &exports.join(", "))?;
    let retried: Vec<&Method> = METHODS.iter().filter(|m| m.kind != Kind::Scenario && m.idempotent).collect();
    text = replace_section(&text, "retried", &names(&retried, ", "))?;
    let once: Vec<&Method> = METHODS.iter().filter(|m| m.kind != Kind::Scenario && !m.idempotent).collect();
    text = replace_section(&text, "never-resent", &names(&once, " and "))?;
    Ok(text)
}

/// `` `a`, `b` and `c` `` (or with `last` = ", " a plain list).
fn names(methods: &[&Method], last: &str) -> String {
    let quoted: Vec<String> = methods.iter().map(|m| format!("`{}`", m.name)).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((only, [])) => only.clone(),
        Some((tail, head)) => format!("{}{last}{tail}", head.join(", ")),
    }
}

fn method_table() -> String {
    let mut out = String::from("\n| operation | verb, path | parameters | idempotent |\n|---|---|---|---|\n");
    for m in METHODS {
        let mut name = format!("`{}`", m.name);
        if m.deprecated {
            name.push_str(" (deprecated)");
        }
        let place = match m.kind {
            Kind::Scenario => {
                name.push_str(" (scenario)");
                "several calls (see Reliability)".to_owned()
            }
            _ => format!("{} `{}`", m.verb.as_str(), m.path),
        };
        let idempotent = if m.idempotent { "yes" } else { "**no**" };
        out.push_str(&format!("| {name} | {place} | {} | {idempotent} |\n", params_short(m)));
    }
    out
}

fn replace_section(text: &str, name: &str, body: &str) -> Result<String, String> {
    let open = format!("<!-- generated:{name} -->");
    let close = format!("<!-- /generated:{name} -->");
    let start = text.find(&open).ok_or_else(|| format!("README.md has no {open} marker"))? + open.len();
    let end = text[start..].find(&close).ok_or_else(|| format!("README.md has no {close} marker"))? + start;
    Ok(format!("{}{body}{}", &text[..start], &text[end..]))
}
