//! The optional call log: a file (never stdout, which belongs to the host), one line per attempt.
//!
//! The token and the `Authorization` header are never written (they are never given to the logger, and
//! every form of the token a server may echo is scrubbed from lines); parameters named like secrets
//! (`password`, `token`, ...) are written as `***`; phone numbers and e-mail addresses are masked,
//! because a POS log file ends up in support tickets. Control characters are escaped, so a server's
//! message cannot forge a line. The file is created readable by its owner only (0600 on Unix).

use crate::config::LogLevel;
use crate::redact::Scrubber;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// An append-only log file shared by the threads of a client.
pub struct Logger {
    level: LogLevel,
    file: Mutex<File>,
    /// Scrubs the token from lines (a server may echo it back in an error page, in any form).
    scrubber: Option<Scrubber>,
}

impl std::fmt::Debug for Logger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logger").field("level", &self.level).finish_non_exhaustive()
    }
}

impl Logger {
    /// Opens (creates, 0600) the file for appending; `scrubber` cleans every line.
    pub fn open(path: &Path, level: LogLevel, scrubber: Option<Scrubber>) -> std::io::Result<Logger> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path)?;
        Ok(Logger { level, file: Mutex::new(file), scrubber })
    }

    /// Whether lines of `level` are written.
    pub fn enabled(&self, level: LogLevel) -> bool {
        level != LogLevel::Off && level <= self.level
    }

    /// Writes one line, masked. Failures to write are ignored: a full disk must not fail a sale.
    pub fn write(&self, level: LogLevel, line: &str) {
        if !self.enabled(level) {
            return;
        }
        let scrubbed = match &self.scrubber {
            Some(scrubber) => scrubber.scrub(line),
            None => std::borrow::Cow::Borrowed(line),
        };
        let level_name = format!("{level:?}").to_uppercase();
        let text = format!("{} {level_name:5} {}\n", timestamp(), escape_controls(&mask(&scrubbed)));
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let _ = file.write_all(text.as_bytes());
    }
}

/// A parameter whose value is never written, whatever the log level: `password`, `token`, `secret`...
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["passw", "token", "secret", "apikey", "api_key", "authorization"].iter().any(|w| lower.contains(w))
}

/// One line stays one line: `\n`, `\r`, tabs and other control characters are written escaped.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Masks e-mail addresses (`i***@example.com`) and phone numbers (`+*********22`). A phone is told by
/// its shape: at least [`PHONE_DIGITS`] digits, bare or grouped with `+ - ( )` and spaces; dates
/// (`2026-12-01`) are never part of one, so a date and a time are not a phone.
pub fn mask(text: &str) -> String {
    let masked_emails = mask_emails(text);
    mask_phones(&masked_emails)
}

fn mask_emails(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let is_local = |c: char| c.is_alphanumeric() || "._%+-".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            // Walk back over the local part already copied to `out`.
            let mut local_len = 0;
            for c in out.chars().rev() {
                if is_local(c) {
                    local_len += 1;
                } else {
                    break;
                }
            }
            let has_domain = chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
            if local_len > 0 && has_domain {
                let keep: String =
                    out.chars().rev().skip(local_len).collect::<Vec<_>>().into_iter().rev().collect();
                let first = out.chars().rev().nth(local_len - 1).unwrap_or('*');
                out = keep;
                out.push(first);
                out.push_str("***");
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The fewest digits a phone number has (a national number without its country code: 999 000 11 22).
pub(crate) const PHONE_DIGITS: usize = 10;

fn mask_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            // A run of digits with the separators phone numbers are written with.
            let mut j = i;
            let mut digits = 0;
            while j < chars.len() && (chars[j].is_ascii_digit() || "+ -()".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                }
                j += 1;
            }
            while j > i && !chars[j - 1].is_ascii_digit() {
                j -= 1; // trailing separators are not part of the number
            }
            // Digits glued to letters are part of a hex id; a run with separators is a phone wherever it stands.
            let bare = chars[i..j].iter().all(char::is_ascii_digit);
            if digits >= PHONE_DIGITS && !(bare && is_hex_id_context(&chars, i, j)) {
                mask_run(&chars[i..j], &mut out);
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Masks a run of digits and separators, keeping dates in it as they are and masking each stretch
/// between them that still has a phone's digits (all but its last two digits).
fn mask_run(run: &[char], out: &mut String) {
    let mut piece_start = 0;
    let mut k = 0;
    while k < run.len() {
        if is_date_at(run, k) {
            mask_piece(&run[piece_start..k], out);
            out.extend(&run[k..k + 10]);
            k += 10;
            piece_start = k;
        } else {
            k += 1;
        }
    }
    mask_piece(&run[piece_start..], out);
}

fn mask_piece(piece: &[char], out: &mut String) {
    let digits = piece.iter().filter(|c| c.is_ascii_digit()).count();
    if digits < PHONE_DIGITS {
        out.extend(piece);
        return;
    }
    let mut seen = 0;
    for &c in piece {
        if c.is_ascii_digit() {
            seen += 1;
            out.push(if seen > digits - 2 { c } else { '*' });
        } else {
            out.push(c);
        }
    }
}

/// `dddd-dd-dd` starting at `k`, not glued to further digits.
fn is_date_at(run: &[char], k: usize) -> bool {
    let shape = b"dddd-dd-dd";
    if k + shape.len() > run.len() || (k > 0 && run[k - 1].is_ascii_digit()) {
        return false;
    }
    let fits =
        shape.iter().zip(&run[k..]).all(|(s, c)| if *s == b'd' { c.is_ascii_digit() } else { *c == '-' });
    fits && run.get(k + shape.len()).is_none_or(|c| !c.is_ascii_digit())
}

/// Digits inside a hex card id (`5f0c1a2b...`) are not a phone number: keep ids readable in the log.
fn is_hex_id_context(chars: &[char], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).map(|k| chars[k]);
    let after = chars.get(end).copied();
    before.is_some_and(|c| c.is_ascii_alphabetic()) || after.is_some_and(|c| c.is_ascii_alphabetic())
}

/// UTC time as `2026-11-28T15:04:05Z`, without a date crate.
fn timestamp() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    let (year, month, day) = crate::civil::civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_phones_and_emails() {
        let line = mask(
            r#"values[%PHONE%]=+7 (999) 000-11-22 email=ivan.petrov@example.com card=5f0c1a2b3c4d5e6f7a8b9c0d bonus=7500"#,
        );
        assert!(!line.contains("999) 000-11"), "{line}");
        assert!(line.contains("22"), "{line}");
        assert!(!line.contains("ivan.petrov"), "{line}");
        assert!(line.contains("i***@example.com"), "{line}");
        assert!(line.contains("5f0c1a2b3c4d5e6f7a8b9c0d"), "{line}");
        assert!(line.contains("bonus=7500"), "{line}");
        assert_eq!(mask("+79990001122"), "+*********22");
    }

    #[test]
    fn dates_and_short_numbers_are_not_phones() {
        assert_eq!(
            mask("on 2026-12-01 15:04 bonus=7500 order 1234567"),
            "on 2026-12-01 15:04 bonus=7500 order 1234567"
        );
        assert_eq!(mask("2026-12-01 +79990001122"), "2026-12-01 +*********22");
        assert_eq!(mask("8 (999) 000-11-22"), "* (***) ***-**-22");
    }

    #[test]
    fn lines_cannot_be_forged() {
        assert_eq!(
            escape_controls("bad\n2026-12-01T00:00:00Z INFO  forged\r\u{1b}"),
            "bad\\n2026-12-01T00:00:00Z INFO  forged\\r\\u{1b}"
        );
        assert!(is_secret_name("password") && is_secret_name("X-Api-Token") && !is_secret_name("nickname"));
    }

    #[test]
    fn timestamp_shape() {
        let t = timestamp();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
