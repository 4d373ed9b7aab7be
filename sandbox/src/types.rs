//! The variable types the emulator enforces, with the client library's own checks (issue 15): the
//! real service validates phones with Google's libphonenumber, and so does `passteam::validation`, so
//! the emulator refuses exactly what the client would have refused and accepts what it normalised.
//!
//! Only the type checks come from the passteam crate; the emulator's protocol (router, forms, replies)
//! stays independent of the client's method table, so that the tests keep testing the client against
//! something it did not write.

use passteam::validation::{dates, email, phone};

/// An international number (`+` and a country code, as the service requires) that libphonenumber
/// judges valid; spaces and dashes may separate its digits.
pub fn valid_phone(value: &str) -> bool {
    canonical_phone(value).is_some()
}

/// The E.164 form compared for uniqueness and look-ups (`+7 916 123-45-67` → `+79161234567`).
pub fn canonical_phone(value: &str) -> Option<String> {
    let v = value.trim();
    if !v.starts_with('+') {
        return None;
    }
    phone::normalize(v, "RU").ok()
}

pub fn valid_email(value: &str) -> bool {
    email::problem(value.trim()).is_none()
}

/// A real date (and time) written exactly in the field's `dateStyle`.
pub fn valid_date(value: &str, style: &str) -> bool {
    dates::parse_in_style(value.trim(), style).is_some()
}

/// Loads the phone metadata off the request path, so the first phone check is not slow.
pub fn warm_up() {
    let _ = phone::normalize("+79123456789", "RU");
}
