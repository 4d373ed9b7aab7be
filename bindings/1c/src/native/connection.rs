//! The platform's interface given to `Init` (`IAddInDefBase`): the component uses it to report errors
//! with `AddError` (a 1C exception with our message) and to raise `ВнешнееСобытие` with
//! `ExternalEvent` when a webhook arrives (after `SetEventBufferDepth`, so that a burst is not dropped).

use std::ffi::{c_long, c_ushort, c_void};
use std::ptr::NonNull;

/// `ADDIN_E_VERY_IMPORTANT`: the code the platform shows with the "!!!" icon.
pub const ADDIN_E_VERY_IMPORTANT: c_ushort = 1004;
/// `E_FAIL`: a failing HRESULT, so that the platform raises an exception (a zero `scode` would not).
pub const E_FAIL: c_long = 0x8000_4005_u32 as i32 as c_long;

/// The prefix of the vtable we call, in the order of `IAddInDefBase`'s virtual functions; the slots we
/// do not call (Read, Write, RegisterProfileAs, GetEventBufferDepth) are kept as plain words, and the
/// ones after `ExternalEvent` (CleanEventBuffer, status line) are not declared.
#[repr(C)]
pub(crate) struct AddInDefBaseVTable {
    pub dtor: usize,
    #[cfg(target_family = "unix")]
    pub dtor2: usize,
    pub add_error:
        unsafe extern "system" fn(*mut RawAddInDefBase, c_ushort, *const u16, *const u16, c_long) -> bool,
    pub read: usize,
    pub write: usize,
    pub register_profile_as: usize,
    pub set_event_buffer_depth: unsafe extern "system" fn(*mut RawAddInDefBase, c_long) -> bool,
    pub get_event_buffer_depth: usize,
    pub external_event: unsafe extern "system" fn(*mut RawAddInDefBase, *mut u16, *mut u16, *mut u16) -> bool,
}

#[repr(C)]
pub(crate) struct RawAddInDefBase {
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

impl Connection {
    /// How many external events the platform queues before it drops new ones (its default is 1).
    pub fn set_event_buffer_depth(&self, depth: c_long) -> bool {
        // SAFETY: as in `add_error`.
        unsafe { ((*(*self.0.as_ptr()).vtable).set_event_buffer_depth)(self.0.as_ptr(), depth) }
    }

    /// Raises `ВнешнееСобытие` (`ExternalEvent`): the platform calls the form's or application's
    /// `ОбработкаВнешнегоСобытия(Источник, Событие, Данные)` handler later, on its own thread.
    pub fn external_event(&self, source: &str, message: &str, data: &str) -> bool {
        let (mut source, mut message, mut data) = (to_wide_z(source), to_wide_z(message), to_wide_z(data));
        // SAFETY: as in `add_error`; the platform copies the strings before returning.
        unsafe {
            ((*(*self.0.as_ptr()).vtable).external_event)(
                self.0.as_ptr(),
                source.as_mut_ptr(),
                message.as_mut_ptr(),
                data.as_mut_ptr(),
            )
        }
    }
}

fn to_wide_z(text: &str) -> Vec<u16> {
    // An interior NUL would cut the platform's copy short: drop it rather than lose the rest.
    text.encode_utf16().filter(|u| *u != 0).chain(std::iter::once(0)).collect()
}
