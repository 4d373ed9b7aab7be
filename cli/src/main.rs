//! `passteam`: call any Passteam method from a shell, run the demo of the vendor's integration scenarios,
//! or run the sandbox (a local emulator of the API) on its own.
//!
//! ```text
//! passteam call METHOD [PARAMS_JSON|-] [--token T] [--base-url URL] [--config JSON] [--timeout-ms N]
//! passteam methods [--json]
//! passteam demo [--token T] [--base-url URL]
//! passteam sandbox [--port N] [--token T] [--quota-per-hour N] [--exit-on-eof]
//! passteam webhooks serve --path /passteam/SECRET --store FILE [--listen ADDR] [--config JSON] [--max-events N]
//! passteam webhooks parse [BODY_JSON|-]
//! ```
//! `call` prints the result as pretty JSON on stdout; on failure the error object goes to stderr and the
//! exit code is the status (PASSTEAM_ERR_*). The token comes from `--token` or `PASSTEAM_TOKEN`, the base URL
//! from `--base-url` or `PASSTEAM_BASE_URL`; the token is never printed.

mod call;
mod demo;
mod sandbox_cmd;
mod webhooks_cmd;

use std::process::ExitCode;

const USAGE: &str = "\
usage:
  passteam call METHOD [PARAMS_JSON|-] [--token T] [--base-url URL] [--config JSON] [--timeout-ms N]
  passteam methods [--json]
  passteam demo [--token T] [--base-url URL]
  passteam sandbox [--port N] [--token T] [--quota-per-hour N] [--exit-on-eof]
  passteam webhooks serve --path /passteam/SECRET --store FILE [--listen ADDR] [--config JSON] [--max-events N]
  passteam webhooks parse [BODY_JSON|-]
  passteam version

The token defaults to $PASSTEAM_TOKEN, the base URL to $PASSTEAM_BASE_URL (else https://getpass.passteam.ru).
`demo` without a token runs against an embedded sandbox.";

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(command) = args.next() else {
        eprintln!("{USAGE}");
        return ExitCode::from(passteam::Status::InvalidArgument.code() as u8);
    };
    let rest: Vec<std::ffi::OsString> = args.collect();
    let outcome = match command.to_str().unwrap_or("") {
        "call" => call::run(rest),
        "methods" => call::methods(rest),
        "demo" => demo::run(rest),
        "sandbox" => sandbox_cmd::run(rest),
        "webhooks" => webhooks_cmd::run(rest),
        "version" | "--version" | "-V" => {
            println!("passteam {} (C ABI {:#x})", passteam::VERSION, passteam::ABI_VERSION);
            Ok(())
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(passteam::Error::invalid_argument(format!("unknown command {other:?}\n{USAGE}"))),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let doc = serde_json::to_string_pretty(&e.to_json()).unwrap_or_else(|_| e.to_string());
            eprintln!("{doc}");
            ExitCode::from(e.status.code().clamp(1, 255) as u8)
        }
    }
}

/// Turns lexopt's complaints into our InvalidArgument.
pub(crate) fn arg_error(e: lexopt::Error) -> passteam::Error {
    passteam::Error::invalid_argument(format!("{e}\n{USAGE}"))
}
