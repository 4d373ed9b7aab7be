//! Keeping the token out of everything the library says: error messages, details, the log.
//!
//! A server may echo the token back in any form: as sent, URL-encoded, base64 (inside a `Basic` header
//! it reflects), in another case, or cut short by an excerpt. So the scrubber does not look for the
//! token; it looks for any run of [`RUN`] characters of any of those forms, case-insensitively, and
//! replaces every such stretch with `***`. A token shorter than [`RUN`] is only replaced where it
//! stands as a whole word (otherwise every matching substring of unrelated text would vanish).

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashSet;

/// No run of this many characters of the token (in any of its forms) survives scrubbing.
pub(crate) const RUN: usize = 8;

/// The scrubber of one token.
#[derive(Clone)]
pub struct Scrubber {
    /// Every RUN-byte window of every form of the token, lowercased and packed into a u64.
    runs: HashSet<u64>,
    /// A short token, lowercased: replaced only as a whole word.
    short: Option<Vec<u8>>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scrubber(..)") // never the token
    }
}

impl Scrubber {
    /// A scrubber for `token`; `None` for an empty one.
    pub fn new(token: &str) -> Option<Scrubber> {
        if token.is_empty() {
            return None;
        }
        if token.len() < RUN {
            return Some(Scrubber {
                runs: HashSet::new(),
                short: Some(token.to_ascii_lowercase().into_bytes()),
            });
        }
        let mut runs = HashSet::new();
        for form in forms(token) {
            for window in form.as_bytes().windows(RUN) {
                runs.insert(pack(window));
            }
        }
        Some(Scrubber { runs, short: None })
    }

    /// `text` with every run of the token replaced by `***`.
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let bytes = text.as_bytes();
        let mut hidden: Vec<(usize, usize)> = Vec::new();
        if let Some(short) = &self.short {
            let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
            let mut i = 0;
            while i + short.len() <= bytes.len() {
                let end = i + short.len();
                let whole = (i == 0 || !word(bytes[i - 1])) && (end == bytes.len() || !word(bytes[end]));
                if whole && bytes[i..end].eq_ignore_ascii_case(short) {
                    hidden.push((i, end));
                    i = end;
                } else {
                    i += 1;
                }
            }
        } else {
            // Matched on a percent-decoded view, so any percent-encoding of any character is seen through;
            // each decoded byte remembers the stretch of the original it came from.
            let (decoded, origin) = percent_decoded(bytes);
            if decoded.len() >= RUN {
                for i in 0..=decoded.len() - RUN {
                    if self.runs.contains(&pack(&decoded[i..i + RUN])) {
                        let (start, end) = (origin[i].0, origin[i + RUN - 1].1);
                        match hidden.last_mut() {
                            Some((_, last_end)) if *last_end >= start => *last_end = end,
                            _ => hidden.push((start, end)),
                        }
                    }
                }
            }
        }
        if hidden.is_empty() {
            return Cow::Borrowed(text);
        }
        // The forms are ASCII, so every hidden stretch starts and ends on a character boundary.
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in hidden {
            out.push_str(&text[at..start]);
            out.push_str("***");
            at = end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    /// Scrubs every string and key of a JSON tree in place, without a round trip through text (which
    /// would fail, and lose everything, on a tree as deep as the parser's limit).
    pub fn scrub_value(&self, value: &mut Value) {
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                Value::String(s) => {
                    if let Cow::Owned(clean) = self.scrub(s) {
                        *s = clean;
                    }
                }
                Value::Array(items) => stack.extend(items.iter_mut()),
                Value::Object(map) => {
                    if map.keys().any(|k| matches!(self.scrub(k), Cow::Owned(_))) {
                        let old = std::mem::take(map);
                        *map = old.into_iter().map(|(k, v)| (self.scrub(&k).into_owned(), v)).collect();
                    }
                    stack.extend(map.values_mut());
                }
                _ => {}
            }
        }
    }

    /// Scrubs a details map in place.
    pub fn scrub_map(&self, map: &mut Map<String, Value>) {
        let mut wrapped = Value::Object(std::mem::take(map));
        self.scrub_value(&mut wrapped);
        if let Value::Object(clean) = wrapped {
            *map = clean;
        }
    }
}

/// `bytes` with every `%XX` decoded, and for each decoded byte the range of `bytes` it came from.
fn percent_decoded(bytes: &[u8]) -> (Vec<u8>, Vec<(usize, usize)>) {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut origin = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if let (b'%', Some(Some(high)), Some(Some(low))) =
            (bytes[i], bytes.get(i + 1).map(|b| hex(*b)), bytes.get(i + 2).map(|b| hex(*b)))
        {
            decoded.push(high << 4 | low);
            origin.push((i, i + 3));
            i += 3;
        } else {
            decoded.push(bytes[i]);
            origin.push((i, i + 1));
            i += 1;
        }
    }
    (decoded, origin)
}

fn pack(window: &[u8]) -> u64 {
    window.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(b.to_ascii_lowercase()))
}

/// The token as sent, URL-encoded, and base64 (standard and URL-safe) at each of the three byte
/// alignments it can have inside a longer encoded text.
fn forms(token: &str) -> Vec<String> {
    let mut forms = vec![token.to_owned(), form_urlencoded::byte_serialize(token.as_bytes()).collect()];
    for offset in 0..3 {
        let mut bytes = vec![0u8; offset];
        bytes.extend_from_slice(token.as_bytes());
        for alphabet in [STANDARD, URL_SAFE] {
            let encoded = base64(&bytes, alphabet);
            // The first group mixes in the padding bytes and the last one depends on what follows:
            // only the characters in between are the token's own.
            let start = if offset == 0 { 0 } else { 4 };
            let end = encoded.len().saturating_sub(4).max(start);
            forms.push(encoded[start..end].to_owned());
        }
    }
    forms
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64(bytes: &[u8], alphabet: &[u8; 64]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "Abc123DefGhi456JklMno789PqrStu0";

    #[test]
    fn every_form_of_the_token_is_hidden() {
        let s = Scrubber::new(TOKEN).unwrap();
        let b64 = base64(format!("user:{TOKEN}").as_bytes(), STANDARD);
        for text in [
            format!("token {TOKEN} refused"),
            format!("token {} refused", TOKEN.to_lowercase()),
            format!("token {} refused", TOKEN.to_uppercase()),
            format!("Basic {b64}"),
            format!("cut: {}", &TOKEN[..12]),
            format!("tail: {}", &TOKEN[TOKEN.len() - 9..]),
        ] {
            let clean = s.scrub(&text);
            assert!(clean.contains("***"), "{text} -> {clean}");
            for w in TOKEN.as_bytes().windows(RUN) {
                let w = std::str::from_utf8(w).unwrap();
                assert!(!clean.to_lowercase().contains(&w.to_lowercase()), "{text} -> {clean}");
            }
        }
        let percent = Scrubber::new("tok/en+with=odd&chars").unwrap();
        assert_eq!(percent.scrub("q=tok%2Fen%2Bwith%3Dodd%26chars"), "q=***");
        assert_eq!(s.scrub("x=%41bc123%44efGhi!"), "x=***!", "any character may be percent-encoded");
        assert_eq!(s.scrub("nothing here"), Cow::Borrowed("nothing here"));
        assert_eq!(base64(b"hello!", STANDARD), "aGVsbG8h");
        assert_eq!(base64(b"hi", STANDARD), "aGk");
    }

    #[test]
    fn a_short_token_is_hidden_only_as_a_word() {
        let s = Scrubber::new("abc").unwrap();
        assert_eq!(s.scrub("token abc, abcdef, xabc, ABC"), "token ***, abcdef, xabc, ***");
    }

    #[test]
    fn deep_trees_are_scrubbed_in_place() {
        let s = Scrubber::new(TOKEN).unwrap();
        let mut v = Value::String(format!("x {TOKEN}"));
        for _ in 0..127 {
            v = Value::Array(vec![v]);
        }
        let mut map = Map::new();
        map.insert("result".into(), v);
        map.insert(TOKEN.into(), Value::from(1));
        s.scrub_map(&mut map);
        assert!(map.contains_key("***") && map.contains_key("result"), "{map:?}");
        let mut inner = &map["result"];
        while let Value::Array(items) = inner {
            inner = &items[0];
        }
        assert_eq!(inner, "x ***");
    }
}
