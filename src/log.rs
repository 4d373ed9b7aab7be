//! The optional call log: a file (never stdout, which belongs to the host), one line per attempt.
//!
//! The token and the `Authorization` header are never written (they are never given to the logger);
//! phone numbers and e-mail addresses in parameters and messages are masked, because a POS log file
//! ends up in support tickets.

use crate::config::LogLevel;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// An append-only log file shared by the threads of a client.
pub struct Logger {
    level: LogLevel,
    file: Mutex<File>,
    /// The token, only to scrub it from lines (a server may echo it back in an error page).
    secret: Option<String>,
}

impl std::fmt::Debug for Logger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logger").field("level", &self.level).finish_non_exhaustive()
    }
}

impl Logger {
    /// Opens (creates) the file for appending; `secret` is scrubbed from every line.
    pub fn open(path: &Path, level: LogLevel, secret: Option<String>) -> std::io::Result<Logger> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let secret = secret.filter(|s| !s.is_empty());
        Ok(Logger { level, file: Mutex::new(file), secret })
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
        let scrubbed = match &self.secret {
            Some(secret) if line.contains(secret.as_str()) => line.replace(secret.as_str(), "***"),
            _ => line.to_owned(),
        };
        let text = format!("{} {:5} {}\n", timestamp(), format!("{level:?}").to_uppercase(), mask(&scrubbed));
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let _ = file.write_all(text.as_bytes());
    }
}

/// Masks e-mail addresses (`i***@example.com`) and phone-like digit runs of 7+ digits (`+*********22`).
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
            if digits >= 7 && !(bare && is_hex_id_context(&chars, i, j)) {
                let mut seen = 0;
                for &c in &chars[i..j] {
                    if c.is_ascii_digit() {
                        seen += 1;
                        out.push(if seen > digits - 2 { c } else { '*' });
                    } else {
                        out.push(c);
                    }
                }
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
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
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
    fn timestamp_shape() {
        let t = timestamp();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
