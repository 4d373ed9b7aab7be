//! The functions the platform looks up in the library by name: it lists the classes, tells its
//! capabilities, creates and destroys objects. Each is guarded: nothing unwinds into the platform.

use crate::addin::PassteamAddIn;
use crate::native::text::{same_name, wide_z};
use crate::native::Component;
use std::ffi::{c_int, c_long, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The one class: with the component registered as "Passteam", 1C creates `AddIn.Passteam.Client`.
pub const CLASS_NAME: &str = "Client";

/// `GetClassNames` returns a static string: the class names separated by '|', NUL-terminated.
static CLASS_NAMES: [u16; 7] = ascii_wide(b"Client\0");

/// `eAppCapabilitiesLast`: the newest capabilities level the component knows.
const APP_CAPABILITIES_LAST: c_int = 1;
/// `eCanAttachAny`: the component may run in the platform's process or isolated.
const CAN_ATTACH_ANY: c_int = 3;

const fn ascii_wide<const N: usize>(text: &[u8; N]) -> [u16; N] {
    let mut out = [0u16; N];
    let mut i = 0;
    while i < N {
        out[i] = text[i] as u16;
        i += 1;
    }
    out
}

fn guard<R>(failed: R, body: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(failed)
}

/// Creates an object of class `name` into `*object` (which must be NULL); non-zero on success.
///
/// # Safety
/// `name` is NULL or a NUL-terminated UTF-16 string; `object` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn GetClassObject(name: *const u16, object: *mut *mut c_void) -> c_long {
    // Before any object exists: every later panic is caught quietly (see panic_hook).
    crate::panic_hook::install();
    guard(0, || {
        if object.is_null() || !(*object).is_null() {
            return 0;
        }
        match wide_z(name) {
            Some(name) if same_name(name, CLASS_NAME) => {
                *object = Component::create(PassteamAddIn::default());
                1
            }
            _ => 0,
        }
    })
}

/// Destroys an object made by `GetClassObject` and sets `*object` to NULL; 0 on success, -1 for NULL.
///
/// # Safety
/// `object` is NULL or points to NULL or to a live object of this library.
#[no_mangle]
pub unsafe extern "C" fn DestroyObject(object: *mut *mut c_void) -> c_long {
    guard(-1, || {
        if object.is_null() || (*object).is_null() {
            return -1;
        }
        Component::<PassteamAddIn>::destroy(*object);
        *object = std::ptr::null_mut();
        0
    })
}

/// The class names, '|'-separated. Static: the platform does not free it.
#[no_mangle]
pub extern "C" fn GetClassNames() -> *const u16 {
    CLASS_NAMES.as_ptr()
}

/// The platform tells its capabilities; we need none beyond the first level.
#[no_mangle]
pub extern "C" fn SetPlatformCapabilities(_capabilities: c_int) -> c_int {
    APP_CAPABILITIES_LAST
}

/// Where the component may be attached: anywhere (it keeps no global state).
#[no_mangle]
pub extern "C" fn GetAttachType() -> c_int {
    CAN_ATTACH_ANY
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::testing::wide;
    use std::ptr;

    #[test]
    fn objects_are_made_only_for_our_class() {
        unsafe {
            assert_eq!(crate::native::text::wide_z(GetClassNames()), Some(&wide("Client")[..6]));
            let mut object: *mut c_void = ptr::null_mut();
            assert_eq!(GetClassObject(ptr::null(), &mut object), 0);
            assert_eq!(GetClassObject(wide("Other").as_ptr(), &mut object), 0);
            assert_eq!(GetClassObject(wide("Client").as_ptr(), ptr::null_mut()), 0);
            assert!(object.is_null());
            assert_eq!(GetClassObject(wide("client").as_ptr(), &mut object), 1);
            assert!(!object.is_null());
            let first = object;
            assert_eq!(GetClassObject(wide("Client").as_ptr(), &mut object), 0, "*object must be NULL");
            assert_eq!(object, first);
            assert_eq!(DestroyObject(&mut object), 0);
            assert!(object.is_null());
            assert_eq!(DestroyObject(&mut object), -1);
            assert_eq!(DestroyObject(ptr::null_mut()), -1);
        }
        assert_eq!(SetPlatformCapabilities(1), 1);
        assert_eq!(GetAttachType(), 3);
    }
}
