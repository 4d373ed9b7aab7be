//! The platform's interface given to `Init` (`IAddInDefBase`): the component uses it only to report
//! errors with `AddError`, which turns the failure of a method into a 1C exception with our message.

use std::ffi::{c_long, c_ushort, c_void};
use std::ptr::NonNull;

/// `ADDIN_E_VERY_IMPORTANT`: the code the platform shows with the "!!!" icon.
pub const ADDIN_E_VERY_IMPORTANT: c_ushort = 1004;
/// `E_FAIL`: a failing HRESULT, so that the platform raises an exception (a zero `scode` would not).
pub const E_FAIL: c_long = 0x8000_4005_u32 as i32 as c_long;

/// The prefix of the vtable we call; the slots after `AddError` (Read, Write, RegisterProfileAs,
/// event buffer, ExternalEvent, status line) are not used, so not declared.
#[repr(C)]
struct AddInDefBaseVTable {
    dtor: usize,
    #[cfg(target_family = "unix")]
    dtor2: usize,
    add_error:
        unsafe extern "system" fn(*mut RawAddInDefBase, c_ushort, *const u16, *const u16, c_long) -> bool,
}

#[repr(C)]
struct RawAddInDefBase {
    vtable: *const AddInDefBaseVTable,
}

/// A handle on the platform's `IAddInDefBase`, valid between `Init` and `Done`.
#[derive(Clone, Copy)]
pub struct Connection(NonNull<RawAddInDefBase>);

impl Connection {
    /// Wraps the pointer passed to `Init`; `None` for NULL.
    ///
    /// # Safety
    /// `ptr` is NULL or a live `IAddInDefBase` that outlives every use of the handle.
    pub unsafe fn from_ptr(ptr: *mut c_void) -> Option<Connection> {
        NonNull::new(ptr.cast::<RawAddInDefBase>())
            .filter(|c| !(*c.as_ptr()).vtable.is_null())
            .map(Connection)
    }

    /// Queues an error for the platform: returned together with `false` from a method, the platform
    /// raises an exception whose description is `description`.
    pub fn add_error(&self, code: c_ushort, source: &str, description: &str, scode: c_long) -> bool {
        let source = to_wide_z(source);
        let description = to_wide_z(description);
        // SAFETY: the handle is live (contract of `from_ptr`); the strings are NUL-terminated and the
        // platform copies them before returning.
        unsafe {
            ((*(*self.0.as_ptr()).vtable).add_error)(
                self.0.as_ptr(),
                code,
                source.as_ptr(),
                description.as_ptr(),
                scode,
            )
        }
    }
}

fn to_wide_z(text: &str) -> Vec<u16> {
    // An interior NUL would cut the platform's copy short: drop it rather than lose the rest.
    text.encode_utf16().filter(|u| *u != 0).chain(std::iter::once(0)).collect()
}
