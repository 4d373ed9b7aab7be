//! The 1C Native API, written out by hand: the platform's C++ interfaces as `#[repr(C)]` vtables.
//!
//! Layouts follow the platform's public headers (ComponentBase.h, AddInDefBase.h, IMemoryManager.h,
//! types.h) as the `addin1c` crate mirrors them. We keep our own layer rather than depend on that crate
//! because it offers no panic guard, no way to call `AddError`, and reads NULL string pointers as slices;
//! here every entry is guarded and checked (see `component.rs`).

pub mod component;
pub mod connection;
pub mod memory;
#[cfg(test)]
pub mod testing;
pub mod text;
pub mod types;
pub mod variant;

pub use component::{Addin, Component, Names};
pub use connection::Connection;
pub use variant::{Arg, Value1C};
