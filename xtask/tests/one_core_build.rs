//! One build of the core serves every host (issue 10 item 10): the 1C add-in, the CLI and the C library
//! (libpassteam) must resolve the same features for the `passteam` package and for everything it links,
//! or cargo compiles the core once per feature set and alternating builds recompile it (README, "What
//! you ship"). Read from `cargo tree` (stable, and it only reads the lockfile: no build), one root at a time,
//! as `cargo build -p ...` resolves it.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

/// The hosts that link the core; each is built on its own by scripts (scripts/dist, bindings/1c/package.sh).
const HOSTS: [&str; 3] = ["passteam-1c", "passteam-cli", "libpassteam"];

/// The machine's target triple (`rustc -vV`). Named to `cargo tree`: without `--target` it shows a
/// package that is both a build-time and a run-time dependency as one node, with one side's features.
fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).arg("-vV").output().expect("rustc runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    text.lines().find_map(|l| l.strip_prefix("host: ")).expect("rustc -vV names the host").to_owned()
}

/// `cargo tree` of one package's normal and build dependencies, every node expanded (no `(*)`), each
/// line `DEPTH` + `name version [features]`.
fn tree(package: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&root)
        .args(["tree", "--locked", "--offline", "--no-dedupe", "-e", "normal,build", "--prefix", "depth"])
        .args(["--format", "{p} [{f}]", "--target", &host_triple(), "-p", package])
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo tree -p {package}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The `passteam` node and everything below it, with features: what decides whether cargo can reuse one
/// compiled core. Paths are dropped (the same package in every tree).
fn core_subtree(tree: &str) -> BTreeSet<String> {
    let lines: Vec<(usize, &str)> = tree
        .lines()
        .map(|l| {
            let text = l.trim_start_matches(|c: char| c.is_ascii_digit());
            (l[..l.len() - text.len()].parse().expect("a depth prefix"), text)
        })
        .collect();
    let start = lines.iter().position(|(_, t)| t.starts_with("passteam v")).expect("the tree links the core");
    let depth = lines[start].0;
    let below = lines[start + 1..].iter().take_while(|(d, _)| *d > depth);
    std::iter::once(&lines[start]).chain(below).map(|(_, t)| without_path(t)).collect()
}

/// `name version [features]` of a line, without a local package's ` (/path)`.
fn without_path(line: &str) -> String {
    let (package, features) = line.rsplit_once(" [").unwrap_or((line, "]"));
    let package = package.split(" (/").next().unwrap_or(package);
    format!("{package} [{features}")
}

#[test]
fn every_host_resolves_one_feature_set_for_the_core() {
    let subtrees: Vec<(&str, BTreeSet<String>)> =
        HOSTS.iter().map(|h| (*h, core_subtree(&tree(h)))).collect();
    let (first, expected) = &subtrees[0];
    assert!(
        expected.iter().any(|l| l.starts_with("ureq v")),
        "the core's subtree is read whole: {expected:?}"
    );
    for (host, subtree) in &subtrees[1..] {
        let only_first: Vec<_> = expected.difference(subtree).collect();
        let only_host: Vec<_> = subtree.difference(expected).collect();
        assert!(
            only_first.is_empty() && only_host.is_empty(),
            "-p {first} and -p {host} resolve the core differently, so each recompiles it: \
             only in {first}: {only_first:?}; only in {host}: {only_host:?}"
        );
    }
}

#[test]
fn only_the_c_library_links_the_c_abi() {
    // The 1C add-in's DLL must export only the Native API entry points, and the core stays free of the ffi.
    for host in ["passteam-1c", "passteam-cli"] {
        assert!(
            !tree(host).contains("passteam-ffi v"),
            "-p {host} links passteam-ffi (the passteam_* exports)"
        );
    }
    assert!(tree("libpassteam").contains("passteam-ffi v"), "libpassteam links the C ABI");
}

#[test]
fn the_subtree_reader_sees_a_feature_difference() {
    // The check above must be able to fail: two trees whose core differs only in one dependency's feature.
    let a = "0host v0.1.0 (/r) []\n1passteam v0.1.0 (/r) []\n2serde v1.0.0 [std]\n1other v1.0.0 []\n";
    let b = "0host v0.1.0 (/r) []\n1passteam v0.1.0 (/r) []\n2serde v1.0.0 [derive,std]\n";
    assert_ne!(core_subtree(a), core_subtree(b));
    assert_eq!(
        core_subtree(a),
        BTreeSet::from(["passteam v0.1.0 []".to_owned(), "serde v1.0.0 [std]".to_owned()])
    );
}
