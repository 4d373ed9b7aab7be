//! The code generator: everything that used to be a hand-kept copy of the method table
//! (`passteam::METHODS`) is emitted from it here, committed, and checked for staleness by
//! `tests/fresh.rs` (part of the rust suite), the way `include/passteam.h` is checked.
//!
//! Outputs:
//! - `src/ffi/operations.rs`: the per-operation C exports with their doc comments (frozen at ABI 1.1,
//!   see [`frozen`]);
//! - `src/client_operations.rs`: the typed Rust functions (`Client::get_card`, ...);
//! - `tests/c/ops.c` and `tests/support/exports.rs`: the C and Rust tests' lists of the per-operation
//!   exports;
//! - `bindings/1c/harness/method_names.inc`: the 1C harness's Russian / English name table;
//! - the generated sections of `README.md` (method table, per-operation exports, retry lists, the config
//!   keys);
//! - from the config schema (`passteam::config_schema_json`): the README's config table and the key list
//!   in the doc comment of `passteam_client_new` (`src/ffi/exports.rs`; the header gets it from there).

mod c_exports;
mod config_docs;
mod describe;
pub mod frozen;
mod onec;
mod readme;
mod typed_rust;

use std::path::Path;

/// One generated file: where it goes and what it holds.
pub struct Output {
    /// Relative to the repository root.
    pub path: &'static str,
    pub contents: String,
}

impl Output {
    /// Writes the file if its contents changed (so an unchanged file keeps its mtime and builds stay warm).
    pub fn write(&self, root: &Path) -> Result<(), String> {
        let path = root.join(self.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(self.contents.as_str()) {
            return Ok(());
        }
        std::fs::write(&path, &self.contents).map_err(|e| format!("cannot write {}: {e}", self.path))
    }
}

/// Every generated file, from the table and the committed inputs (the frozen export list, README).
pub fn generate(root: &Path) -> Result<Vec<Output>, String> {
    let frozen = frozen::operations(root)?;
    let readme = std::fs::read_to_string(root.join("README.md")).map_err(|e| format!("README.md: {e}"))?;
    let exports_path = "src/ffi/exports.rs";
    let exports =
        std::fs::read_to_string(root.join(exports_path)).map_err(|e| format!("{exports_path}: {e}"))?;
    let keys = config_docs::keys();
    let exports = config_docs::replace_lines(
        &exports,
        exports_path,
        "config-keys",
        &config_docs::client_new_doc(&keys),
    )?;
    Ok(vec![
        Output { path: "src/ffi/operations.rs", contents: c_exports::rust_exports(&frozen) },
        Output { path: "src/client_operations.rs", contents: typed_rust::typed_functions() },
        Output { path: "tests/c/ops.c", contents: c_exports::c_test_table(&frozen) },
        Output { path: "tests/support/exports.rs", contents: c_exports::rust_test_list(&frozen) },
        Output { path: "bindings/1c/harness/method_names.inc", contents: onec::harness_names() },
        Output {
            path: "README.md",
            contents: readme::splice(&readme, &frozen, &config_docs::readme_table(&keys))?,
        },
        Output { path: exports_path, contents: exports },
    ])
}

/// The outputs whose committed file differs from what the table generates now.
pub fn stale(root: &Path, outputs: &[Output]) -> Vec<&'static str> {
    outputs
        .iter()
        .filter(|o| std::fs::read_to_string(root.join(o.path)).ok().as_deref() != Some(o.contents.as_str()))
        .map(|o| o.path)
        .collect()
}

/// The banner every generated source file starts with.
pub(crate) fn banner(comment: &str) -> String {
    format!(
        "{comment} GENERATED from the method table (src/methods.rs) by `cargo run -p xtask -- gen`: do not edit.\n"
    )
}
