//! Words for people, derived from a table entry: the parameter list and the doc paragraph every
//! generated binding (C export, Rust function) carries.

use passteam::methods::{Kind, Param, ParamType};
use passteam::Method;

/// `"name"`, with the allowed words of a one-of type and `?` when optional: `"type" (sms|email)`.
fn param(p: &Param) -> String {
    let mut text = format!("\"{}\"", p.name);
    if let ParamType::OneOf(words) = p.ty {
        text.push_str(&format!(" ({})", words.join("|")));
    }
    if !p.required {
        text.push('?');
    }
    text
}

/// The parameters as JSON-ish text: `{"templateId", "values"?}`, or the lookup alternatives
/// `{"cardId"} or {"cardCode"} or {"templateId", "values"}` plus the rest, or `none`.
pub fn params(m: &Method) -> String {
    if m.params.is_empty() {
        return "none".to_owned();
    }
    if m.one_of.is_empty() {
        return format!("{{{}}}", m.params.iter().map(param).collect::<Vec<_>>().join(", "));
    }
    let groups: Vec<String> = m
        .one_of
        .iter()
        .map(|group| {
            format!("{{{}}}", group.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "))
        })
        .collect();
    let in_a_group = |p: &&Param| m.one_of.iter().any(|g| g.contains(&p.name));
    let rest: Vec<String> = m.params.iter().filter(|p| !in_a_group(p)).map(param).collect();
    let mut text = groups.join(" or ");
    if !rest.is_empty() {
        text.push_str(&format!(", plus {}", rest.join(", ")));
    }
    text
}

/// The README's short parameter column: `templateId, [values], [cardCode]`; lookups as `a \| b`.
pub fn params_short(m: &Method) -> String {
    let plain = |p: &Param| if p.required { p.name.to_owned() } else { format!("[{}]", p.name) };
    if m.params.is_empty() {
        return "—".to_owned();
    }
    if m.one_of.is_empty() {
        return m.params.iter().map(plain).collect::<Vec<_>>().join(", ");
    }
    let groups: Vec<String> = m.one_of.iter().map(|g| g.join(" + ")).collect();
    let rest: Vec<String> =
        m.params.iter().filter(|p| !m.one_of.iter().any(|g| g.contains(&p.name))).map(plain).collect();
    let mut text = groups.join(" \\| ");
    if !rest.is_empty() {
        text.push_str(&format!("; {}", rest.join(", ")));
    }
    text
}

/// The doc paragraph of an operation, unwrapped: what it does, its parameters, its result, and the
/// resend rule when it has side effects.
pub fn paragraph(m: &Method) -> String {
    let mut text = format!("`{}`: {} Params: {}. Result: {}.", m.name, m.summary, params(m), m.result);
    if !m.idempotent && m.kind != Kind::Scenario {
        text.push_str(
            " Never resent automatically once it may have reached the server (see \"outcome\": \"unknown\").",
        );
    }
    text
}

/// Wraps text into lines of at most `width` characters (words are never split).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A `///` doc comment, wrapped for rustfmt's 110 columns.
pub fn doc_comment(text: &str) -> String {
    wrap(text, 102).into_iter().map(|l| format!("/// {l}\n")).collect()
}
