//! Which API operation a path names and which verbs it takes.
//!
//! Deliberately written from the vendor's documentation and NOT derived from the client's method table
//! (`src/methods.rs`): an emulator generated from the client would agree with any mistake in it, and the
//! client's path and verb tests would become tautologies.

/// The oapi methods (`POST /oapi/v1/{name}`), lower case.
pub const OAPI_METHODS: &[&str] = &[
    "getatoken",
    "getlisttemplates",
    "gettemplate",
    "createcard",
    "getcard",
    "updatecard",
    "getcardswithpagination",
    "checkvariablevalue",
    "distribute",
    "deletecard",
    "updatecards",
    "gettemplates",
    "getcards",
    "sendpush",
];

/// The REST operations (`/oapi/v1/{op}` with several verbs).
pub const REST_OPS: &[&str] = &["sale", "product", "products"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// A known oapi method, lower case.
    Oapi(String),
    /// `sale`, `product` or `products`.
    Rest(String),
    /// `/oapi/v1/<unknown>`.
    UnknownMethod(String),
    /// Any other path.
    NotFound,
}

/// Routes a path (without query) and gives the `method` recorded in the request log.
pub fn route(path: &str) -> (Route, String) {
    let trimmed = path.trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    if let Some(name) = lower.strip_prefix("/oapi/v1/") {
        if !name.is_empty() && !name.contains('/') {
            if OAPI_METHODS.contains(&name) {
                return (Route::Oapi(name.to_string()), name.to_string());
            }
            if REST_OPS.contains(&name) {
                return (Route::Rest(name.to_string()), lower.clone());
            }
            return (Route::UnknownMethod(name.to_string()), name.to_string());
        }
    }
    (Route::NotFound, lower)
}

/// The verbs a REST operation accepts.
pub fn rest_verbs(op: &str) -> &'static [&'static str] {
    match op {
        "sale" => &["GET", "PUT", "DELETE"],
        "product" => &["POST", "PUT", "DELETE"],
        _ => &["POST", "GET"],
    }
}
