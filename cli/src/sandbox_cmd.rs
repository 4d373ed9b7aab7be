//! `passteam sandbox`: the emulator on its own, for other languages' tests and for trying things by hand.

use passteam::{Error, Status};
use passteam_sandbox::{Sandbox, SandboxConfig};
use std::io::Read;

#[derive(clap::Args)]
#[command(after_help = "The token it accepts is --token when given on the command line (never \
                        $PASSTEAM_TOKEN, which may be a real one), else sandbox-token.\n\nIt prints one JSON line first ({\"base_url\", \"port\", \"token\"}), then serves until \
                        killed. Try it:\n  passteam sandbox --port 8787 &\n  passteam --base-url \
                        http://127.0.0.1:8787 --token sandbox-token call getListTemplates")]
pub struct Args {
    /// The port on 127.0.0.1 (0: the OS picks one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Refuse requests past this many an hour, with Passteam's own message.
    #[arg(long, value_name = "N")]
    quota_per_hour: Option<u64>,
    /// Stop when stdin reaches end of file (for test harnesses that own the process).
    #[arg(long)]
    exit_on_eof: bool,
}

/// `token_flag`: the global `--token`, only when it was typed on the command line.
pub fn run(args: Args, token_flag: Option<String>) -> Result<(), Error> {
    let defaults = SandboxConfig::default();
    let config = SandboxConfig {
        port: args.port,
        token: token_flag.unwrap_or(defaults.token.clone()),
        quota_per_hour: args.quota_per_hour,
        ..defaults
    };
    let sandbox = Sandbox::start(config)
        .map_err(|e| Error::new(Status::Transport, format!("cannot start the sandbox: {e}")))?;
    // One machine-readable line first: test harnesses read it to learn the port.
    crate::say!(
        "{}",
        serde_json::json!({"base_url": sandbox.base_url(), "port": sandbox.port(), "token": sandbox.token()})
    );
    crate::output::note(format_args!(
        "passteam sandbox listening on {} (token {:?}); Ctrl-C stops it",
        sandbox.base_url(),
        sandbox.token()
    ));
    if args.exit_on_eof {
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
