//! `passteam sandbox`: the emulator on its own, for other languages' tests and for trying things by hand.

use crate::arg_error;
use passteam::Error;
use passteam_sandbox::{Sandbox, SandboxConfig};
use std::ffi::OsString;
use std::io::{Read, Write};

pub fn run(args: Vec<OsString>) -> Result<(), Error> {
    use lexopt::Arg::Long;
    let mut parser = lexopt::Parser::from_args(args);
    let mut config = SandboxConfig::default();
    let mut exit_on_eof = false;
    let text = |p: &mut lexopt::Parser| -> Result<String, Error> {
        p.value()
            .map_err(arg_error)?
            .into_string()
            .map_err(|_| Error::invalid_argument("arguments must be UTF-8"))
    };
    let number = |p: &mut lexopt::Parser, flag: &str| -> Result<u64, Error> {
        text(p)?.parse().map_err(|_| Error::invalid_argument(format!("{flag} takes a number")))
    };
    while let Some(arg) = parser.next().map_err(arg_error)? {
        match arg {
            Long("port") => {
                config.port = u16::try_from(number(&mut parser, "--port")?)
                    .map_err(|_| Error::invalid_argument("--port is 0..65535"))?
            }
            Long("token") => config.token = text(&mut parser)?,
            Long("quota-per-hour") => config.quota_per_hour = Some(number(&mut parser, "--quota-per-hour")?),
            Long("exit-on-eof") => exit_on_eof = true,
            other => return Err(arg_error(other.unexpected())),
        }
    }
    let sandbox = Sandbox::start(config)
        .map_err(|e| Error::new(passteam::Status::Transport, format!("cannot start the sandbox: {e}")))?;
    // One machine-readable line first: test harnesses read it to learn the port.
    let line =
        serde_json::json!({"base_url": sandbox.base_url(), "port": sandbox.port(), "token": sandbox.token()});
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
    drop(out);
    eprintln!(
        "passteam sandbox listening on {} (token {:?}); Ctrl-C stops it",
        sandbox.base_url(),
        sandbox.token()
    );
    if exit_on_eof {
        let mut sink = [0u8; 256];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        sandbox.shutdown();
        return Ok(());
    }
    loop {
        std::thread::park();
    }
}
