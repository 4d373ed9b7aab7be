//! Regenerates include/passteam.h from src/ffi with the pinned cbindgen (see Cargo.toml), so the header
//! and the code cannot drift. The header is committed; tests fail when the committed one differs.

use std::env;
use std::path::PathBuf;

fn main() {
    // This package's sources and the header live at the repository's root (src/ffi, include/).
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("..");
    println!("cargo:rerun-if-changed=../src/ffi");
    println!("cargo:rerun-if-changed=../cbindgen.toml");
    println!("cargo:rerun-if-env-changed=PASSTEAM_WRITE_HEADER");
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml is valid");
    // Written to OUT_DIR always (the tests compare it with the committed header); copied over the committed
    // header when PASSTEAM_WRITE_HEADER=1 (or when there is none yet), so a build never dirties a checkout unasked.
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let generated = out_dir.join("passteam.h");
    match cbindgen::Builder::new()
        // Only the ffi module is the C ABI: parsing just its tree means no Rust-side public item can leak
        // into the header, so cbindgen.toml needs no exclude list.
        .with_src(root.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
    {
        Ok(bindings) => {
            bindings.write_to_file(&generated);
            let committed = root.join("include/passteam.h");
            if env::var("PASSTEAM_WRITE_HEADER").as_deref() == Ok("1") || !committed.exists() {
                bindings.write_to_file(committed);
            }
        }
        Err(e) => panic!("cbindgen could not generate the header: {e}"),
    }
    println!("cargo:rustc-env=PASSTEAM_GENERATED_HEADER={}", generated.display());
}
