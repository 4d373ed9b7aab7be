//! `date` and `date_time` variables: written in the field's `params.dateStyle` (Java/ICU letters:
//! `dd.MM.yyyy HH:mm`), read in that style or in ISO 8601 (`1990-12-31`, `2024-02-01T13:45`).

/// A calendar date and a wall-clock time (no time zone: Passteam's styles have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

/// The style used when a field's params have none (the vendor's documents show these).
pub fn default_style(date_time: bool) -> &'static str {
    if date_time {
        "dd.MM.yyyy HH:mm"
    } else {
        "dd.MM.yyyy"
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A numeric field: its letter and how many letters (`yyyy` = ('y', 4)).
    Number(char, usize),
    Literal(String),
}

/// Splits a style into fields and literals; `'...'` quotes literal text, as in Java.
fn tokens(style: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<char> = style.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let end = chars[i + 1..].iter().position(|&q| q == '\'').map_or(chars.len(), |p| i + 1 + p);
            out.push(Token::Literal(chars[i + 1..end].iter().collect()));
            i = end + 1;
        } else if "yMdHhms".contains(c) {
            let run = chars[i..].iter().take_while(|&&x| x == c).count();
            out.push(Token::Number(c, run));
            i += run;
        } else {
            out.push(Token::Literal(c.to_string()));
            i += 1;
        }
    }
    out
}

/// Reads `text` written exactly in `style`; `None` when it is not.
pub fn parse_in_style(text: &str, style: &str) -> Option<Stamp> {
    let mut s = Stamp { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    let mut rest = text;
    for token in tokens(style) {
        match token {
            Token::Literal(lit) => rest = rest.strip_prefix(lit.as_str())?,
            Token::Number(letter, width) => {
                // One letter: 1 or 2 digits; more letters: exactly that many.
                let (min, max) = if width == 1 { (1, 2) } else { (width, width) };
                let n = rest.bytes().take(max).take_while(u8::is_ascii_digit).count();
                if n < min {
                    return None;
                }
                let value: u32 = rest[..n].parse().ok()?;
                rest = &rest[n..];
                match letter {
                    'y' if width == 2 => s.year = 2000 + value,
                    'y' => s.year = value,
                    'M' => s.month = value,
                    'd' => s.day = value,
                    'H' | 'h' => s.hour = value,
                    'm' => s.minute = value,
                    _ => s.second = value,
                }
            }
        }
    }
    (rest.is_empty() && is_real(&s)).then_some(s)
}

/// Reads ISO 8601: `YYYY-MM-DD`, optionally `T` or a space and `HH:MM[:SS[.fff]]`. An offset or `Z`
/// is refused by the caller (converting zones would guess the merchant's).
pub fn parse_iso(text: &str) -> Option<Stamp> {
    let (date, time) = match text.find(['T', 't', ' ']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut s = parse_in_style(date, "yyyy-MM-dd")?;
    if let Some(time) = time {
        let time = time.split_once('.').map_or(time, |(hms, frac)| {
            if frac.bytes().all(|b| b.is_ascii_digit()) && !frac.is_empty() {
                hms
            } else {
                time
            }
        });
        let t = parse_in_style(time, "HH:mm:ss").or_else(|| parse_in_style(time, "HH:mm"))?;
        (s.hour, s.minute, s.second) = (t.hour, t.minute, t.second);
    }
    Some(s)
}

/// Whether ISO text carries a time zone (`Z`, `+03:00`), which this module will not convert.
pub fn has_offset(text: &str) -> bool {
    let Some(i) = text.find(['T', 't', ' ']) else { return false };
    let time = &text[i + 1..];
    time.ends_with(['Z', 'z']) || time.contains('+') || time.get(1..).is_some_and(|t| t.contains('-'))
}

/// Writes a stamp in a style.
pub fn format(s: &Stamp, style: &str) -> String {
    let mut out = String::new();
    for token in tokens(style) {
        match token {
            Token::Literal(lit) => out.push_str(&lit),
            Token::Number(letter, width) => {
                let value = match letter {
                    'y' if width == 2 => s.year % 100,
                    'y' => s.year,
                    'M' => s.month,
                    'd' => s.day,
                    'H' | 'h' => s.hour,
                    'm' => s.minute,
                    _ => s.second,
                };
                out.push_str(&format!("{value:0width$}"));
            }
        }
    }
    out
}

fn is_real(s: &Stamp) -> bool {
    let leap = (s.year % 4 == 0 && s.year % 100 != 0) || s.year % 400 == 0;
    let days = match s.month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=9999).contains(&s.year)
        && (1..=days).contains(&s.day)
        && s.hour < 24
        && s.minute < 60
        && s.second < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_round_trip_and_calendars_are_real() {
        let s = parse_in_style("01.02.2024 13:45", "dd.MM.yyyy HH:mm").unwrap();
        assert_eq!((s.year, s.month, s.day, s.hour, s.minute), (2024, 2, 1, 13, 45));
        assert_eq!(format(&s, "yyyy-MM-dd'T'HH:mm"), "2024-02-01T13:45");
        assert_eq!(format(&s, "d/M/yy"), "1/2/24");
        assert!(parse_in_style("29.02.2024", "dd.MM.yyyy").is_some());
        assert!(parse_in_style("29.02.2023", "dd.MM.yyyy").is_none());
        assert!(parse_in_style("31.04.2024", "dd.MM.yyyy").is_none());
        assert!(parse_in_style("1.2.2024", "dd.MM.yyyy").is_none());
        assert!(parse_in_style("1.2.2024", "d.M.yyyy").is_some());
        assert!(parse_in_style("01.02.2024 24:00", "dd.MM.yyyy HH:mm").is_none());
        assert!(parse_in_style("01.02.2024x", "dd.MM.yyyy").is_none());
    }

    #[test]
    fn iso_forms() {
        assert_eq!(parse_iso("1990-12-31").map(|s| s.day), Some(31));
        assert_eq!(parse_iso("2024-02-01T13:45").map(|s| s.minute), Some(45));
        assert_eq!(parse_iso("2024-02-01 13:45:30.250").map(|s| s.second), Some(30));
        assert!(parse_iso("2024-13-01").is_none());
        assert!(has_offset("2024-02-01T13:45Z") && has_offset("2024-02-01T13:45+03:00"));
        assert!(!has_offset("2024-02-01T13:45") && !has_offset("2024-02-01"));
    }
}
