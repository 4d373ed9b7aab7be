//! The C ABI's minor version moves when its export set changes: `abi/1.N.txt` lists the exports of each
//! minor (see abi/README.md), and the committed header must declare exactly the current minor's list.

use passteam_ffi::{PASSTEAM_ABI_VERSION_MAJOR, PASSTEAM_ABI_VERSION_MINOR};
use std::collections::BTreeSet;
use std::path::PathBuf;

const HEADER: &str = include_str!("../include/passteam.h");

/// The `passteam_*` functions the header declares (a name directly followed by `(`).
fn declared_exports(header: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (start, _) in header.match_indices("passteam_") {
        let rest = &header[start..];
        let len = rest.find(|c: char| !(c.is_ascii_lowercase() || c == '_')).unwrap_or(rest.len());
        if rest[len..].starts_with('(') && !header[..start].ends_with(|c: char| c.is_alphanumeric()) {
            names.insert(rest[..len].to_owned());
        }
    }
    names
}

fn list(minor: u32) -> Option<BTreeSet<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("abi/{PASSTEAM_ABI_VERSION_MAJOR}.{minor}.txt"));
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
}

#[test]
fn the_header_declares_exactly_the_current_minors_exports() {
    let current = list(PASSTEAM_ABI_VERSION_MINOR).unwrap_or_else(|| {
        panic!("abi/{PASSTEAM_ABI_VERSION_MAJOR}.{PASSTEAM_ABI_VERSION_MINOR}.txt is missing: add it (abi/README.md)")
    });
    let declared = declared_exports(HEADER);
    let added: Vec<_> = declared.difference(&current).collect();
    let removed: Vec<_> = current.difference(&declared).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "the export set differs from abi/{PASSTEAM_ABI_VERSION_MAJOR}.{PASSTEAM_ABI_VERSION_MINOR}.txt: new {added:?}, \
         gone {removed:?}. A new export needs PASSTEAM_ABI_VERSION_MINOR + 1 and a new list; none may go in 1.x"
    );
}

#[test]
fn every_minor_keeps_the_exports_before_it_and_adds_some() {
    assert!(list(PASSTEAM_ABI_VERSION_MINOR + 1).is_none(), "a list for a minor newer than the library's");
    // The recorded history starts at 1.1 (1.0 was never released).
    for minor in 2..=PASSTEAM_ABI_VERSION_MINOR {
        let (Some(before), Some(after)) = (list(minor - 1), list(minor)) else {
            panic!("abi/{PASSTEAM_ABI_VERSION_MAJOR}.{}.txt or .{minor}.txt is missing", minor - 1);
        };
        let gone: Vec<_> = before.difference(&after).collect();
        assert!(gone.is_empty(), "1.{minor} drops exports of 1.{}: {gone:?}", minor - 1);
        assert!(after.len() > before.len(), "1.{minor} adds no export: the minor moved for nothing");
    }
}

#[test]
fn the_parser_finds_declarations_only() {
    let sample = "int32_t passteam_call(const X *c);\n * see passteam_string_free, or mypasteam_x(\n\
                  const char *passteam_version(void);";
    let found: Vec<String> = declared_exports(sample).into_iter().collect();
    assert_eq!(found, ["passteam_call", "passteam_version"]);
}
