//! Runs a sandbox in the foreground: `cargo run -p passteam-sandbox --example serve -- [PORT]`.
//! Prints one line of JSON (`{"base_url": ..., "token": ...}`) once it listens, then serves until killed.

use passteam_sandbox::{Sandbox, SandboxConfig, TEMPLATE_GIFT, TEMPLATE_LOYALTY};

fn main() {
    let port = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    let sb = Sandbox::start(SandboxConfig { port, ..Default::default() }).expect("start the sandbox");
    println!(
        "{}",
        serde_json::json!({
            "base_url": sb.base_url(),
            "token": sb.token(),
            "templates": {"loyalty": TEMPLATE_LOYALTY, "gift": TEMPLATE_GIFT},
        })
    );
    loop {
        std::thread::park();
    }
}
