//! A quiet panic hook for the add-in's own copy of std.
//!
//! Every entry catches panics (a bug becomes a failed call, never an unwind into the platform), but std's
//! default hook still prints the panic to the host's stderr first and, with `RUST_BACKTRACE` set, walks
//! the stack: 1C's stderr is nobody's console, a panic message may quote the data being processed, and
//! the walk itself crashed 32-bit Wine's dbghelp. The library is a cdylib with its own std, so this
//! hook is the add-in's alone: it never changes the host's (or another Rust library's) hook.

use std::cell::Cell;
use std::sync::Once;

static INSTALL: Once = Once::new();

thread_local! {
    /// How many panics the hook has seen on this thread (what a caught panic becomes is the entry's job).
    static PANICS_SEEN: Cell<usize> = const { Cell::new(0) };
}

/// Installs the hook once per process; later calls do nothing.
pub fn install() {
    INSTALL.call_once(|| {
        // Unit tests keep std's report of a failing assertion (the previous hook), after counting.
        #[cfg(test)]
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |_info| {
            let _ = PANICS_SEEN.try_with(|seen| seen.set(seen.get() + 1));
            #[cfg(test)]
            previous(_info);
        }));
    });
}

/// Panics the hook has seen on the calling thread.
#[cfg(test)]
pub fn panics_seen() -> usize {
    PANICS_SEEN.with(Cell::get)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::catch_unwind;

    #[test]
    fn the_hook_sees_caught_panics_once_installed_and_installs_once() {
        install();
        install();
        let before = panics_seen();
        assert!(catch_unwind(|| panic!("caught on purpose")).is_err());
        // std's default hook would not count: the add-in's own hook ran.
        assert_eq!(panics_seen(), before + 1);
    }

    #[test]
    fn creating_an_object_installs_the_hook() {
        let mut object: *mut std::ffi::c_void = std::ptr::null_mut();
        let name = crate::native::testing::wide("Client");
        unsafe {
            assert_eq!(crate::exports::GetClassObject(name.as_ptr(), &mut object), 1);
            assert_eq!(crate::exports::DestroyObject(&mut object), 0);
        }
        assert!(INSTALL.is_completed());
    }
}
