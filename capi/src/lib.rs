//! libpassteam: the C library. It only links the C ABI (`passteam-ffi`, sources in `src/ffi`) into a
//! cdylib and a staticlib, so that the core stays a plain rlib that one build serves to every package
//! (README, "What you ship"). The exports are `#[no_mangle]` in passteam-ffi; re-exporting them keeps
//! them reachable, and so exported, from the .so / .dll and present in the .a.

pub use passteam_ffi::*;
