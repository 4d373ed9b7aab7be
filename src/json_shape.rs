//! Bounds on the shape of JSON a server sends, checked in one linear pass before anything parses it.
//!
//! A reply's byte size (`max_response_bytes`) does not bound what it costs: 16 MB of `[1,1,1,...]` is
//! eight million values, hundreds of MB as a tree in Rust and more in Python, and a 2 KB body nested
//! 1 000 levels deep breaks Python's recursive decoder while the C ABI would pass it on. One rule here,
//! applied by the core to every reply, gives every host the same verdict.

/// The deepest nesting a reply may have, the envelope's own level included (so a `result` may nest
/// 127 levels). serde_json refuses deeper trees, and every binding's decoder handles this many.
pub(crate) const MAX_DEPTH: usize = 128;

/// The most values (array elements and object members, counted at every level) a reply may hold:
/// far above any real page of cards, and a bound on the memory a tree of it costs.
pub(crate) const MAX_VALUES: usize = 1_000_000;

/// Checks `body` against [`MAX_DEPTH`] and [`MAX_VALUES`]; says what was exceeded. Text that is not
/// JSON passes (the parser reports it); only the shape is judged here.
pub fn check(body: &[u8]) -> Result<(), String> {
    check_with(body, MAX_DEPTH, MAX_VALUES)
}

/// [`check`] with explicit limits (the request side bounds params with its own).
pub fn check_with(body: &[u8], max_depth: usize, max_values: usize) -> Result<(), String> {
    // Fast path, exact: a body of at most max_values bytes cannot hold more values (each costs a byte), and
    // one whose opening brackets, counted anywhere (strings included), are at most max_depth cannot nest
    // deeper. A card reply (1 KiB, a handful of brackets) is then judged by one SIMD count instead of the
    // byte-by-byte walk below, which was about 5 % of a loopback getcard's CPU (perf, issue 16).
    if body.len() <= max_values && memchr::memchr2_iter(b'[', b'{', body).count() <= max_depth {
        return Ok(());
    }
    walk(body, max_depth, max_values)
}

/// The exact judgement: one pass that knows strings from structure.
fn walk(body: &[u8], max_depth: usize, max_values: usize) -> Result<(), String> {
    let mut depth = 0usize;
    let mut values = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in body {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                values += 1;
                if depth > max_depth {
                    return Err(format!("it nests deeper than {max_depth} levels"));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' => values += 1,
            _ => {}
        }
        if values > max_values {
            return Err(format!("it holds more than {max_values} JSON values"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_counted_outside_strings_only() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(check(deep(MAX_DEPTH).as_bytes()).is_ok());
        assert!(check(deep(MAX_DEPTH + 1).as_bytes()).unwrap_err().contains("deeper than 128"));
        let in_text = format!("{{\"a\": \"{}\\\"{}\"}}", "[".repeat(1000), "{".repeat(1000));
        assert!(check(in_text.as_bytes()).is_ok(), "brackets inside a string are text");
    }

    #[test]
    fn the_fast_path_agrees_with_the_walk() {
        let bodies = [
            "{}".to_owned(),
            r#"{"a": [1, 2, {"b": "[[[{{{"}]}"#.to_owned(),
            format!("{}{}", "[".repeat(5), "]".repeat(5)),
            format!("{}{}", "{\"a\":".repeat(6), "}".repeat(6)),
            format!("[{}]", "\"[\",".repeat(7)),
            "[1,2,3,4,5,6,7,8]".to_owned(),
        ];
        for body in &bodies {
            for (depth, values) in [(1, 1), (3, 4), (5, 8), (6, 9), (8, 100), (128, 1_000_000)] {
                assert_eq!(
                    check_with(body.as_bytes(), depth, values).is_ok(),
                    walk(body.as_bytes(), depth, values).is_ok(),
                    "{body} with depth {depth}, values {values}"
                );
            }
        }
    }

    #[test]
    fn values_are_counted() {
        let many = format!("[{}1]", "1,".repeat(MAX_VALUES));
        assert!(check(many.as_bytes()).unwrap_err().contains("more than 1000000"));
        let fine = format!("[{}1]", "1,".repeat(1000));
        assert!(check(fine.as_bytes()).is_ok());
        assert!(check_with(b"[1,2,3]", 4, 2).is_err());
    }
}
