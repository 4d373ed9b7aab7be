//! `GET /c/{cardId}[/apple|/google|/qr]`: a tiny HTML page standing for the card download page.

use crate::http::Reply;
use crate::state::State;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The page of the card a `/c/...` path names (404 page when there is none).
pub fn render(s: &State, path: &str) -> Reply {
    let id = path.trim_start_matches("/c/").split('/').next().unwrap_or("");
    let Some(c) = s.cards.iter().find(|c| c.id == id) else {
        return Reply::html(404, "<html><body><h1>Card not found</h1></body></html>".into());
    };
    let title = s.template(&c.template_id).map(|t| t.title.clone()).unwrap_or_default();
    let mut rows = String::new();
    for (k, v) in &c.values {
        rows.push_str(&format!("<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(v)));
    }
    Reply::html(
        200,
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head><body>\
             <h1>{t}</h1><p>Card <b>{code}</b> ({id}) &mdash; Passteam sandbox</p><table>{rows}</table></body></html>",
            t = esc(&title),
            code = esc(&c.code),
            id = esc(&c.id),
        ),
    )
}
