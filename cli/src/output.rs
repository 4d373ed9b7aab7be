//! Everything the CLI prints goes through here, so that a closed pipe never becomes a panic.
//!
//! `println!` panics when stdout is gone (`passteam call ... | head -1`); a CLI should stop quietly
//! instead, as `cat` does. Nothing useful can be said on a closed stdout, so a broken pipe exits 0
//! (the reader asked for no more); any other write error exits 74 (EX_IOERR) with a line on stderr.

use std::fmt::Arguments;
use std::io::{ErrorKind, Write};

/// Prints one line on stdout, or ends the program if stdout is closed.
pub fn line(args: Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()) {
        stdout_failed(e);
    }
}

/// Shorthand for [`line`] with `format!` arguments.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { $crate::output::line(format_args!($($arg)*)) };
}

/// Prints an API error object as pretty JSON on stderr (best effort: stderr may be closed too).
pub fn api_error(error: &passteam::Error) {
    let doc = serde_json::to_string_pretty(&error.to_json()).unwrap_or_else(|_| error.to_string());
    let _ = writeln!(std::io::stderr().lock(), "{doc}");
}

/// A note for the person at the terminal, on stderr (best effort).
pub fn note(args: Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{args}");
}

fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    let _ = writeln!(std::io::stderr().lock(), "passteam: cannot write to stdout: {e}");
    std::process::exit(74);
}
