//! E-mail addresses: the everyday form (`local@domain.tld`), checked before Passteam refuses it.
//!
//! Not the whole of RFC 5322 (quoted local parts, comments and IP-literal domains are refused): what a
//! card holder types at a till, and what Passteam can send mail to. Internationalised domains
//! (`почта@пример.рф`) are accepted.

/// Why an address was refused, or `None` when it is usable as it is.
pub fn problem(address: &str) -> Option<&'static str> {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Some("is not an e-mail address (no @)");
    };
    if local.is_empty() || local.len() > 64 {
        return Some("is not an e-mail address (nothing, or too much, before the @)");
    }
    if local.contains('@') {
        return Some("is not one e-mail address (more than one @)");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some("is not an e-mail address (a dot at the start, the end, or twice before the @)");
    }
    if !local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)) {
        return Some("is not an e-mail address (a space or a character not allowed before the @)");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if domain.len() > 253 || labels.len() < 2 {
        return Some("is not an e-mail address (the domain after the @ needs a dot, as in mail.ru)");
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.chars().count() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if !labels.iter().all(label_ok) {
        return Some("is not an e-mail address (the domain after the @ is malformed)");
    }
    let top = labels.last().copied().unwrap_or_default();
    if top.chars().count() < 2 || top.chars().all(|c| c.is_ascii_digit()) {
        return Some("is not an e-mail address (the domain has no valid ending such as .ru)");
    }
    None
}

/// The address without the spaces a till adds around it; otherwise as typed (the domain's case is the
/// holder's business, and the part before the @ may be case-sensitive).
pub fn normalize(address: &str) -> String {
    address.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_addresses() {
        for ok in [
            "anna@example.com",
            "a.b+tag@mail.ru",
            "ivan_petrov@sub.domain.org",
            "почта@пример.рф",
            "x@xn--p1ai.xn--p1ai",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.com",
            "anna@example",
            "anna@@example.com",
            "an na@example.com",
            "anna@exa mple.com",
            ".anna@example.com",
            "anna.@example.com",
            "an..na@example.com",
            "anna@-example.com",
            "anna@example..com",
            "anna@example.c",
            "anna@example.123",
            "a@b@example.com",
            "anna@example.com.",
            "\"anna\"@example.com",
        ] {
            assert!(problem(bad).is_some(), "{bad:?} accepted");
        }
    }

    #[test]
    fn normalizing_trims_only() {
        assert_eq!(normalize("  Maria.S@Mail.Example.ORG "), "Maria.S@Mail.Example.ORG");
    }
}
