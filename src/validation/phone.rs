//! Phone numbers: parsed the way Google's libphonenumber parses them, written in E.164.
//!
//! Passteam validates phones with libphonenumber, so the client must agree with it number for number.
//! The metadata (country codes, national prefixes, number patterns) comes from the `phonenumber` crate,
//! a port of libphonenumber that ships Google's `PhoneNumberMetadata.xml`, through the table build.rs
//! writes from it (`phone_metadata`: the crate is not linked). Its *parser* we do not use:
//! `phonenumber` 0.3.10 strips the national prefix without libphonenumber's two guards, so
//! `+78121000029` (St Petersburg: area code 812, national prefix 8) loses its 8 and becomes the invalid
//! `+7121000029`, and likewise `8 800 ...` and `+7 8442 ...`. libphonenumber
//! (`maybeStripNationalPrefixAndCarrierCode` and `parseHelper`) strips the prefix only when
//! 1. the number was not already a viable national number, or stays one after stripping, and
//! 2. what remains has a possible length (not too short, not local-only, not an impossible length).
//!
//! The crate's `Descriptor::is_match` also accepts a prefix match of the pattern, where
//! libphonenumber wants the whole number to match. So this module follows libphonenumber's
//! `parse` / `isValidNumber` step by step over the crate's metadata, with whole-number matching
//! (`tests` and `tests/validation_phones.rs` hold the numbers that show the difference; the expected
//! values were produced with libphonenumber's Python port `phonenumbers` 9.0.43).
//!
//! Deliberately not supported (refused with a message instead): vanity numbers written with letters
//! and extensions (`доб. 12`), which E.164 cannot carry.

use super::phone_metadata::{self as regions, Lengths, Region as Metadata, D as Descriptor};
use once_cell::sync::Lazy;
use regex_lite::Regex;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// libphonenumber's limits on the national significant number.
const MIN_NSN: usize = 2;
const MAX_NSN: usize = 17;

/// Why a phone was refused, in the cashier's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneProblem {
    NotANumber,
    Letters,
    Extension,
    UnknownCountryCode,
    TooShort,
    TooLong,
    /// Well formed but no such number in the country's numbering plan.
    Invalid(String),
    UnknownRegion(String),
}

impl PhoneProblem {
    pub fn describe(&self) -> String {
        match self {
            PhoneProblem::NotANumber => "is not a phone number".into(),
            PhoneProblem::Letters => "contains letters; give the digits only".into(),
            PhoneProblem::Extension => {
                "has an extension, which a card's phone cannot hold; give the number alone".into()
            }
            PhoneProblem::UnknownCountryCode => "has a country code that does not exist".into(),
            PhoneProblem::TooShort => "is too short for a phone number".into(),
            PhoneProblem::TooLong => "is too long for a phone number".into(),
            PhoneProblem::Invalid(e164) => {
                format!(
                    "is not a valid phone number ({e164} does not exist in that country's numbering plan)"
                )
            }
            PhoneProblem::UnknownRegion(region) => {
                format!("cannot be read: the configured phone_region {region:?} is not a known region")
            }
        }
    }
}

/// Whether `region` (ISO 3166 alpha-2, e.g. `RU`) is known to the metadata.
pub fn is_known_region(region: &str) -> bool {
    regions::by_id(region.to_ascii_uppercase().as_str()).is_some()
}

/// Reads phones for one client: its region, and the number patterns compiled so far. Each client has its
/// own, freed with it, so a host that unloads the library (1C does) leaves nothing behind.
#[derive(Debug)]
pub struct Reader {
    region: String,
    patterns: Patterns,
}

impl Reader {
    /// Reads numbers without a country code as in `region` (ISO 3166 alpha-2, any case).
    pub fn new(region: &str) -> Reader {
        Reader { region: region.to_ascii_uppercase(), patterns: Patterns::default() }
    }

    /// As [`normalize`], with this reader's region and compiled patterns.
    pub fn normalize(&self, input: &str) -> Result<String, PhoneProblem> {
        normalize_with(&self.patterns, input, &self.region)
    }
}

/// Parses a phone as typed (any spelling libphonenumber accepts; numbers without a country code are
/// read as in `region`) and returns it in E.164 (`+79161234567`) when it is a valid number. Uses the
/// process-wide compiled patterns (the sandbox, tests); a client uses its own [`Reader`].
pub fn normalize(input: &str, region: &str) -> Result<String, PhoneProblem> {
    static SHARED: Lazy<Patterns> = Lazy::new(Patterns::default);
    normalize_with(&SHARED, input, &region.to_ascii_uppercase())
}

fn normalize_with(p: &Patterns, input: &str, region: &str) -> Result<String, PhoneProblem> {
    let region = region.to_ascii_uppercase();
    let default =
        regions::by_id(region.as_str()).ok_or_else(|| PhoneProblem::UnknownRegion(region.clone()))?;
    let (code, national) = parse(p, input, default)?;
    let e164 = format!("+{code}{national}");
    if is_valid(p, code, &national) {
        Ok(e164)
    } else {
        Err(PhoneProblem::Invalid(e164))
    }
}

/// libphonenumber's `parseHelper`: the country code and the national significant number.
fn parse(p: &Patterns, input: &str, default: &Metadata) -> Result<(u16, String), PhoneProblem> {
    let candidate = extract_possible_number(input);
    check_viable(candidate)?;
    let (plus, digits) = digits_of(candidate);
    let (extracted, mut national) = extract_country_code(p, plus, digits, default)?;
    if national.len() < MIN_NSN {
        return Err(PhoneProblem::TooShort);
    }
    // As libphonenumber: the number's own main region parses it, unless it had no country code.
    let mut code = extracted.unwrap_or(default.country_code());
    let meta = match extracted {
        Some(c) if main_metadata(c).is_some_and(|m| m.id() == default.id()) => Some(default),
        Some(c) => main_metadata(c),
        None => Some(default),
    };
    if let Some(meta) = meta {
        let mut potential = national.clone();
        strip_national_prefix(p, &mut potential, meta);
        if matches!(test_length(&potential, meta), Length::Possible | Length::TooLong) {
            national = potential;
        }
        code = meta.country_code();
    }
    if national.len() < MIN_NSN {
        return Err(PhoneProblem::TooShort);
    }
    if national.len() > MAX_NSN {
        return Err(PhoneProblem::TooLong);
    }
    Ok((code, national))
}

/// From the first `+` or digit on; trailing punctuation and spaces dropped (`тел. +7 916 ...;`).
fn extract_possible_number(input: &str) -> &str {
    let Some(start) = input.find(|c: char| is_plus(c) || digit(c).is_some()) else { return "" };
    let rest = &input[start..];
    rest.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '#'))
}

fn is_plus(c: char) -> bool {
    c == '+' || c == '\u{FF0B}'
}

/// ASCII and full-width digits (what libphonenumber's normalisation knows besides other scripts).
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{FF10}'..='\u{FF19}' => Some((c as u32 - 0xFF10) as u8),
        '\u{0660}'..='\u{0669}' => Some((c as u32 - 0x0660) as u8),
        _ => None,
    }
}

/// libphonenumber's VALID_PUNCTUATION (without `x`, which only starts extensions).
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF0D}'..='\u{FF0F}' | ' ' | '\u{00A0}'
            | '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{3000}' | '(' | ')' | '\u{FF08}' | '\u{FF09}'
            | '\u{FF3B}' | '\u{FF3D}' | '.' | '[' | ']' | '/' | '~' | '\u{2053}' | '\u{223C}' | '\u{FF5E}'
            | '\t' | '*'
    )
}

/// libphonenumber's `isViablePhoneNumber`: pluses, then at least three digits among punctuation.
fn check_viable(candidate: &str) -> Result<(), PhoneProblem> {
    let body = candidate.trim_start_matches(is_plus);
    let digits = body.chars().filter(|c| digit(*c).is_some()).count();
    if candidate.is_empty() || (digits < 3 && !(digits == 2 && candidate.chars().count() == 2)) {
        return Err(if digits == 0 { PhoneProblem::NotANumber } else { PhoneProblem::TooShort });
    }
    for (i, c) in body.char_indices() {
        if digit(c).is_some() || is_punctuation(c) {
            continue;
        }
        let rest = body[i..].to_lowercase();
        let extension = ["#", "x", "ext", "доб", "добавочный", "anexo", "доп"];
        if extension.iter().any(|word| rest.starts_with(word)) {
            return Err(PhoneProblem::Extension);
        }
        return Err(if c.is_alphabetic() { PhoneProblem::Letters } else { PhoneProblem::NotANumber });
    }
    Ok(())
}

/// Whether the text started with a plus, and its digits.
fn digits_of(candidate: &str) -> (bool, String) {
    let plus = candidate.starts_with(is_plus);
    let digits = candidate.chars().filter_map(digit).map(|d| char::from(b'0' + d)).collect();
    (plus, digits)
}

/// libphonenumber's `maybeExtractCountryCode`, with the international-prefix (IDD) step.
/// The code is `None` when the number had none (it is then read as in the default region).
fn extract_country_code(
    p: &Patterns,
    plus: bool,
    digits: String,
    default: &Metadata,
) -> Result<(Option<u16>, String), PhoneProblem> {
    if plus {
        return split_country_code(&digits).ok_or(PhoneProblem::UnknownCountryCode);
    }
    if let Some(idd) = default.international_prefix().and_then(|idd| p.anchored(idd, false)) {
        if let Some(m) = idd.find(&digits) {
            // A country code never starts with 0, so "8 10 ..." only counts as an IDD when followed by one.
            if m.start() == 0 && !digits[m.end()..].starts_with('0') && m.end() < digits.len() {
                return split_country_code(&digits[m.end()..]).ok_or(PhoneProblem::UnknownCountryCode);
            }
        }
    }
    // Written with the default country's code but without the plus ("7 916 ..." in Russia)?
    let own = default.country_code().to_string();
    if let Some(rest) = digits.strip_prefix(own.as_str()) {
        let general = default.general();
        let mut potential = rest.to_owned();
        strip_national_prefix(p, &mut potential, default);
        if (!full_match(p, general, &digits) && full_match(p, general, &potential))
            || test_length(&digits, default) == Length::TooLong
        {
            return Ok((Some(default.country_code()), potential));
        }
    }
    Ok((None, digits))
}

/// The longest-known country code among the first 1-3 digits (codes are prefix-free).
fn split_country_code(digits: &str) -> Option<(Option<u16>, String)> {
    if digits.starts_with('0') {
        return None;
    }
    (1..=3.min(digits.len())).find_map(|n| {
        let code: u16 = digits[..n].parse().ok()?;
        regions::is_country_code(code).then(|| (Some(code), digits[n..].to_owned()))
    })
}

/// The metadata that parses numbers of a country code: its main region's, or the non-geographic one.
fn main_metadata(code: u16) -> Option<&'static Metadata> {
    regions::by_code(code).find(|m| m.is_main_country_for_code()).or_else(|| regions::by_code(code).next())
}

/// libphonenumber's `maybeStripNationalPrefixAndCarrierCode`, with its viability guard.
fn strip_national_prefix(p: &Patterns, number: &mut String, meta: &Metadata) {
    // Where the metadata gives no pattern, libphonenumber parses with the national prefix itself.
    let pattern = match (meta.national_prefix_for_parsing(), meta.national_prefix()) {
        (Some(re), _) => re.to_owned(),
        (None, Some(prefix)) if !prefix.is_empty() => regex_lite::escape(prefix),
        _ => return,
    };
    if number.is_empty() {
        return;
    }
    let Some(re) = p.anchored(&pattern, false) else { return };
    let Some(caps) = re.captures(number) else { return };
    let general = meta.general();
    let viable_before = full_match(p, general, number);
    let whole = caps.get(0).map_or(0, |m| m.end());
    let last_group = caps.len() - 1;
    let transformed = match meta.national_prefix_transform_rule() {
        Some(rule) if !rule.is_empty() && last_group > 0 && caps.get(last_group).is_some() => {
            let mut out = String::new();
            caps.expand(&java_replacement(rule), &mut out);
            out.push_str(&number[whole..]);
            out
        }
        _ => number[whole..].to_owned(),
    };
    if viable_before && !full_match(p, general, &transformed) {
        return;
    }
    *number = transformed;
}

/// Java's `$1` to regex-lite's `${1}` (where `$1x` would name a group `1x`).
fn java_replacement(rule: &str) -> String {
    let mut out = String::with_capacity(rule.len() + 4);
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push_str("${");
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                out.push(d);
            }
            out.push('}');
        } else if c == '$' {
            out.push_str("$$");
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Length {
    Possible,
    LocalOnly,
    TooShort,
    TooLong,
    Invalid,
}

/// libphonenumber's `testNumberLength` against the general description (lengths of any type).
fn test_length(number: &str, meta: &Metadata) -> Length {
    let lengths = possible_lengths(meta);
    let local = meta.general().local_lengths();
    let n = number.len();
    let (Some(min), Some(max)) = (lengths.min(), lengths.max()) else { return Length::Invalid };
    if local.contains(n) {
        Length::LocalOnly
    } else if n < min {
        Length::TooShort
    } else if n > max {
        Length::TooLong
    } else if lengths.contains(n) {
        Length::Possible
    } else {
        Length::Invalid
    }
}

/// The general description's possible lengths; the union of the types' where the metadata has none.
fn possible_lengths(meta: &Metadata) -> Lengths {
    let general = meta.general().lengths();
    if !general.is_empty() {
        return general;
    }
    meta.types().fold(Lengths(0), |all, d| all.union(d.lengths()))
}

/// libphonenumber's `isValidNumber`: the region by leading digits, then a type whose pattern matches.
fn is_valid(p: &Patterns, code: u16, national: &str) -> bool {
    let candidates: Vec<&Metadata> = regions::by_code(code).collect();
    let region = if candidates.len() == 1 {
        candidates.first().copied()
    } else {
        candidates.iter().copied().find(|meta| match meta.leading_digits() {
            Some(lead) => p.anchored(lead, false).is_some_and(|re| re.is_match(national)),
            None => has_type(p, meta, national),
        })
    };
    region.is_some_and(|meta| has_type(p, meta, national))
}

/// libphonenumber's `getNumberTypeHelper(...) != UNKNOWN`.
fn has_type(p: &Patterns, meta: &Metadata, national: &str) -> bool {
    let general = meta.general();
    if !matches_desc(p, general, national, Lengths(0)) {
        return false;
    }
    meta.types().any(|desc| matches_desc(p, desc, national, general.lengths()))
}

/// libphonenumber's `isNumberMatchingDesc`: a possible length and the whole number matching.
fn matches_desc(p: &Patterns, desc: &Descriptor, national: &str, inherited: Lengths) -> bool {
    let own = desc.lengths();
    let lengths = if own.is_empty() { inherited } else { own };
    if !lengths.is_empty() && !lengths.contains(national.len()) {
        return false;
    }
    full_match(p, desc, national)
}

/// The whole number matches the descriptor's pattern (the crate's `is_match` accepts a prefix).
fn full_match(p: &Patterns, desc: &Descriptor, number: &str) -> bool {
    p.anchored(desc.pattern(), true).is_some_and(|re| re.is_match(number))
}

/// The metadata's patterns anchored at the start (and the end), each compiled once. Shared through an
/// `Arc`: a cloned `Regex` would build its matching caches anew on every search.
#[derive(Debug, Default)]
pub struct Patterns {
    compiled: RwLock<Compiled>,
}

/// (pattern, whole-number) to the compiled pattern (`None`: it does not compile).
type Compiled = HashMap<(String, bool), Option<Arc<Regex>>>;

impl Patterns {
    fn anchored(&self, pattern: &str, whole: bool) -> Option<Arc<Regex>> {
        let key = (pattern.to_owned(), whole);
        if let Some(found) = self.compiled.read().ok().and_then(|c| c.get(&key).cloned()) {
            return found;
        }
        // regex-lite's classes are ASCII (`\d` = 0-9), which is what the metadata means: the digits were
        // normalised to ASCII first.
        let source = if whole { format!("^(?:{pattern})$") } else { format!("^(?:{pattern})") };
        let compiled = Regex::new(&source).ok().map(Arc::new);
        if let Ok(mut cache) = self.compiled.write() {
            cache.insert(key, compiled.clone());
        }
        compiled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crates_parser_mangles_what_this_module_gets_right() {
        // The defect this module works around: phonenumber 0.3.10 strips the 8 of area code 812.
        let crate_parsed = phonenumber::parse(None, "+78121000029").expect("parses");
        assert_eq!(crate_parsed.format().mode(phonenumber::Mode::E164).to_string(), "+7121000029");
        assert!(!phonenumber::is_valid(&crate_parsed));
        assert_eq!(normalize("+78121000029", "RU").as_deref(), Ok("+78121000029"));
    }

    #[test]
    fn every_pattern_of_the_metadata_compiles() {
        // A pattern the engine refused would make `anchored` answer None, and the number it describes would
        // quietly never match: everything the parser hands to `anchored` must compile, in both anchorings.
        let p = Patterns::default();
        let mut checked = 0;
        for meta in regions::all() {
            let mut patterns: Vec<String> = meta.types().map(|d| d.pattern().to_owned()).collect();
            patterns.push(meta.general().pattern().to_owned());
            patterns.extend(meta.international_prefix().map(str::to_owned));
            patterns.extend(meta.national_prefix_for_parsing().map(str::to_owned));
            patterns.extend(meta.national_prefix().map(regex_lite::escape));
            patterns.extend(meta.leading_digits().map(str::to_owned));
            for pattern in &patterns {
                for whole in [false, true] {
                    assert!(
                        p.anchored(pattern, whole).is_some(),
                        "{}: {pattern:?} does not compile",
                        meta.id()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 2_000, "{checked}");
    }

    #[test]
    fn an_unknown_region_is_its_own_problem() {
        assert!(matches!(normalize("9161234567", "XX"), Err(PhoneProblem::UnknownRegion(_))));
        assert!(is_known_region("ru") && is_known_region("KZ") && !is_known_region("XX"));
    }
}
