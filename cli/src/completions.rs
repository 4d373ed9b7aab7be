//! `passteam completions SHELL`: a completion script, e.g. `passteam completions bash > /etc/bash_completion.d/passteam`.

use clap::CommandFactory;
use clap_complete::Shell;
use passteam::Error;

#[derive(clap::Args)]
pub struct Args {
    /// The shell to complete for.
    shell: Shell,
}

pub fn run(args: Args) -> Result<(), Error> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut crate::Cli::command(), "passteam", &mut script);
    crate::say!("{}", String::from_utf8_lossy(&script).trim_end());
    Ok(())
}
