//! The committed generated files match what the method table generates now (like the header check in
//! tests/c_abi.rs). On failure: `cargo run -p xtask -- gen` and commit the result.

use std::path::PathBuf;

#[test]
fn generated_files_are_fresh() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let outputs = xtask::generate(&root).expect("the generator runs");
    let stale = xtask::stale(&root, &outputs);
    assert!(stale.is_empty(), "stale generated files (run `cargo run -p xtask -- gen`): {stale:?}");
}

#[test]
fn the_check_notices_an_edit() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut outputs = xtask::generate(&root).expect("the generator runs");
    outputs[0].contents.push_str("// drift\n");
    assert_eq!(xtask::stale(&root, &outputs), vec![outputs[0].path]);
}
