//! Regenerates include/passteam.h from src/ffi with the pinned cbindgen (see Cargo.toml), so the header
//! and the code cannot drift. The header is committed; tests fail when the committed one differs.
//!
//! Also writes the phone metadata of `src/validation/phone_metadata.rs` (libphonenumber's, from the
//! `phonenumber` crate, a build dependency only): the few fields the phone parser reads, as one string of
//! patterns and offsets into it, so the library links neither the crate's runtime loader nor regex's
//! Unicode tables (measured: 6.0 MiB stripped with the crate at run time, see the README).

use std::collections::HashMap;
use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    phone_metadata(&PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")));
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=PASSTEAM_WRITE_HEADER");
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml is valid");
    // Written to OUT_DIR always (the tests compare it with the committed header); copied over the committed
    // header when PASSTEAM_WRITE_HEADER=1 (or when there is none yet), so a build never dirties a checkout unasked.
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let generated = out_dir.join("passteam.h");
    match cbindgen::Builder::new()
        // Only the ffi module is the C ABI: parsing just its tree means no Rust-side public item can leak
        // into the header, so cbindgen.toml needs no exclude list.
        .with_src(crate_dir.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
    {
        Ok(bindings) => {
            bindings.write_to_file(&generated);
            let committed = crate_dir.join("include/passteam.h");
            if env::var("PASSTEAM_WRITE_HEADER").as_deref() == Ok("1") || !committed.exists() {
                bindings.write_to_file(committed);
            }
        }
        Err(e) => panic!("cbindgen could not generate the header: {e}"),
    }
    println!("cargo:rustc-env=PASSTEAM_GENERATED_HEADER={}", generated.display());
}

/// Every pattern once, and where each is.
#[derive(Default)]
struct Patterns {
    text: String,
    seen: HashMap<String, (usize, usize)>,
}

impl Patterns {
    /// `S(start, len)` of a pattern in the text, whitespace removed as libphonenumber's own metadata
    /// builder does; `S(0, 0)` for none.
    fn span(&mut self, pattern: Option<&str>) -> String {
        let p: String = pattern.unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
        if p.is_empty() {
            return "S(0, 0)".into();
        }
        let text = &mut self.text;
        let (start, len) = *self.seen.entry(p.clone()).or_insert_with(|| {
            text.push_str(&p);
            (text.len() - p.len(), p.len())
        });
        format!("S({start}, {len})")
    }

    fn desc(&mut self, d: Option<&phonenumber::metadata::Descriptor>) -> String {
        let mask = |lengths: &[u16]| lengths.iter().filter(|&&l| l < 32).fold(0u32, |m, &l| m | (1 << l));
        match d {
            Some(d) => format!(
                "D {{ pattern: {}, lengths: {:#x}, local: {:#x}, present: true }}",
                self.span(Some(d.national_number().as_str())),
                mask(d.possible_length()),
                mask(d.possible_local_length())
            ),
            None => "D::ABSENT".into(),
        }
    }
}

/// `OUT_DIR/phone_metadata.rs`: `TEXT` (the patterns) and `REGIONS` (per region, in the crate's order
/// within a country code).
fn phone_metadata(out_dir: &Path) {
    use phonenumber::metadata::DATABASE;
    let mut p = Patterns::default();
    let mut regions = String::new();
    // Every code (not DATABASE.iter(), which holds one of the non-geographic "001" entries only).
    for code in 1..1000u16 {
        for m in DATABASE.by_code(&code).unwrap_or_default() {
            let d = m.descriptors();
            let types: Vec<String> = [
                d.premium_rate(),
                d.toll_free(),
                d.shared_cost(),
                d.voip(),
                d.personal_number(),
                d.pager(),
                d.uan(),
                d.voicemail(),
                d.fixed_line(),
                d.mobile(),
            ]
            .into_iter()
            .map(|t| p.desc(t))
            .collect();
            let general = p.desc(Some(d.general()));
            let idd = p.span(m.international_prefix().map(|r| r.as_str()));
            let national_prefix = p.span(m.national_prefix());
            let for_parsing = p.span(m.national_prefix_for_parsing().map(|r| r.as_str()));
            let transform = p.span(m.national_prefix_transform_rule());
            let leading = p.span(m.leading_digits().map(|r| r.as_str()));
            let _ = writeln!(
                regions,
                "    Region {{ id: {:?}, code: {code}, main: {}, idd: {idd}, national_prefix: {national_prefix}, \
                 prefix_for_parsing: {for_parsing}, transform_rule: {transform}, leading_digits: {leading}, \
                 general: {general}, types: [{}] }},",
                m.id(),
                m.is_main_country_for_code(),
                types.join(", ")
            );
        }
    }
    let source =
        format!("static TEXT: &str = {:?};\n\nstatic REGIONS: &[Region] = &[\n{regions}];\n", p.text);
    std::fs::write(out_dir.join("phone_metadata.rs"), source).expect("OUT_DIR is writable");
}
