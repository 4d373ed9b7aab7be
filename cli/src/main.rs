//! `passteam`: call any Passteam method from a shell, run the demo of the vendor's integration scenarios,
//! or run the sandbox (a local emulator of the API) on its own.
//!
//! Conventions (those of every Unix tool): `--help` on every command prints to stdout and exits 0; a usage
//! error is plain text on stderr with exit code 2; JSON is kept for what the API says: a result on stdout,
//! an API error object on stderr with the status (PASSTEAM_ERR_*) as the exit code. Global options
//! (`--token`, `--base-url`, `--config`, `--timeout-ms`) may stand anywhere on the line. A closed stdout
//! (`passteam call ... | head -1`) ends the program quietly, never with a panic.
//!
//! Adding a subcommand: one file with an `Args` struct and a `run`, one variant in [`Command`], one arm
//! in [`main`].

mod batch_cmd;
mod call;
mod completions;
mod connection;
mod demo;
mod doctor_cmd;
mod methods_cmd;
mod outbox_cmd;
mod output;
mod sandbox_cmd;
mod webhooks_cmd;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

/// The Passteam loyalty-card API from a shell.
#[derive(Parser)]
#[command(
    name = "passteam",
    version = passteam::VERSION,
    propagate_version = true,
    after_help = "The token comes from --token or $PASSTEAM_TOKEN, the base URL from --base-url or \
                  $PASSTEAM_BASE_URL (else https://getpass.passteam.ru). `passteam demo` uses an embedded \
                  sandbox and never your account unless you add --live."
)]
struct Cli {
    #[command(flatten)]
    connection: connection::ConnectionArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Call one operation and print its result as JSON.
    Call(call::Args),
    /// Run many operations (a JSON array of {"method", "params"}) and print every item's result.
    Batch(batch_cmd::Args),
    /// List the operations of the method table.
    Methods(methods_cmd::Args),
    /// Walk through the vendor's integration scenario (embedded sandbox unless --live).
    Demo(demo::Args),
    /// Run the sandbox (a local emulator of the API) until killed.
    Sandbox(sandbox_cmd::Args),
    /// Run the durable webhook receiver (`serve`) or check one payload (`parse`).
    Webhooks {
        /// serve --path /passteam/SECRET --store FILE [--listen ADDR] [--config JSON] [--max-events N],
        /// or parse [BODY_JSON|-]
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0.., value_name = "ARGS")]
        args: Vec<std::ffi::OsString>,
    },
    /// Replay, inspect and clean up the offline outbox (see the README's "Offline").
    Outbox(outbox_cmd::Args),
    /// Say why cards don't update: DNS, proxy, TCP, TLS, token, clock, quota, outbox, library.
    Doctor(doctor_cmd::Args),
    /// Print the version of the CLI and of the C ABI it was built with.
    Version,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
}

fn version_line() -> String {
    let abi = passteam::ABI_VERSION;
    format!("{} (C ABI {}.{})", passteam::VERSION, abi >> 16, abi & 0xffff)
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // The sandbox accepts a token typed on its command line, never one inherited from the environment
    // (it prints the token it accepts, and $PASSTEAM_TOKEN may be a real one).
    let typed_token = match matches.subcommand() {
        Some((_, sub)) if sub.value_source("token") == Some(ValueSource::CommandLine) => {
            cli.connection.token.clone()
        }
        _ if matches.value_source("token") == Some(ValueSource::CommandLine) => cli.connection.token.clone(),
        _ => None,
    };
    let outcome = match cli.command {
        Command::Call(args) => call::run(args, &cli.connection),
        Command::Batch(args) => match batch_cmd::run(args, &cli.connection) {
            Ok(code) => return code,
            Err(e) => Err(e),
        },
        Command::Methods(args) => methods_cmd::run(args),
        Command::Demo(args) => demo::run(args, &cli.connection),
        Command::Sandbox(args) => sandbox_cmd::run(args, typed_token),
        Command::Version => {
            output::line(format_args!("passteam {}", version_line()));
            Ok(())
        }
        Command::Completions(args) => completions::run(args),
        Command::Webhooks { args } => webhooks_cmd::run(args),
        Command::Outbox(args) => outbox_cmd::run(args, &cli.connection),
        Command::Doctor(args) => match doctor_cmd::run(args, &cli.connection) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::FAILURE,
            Err(e) => Err(e),
        },
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A queued call is not a failure: the queued object (with its outbox_id) is the answer, on
            // stdout; the exit code 12 tells scripts it has not been delivered yet.
            if e.is_queued() {
                say!("{}", serde_json::to_string_pretty(&e.to_json()).unwrap_or_default());
            } else {
                output::api_error(&e);
            }
            ExitCode::from(e.status.code().clamp(1, 255) as u8)
        }
    }
}

/// Ends the program with a usage error in clap's format: plain text on stderr, exit code 2.
pub(crate) fn usage_error(kind: clap::error::ErrorKind, message: impl std::fmt::Display) -> ! {
    Cli::command().error(kind, message).exit()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
