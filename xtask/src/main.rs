//! `cargo run -p xtask -- gen`: rewrite every generated file from the method table.
//! `cargo run -p xtask -- check`: exit 1, naming them, when committed generated files are stale.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let command = std::env::args().nth(1).unwrap_or_default();
    let outputs = match xtask::generate(&root) {
        Ok(outputs) => outputs,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::FAILURE;
        }
    };
    match command.as_str() {
        "gen" => {
            for output in &outputs {
                if let Err(e) = output.write(&root) {
                    eprintln!("xtask: {e}");
                    return ExitCode::FAILURE;
                }
            }
            println!("xtask: {} generated files up to date", outputs.len());
            ExitCode::SUCCESS
        }
        "check" => {
            let stale = xtask::stale(&root, &outputs);
            if stale.is_empty() {
                println!("xtask: {} generated files up to date", outputs.len());
                ExitCode::SUCCESS
            } else {
                eprintln!("xtask: stale (run `cargo run -p xtask -- gen`): {}", stale.join(", "));
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("usage: cargo run -p xtask -- gen | check");
            ExitCode::from(2)
        }
    }
}
