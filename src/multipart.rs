//! `multipart/form-data` bodies, rendered into one buffer.
//!
//! ureq's `Form` draws its boundary from the kernel (`getrandom`) on every request: one system call per
//! call for a value that only has to differ from the body's contents. The boundary here comes from a
//! per-thread xorshift generator seeded once, and is checked against the values (a value that contains it
//! makes us draw another), so it is always correct and costs no system call.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

thread_local! {
    static STATE: Cell<u64> = Cell::new(seed());
}

fn seed() -> u64 {
    // std seeds RandomState from the OS once per thread; `| 1` keeps xorshift away from its zero state.
    RandomState::new().build_hasher().finish() | 1
}

/// xorshift64*: plenty for a boundary, which needs to be unlikely in the body, not secret.
fn next_u64() -> u64 {
    STATE.with(|s| {
        let mut x = s.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        s.set(x);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    })
}

/// A boundary that appears in none of the fields.
fn boundary_for(fields: &[(String, String)]) -> String {
    loop {
        let b = format!("----passteam{:016x}{:08x}", next_u64(), next_u64() as u32);
        if !fields.iter().any(|(k, v)| k.contains(&b) || v.contains(&b)) {
            return b;
        }
    }
}

/// A field name inside `name="..."`: quotes and line breaks percent-encoded, as browsers do (RFC 7578 4.2).
fn push_name(out: &mut Vec<u8>, name: &str) {
    for b in name.bytes() {
        match b {
            b'"' => out.extend_from_slice(b"%22"),
            b'\r' => out.extend_from_slice(b"%0D"),
            b'\n' => out.extend_from_slice(b"%0A"),
            _ => out.push(b),
        }
    }
}

/// The body and its `Content-Type` header value.
pub(crate) fn render(fields: &[(String, String)]) -> (Vec<u8>, String) {
    let boundary = boundary_for(fields);
    let size = fields.iter().map(|(k, v)| k.len() + v.len() + boundary.len() + 48).sum::<usize>();
    let mut body = Vec::with_capacity(size + boundary.len() + 8);
    for (name, value) in fields {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        push_name(&mut body, name);
        body.extend_from_slice(b"\"\r\n\r\n");
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--");
    body.extend_from_slice(boundary.as_bytes());
    body.extend_from_slice(b"--\r\n");
    (body, format!("multipart/form-data; boundary={boundary}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn renders_each_field_as_a_part_and_closes_the_body() {
        let (body, content_type) = render(&f(&[("cardId", "abc"), ("values[%BONUS%]", "12")]));
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8(body).unwrap();
        assert_eq!(
            text,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"cardId\"\r\n\r\nabc\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"values[%BONUS%]\"\r\n\r\n12\r\n\
                 --{boundary}--\r\n"
            )
        );
    }

    #[test]
    fn names_cannot_break_out_of_their_quotes() {
        let (body, _) = render(&f(&[("a\"b\r\nc", "v")]));
        assert!(String::from_utf8(body).unwrap().contains("name=\"a%22b%0D%0Ac\""));
    }

    #[test]
    fn boundaries_differ_and_never_occur_in_a_value() {
        let (_, a) = render(&f(&[("x", "1")]));
        let (_, b) = render(&f(&[("x", "1")]));
        assert_ne!(a, b);
        // A value that holds the next boundary forces another draw.
        let saved = STATE.with(Cell::get);
        let predicted = boundary_for(&[]);
        STATE.with(|s| s.set(saved));
        let tricky = f(&[("x", &predicted)]);
        let (body, content_type) = render(&tricky);
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        assert_ne!(boundary, predicted);
        assert_eq!(String::from_utf8(body).unwrap().matches(&format!("--{boundary}")).count(), 2);
    }
}
