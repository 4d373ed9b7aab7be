//! The per-operation C exports are frozen at ABI 1.1 (libcurl's habit: one entry point, `passteam_call`,
//! serves every operation added later), so the C surface stops growing with the API. `abi/1.1.txt` is
//! the committed list of that version's exports; an operation gets its own export only if it is there.

use passteam::{Method, METHODS};
use std::path::Path;

/// The ABI version whose export list fixes the per-operation exports for all of 1.x.
pub const FROZEN_AT: &str = "abi/1.1.txt";

/// The operations that have their own C export, in the table's order.
pub fn operations(root: &Path) -> Result<Vec<&'static Method>, String> {
    let list = std::fs::read_to_string(root.join(FROZEN_AT)).map_err(|e| format!("{FROZEN_AT}: {e}"))?;
    let exports: Vec<&str> = list.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    // A frozen operation removed from the table loses its export; tests/abi_versions.rs then fails,
    // since the header no longer declares every export of the list.
    Ok(METHODS.iter().filter(|m| exports.contains(&m.export_name().as_str())).collect())
}
