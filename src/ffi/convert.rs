//! Pointer and string conversion, and the panic guard every export goes through.

use passteam::error::{Error, Result, Status};
use serde_json::Value;
use std::cell::Cell;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while this thread runs inside an export, where a panic is caught and reported as an error object.
    static INSIDE_EXPORT: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that stays silent for panics caught by our exports (the caller gets the
/// message in the error object; the host's stderr is not ours to write to) and hands every other panic
/// to the hook that was there before, so a Rust host's own panics print as usual.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !INSIDE_EXPORT.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Reads a C string argument; NULL and non-UTF-8 are `InvalidArgument` naming the argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn text_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str> {
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!("{name} is NULL")));
    }
    CStr::from_ptr(ptr).to_str().map_err(|e| {
        Error::invalid_argument(format!("{name} is not valid UTF-8 (bad byte at offset {})", e.valid_up_to()))
    })
}

/// The longest params or config text an export parses.
const MAX_JSON_ARG_BYTES: usize = 2 << 20;

/// Reads a JSON-object argument: NULL and "" mean `{}`; more than 2 MiB is `Validation`.
///
/// # Safety
/// As [`text_arg`].
pub(crate) unsafe fn json_object_arg(ptr: *const c_char, name: &str) -> Result<Value> {
    if ptr.is_null() {
        return Ok(Value::Object(Default::default()));
    }
    let text = text_arg(ptr, name)?;
    // Bounded before parsing: a million keys would take longer to parse than a short timeout_ms, and the
    // core refuses params over 1 MiB of text anyway (request.rs).
    if text.len() > MAX_JSON_ARG_BYTES {
        return Err(Error::validation(
            name,
            format!("{name} is {} bytes of JSON; at most {MAX_JSON_ARG_BYTES} are accepted", text.len()),
        ));
    }
    passteam::json_object(text, name).map(Value::Object)
}

/// Hands a string to the caller, who frees it with passteam_string_free.
pub(crate) fn into_c_string(text: String) -> *mut c_char {
    // JSON text never holds a NUL byte (serde_json escapes it); strip defensively rather than fail.
    CString::new(text)
        .unwrap_or_else(|e| {
            let bytes: Vec<u8> = e.into_vec().into_iter().filter(|b| *b != 0).collect();
            CString::new(bytes).unwrap_or_default()
        })
        .into_raw()
}

/// Runs `body` with panics caught; a panic becomes `Internal` with the panic's message.
pub(crate) fn guarded<T>(body: impl FnOnce() -> Result<T>) -> Result<T> {
    install_quiet_hook();
    let outer = INSIDE_EXPORT.with(|flag| flag.replace(true));
    let caught = catch_unwind(AssertUnwindSafe(body));
    INSIDE_EXPORT.with(|flag| flag.set(outer));
    match caught {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(Error::internal(format!("internal error in libpassteam (a bug, please report it): {what}")))
        }
    }
}

/// Writes the outcome to `*out_json` (result or error object) and returns the status.
///
/// # Safety
/// `out_json` is NULL or a valid pointer to write to.
pub(crate) unsafe fn deliver<T: JsonText>(outcome: Result<T>, out_json: *mut *mut c_char) -> i32 {
    let (status, text) = match outcome {
        Ok(v) => (Status::Ok, guarded(|| Ok(v.into_json_text()))),
        Err(e) => (e.status, guarded(|| Ok(e.to_json().to_string()))),
    };
    if !out_json.is_null() {
        *out_json = into_c_string(text.unwrap_or_else(|e| e.to_json().to_string()));
    }
    status.code()
}

/// What an export can hand back as JSON text: a parsed value, or the raw text of a reply's result.
pub(crate) trait JsonText {
    fn into_json_text(self) -> String;
}

impl JsonText for Value {
    fn into_json_text(self) -> String {
        self.to_string()
    }
}

impl JsonText for Box<serde_json::value::RawValue> {
    fn into_json_text(self) -> String {
        String::from(Box::<str>::from(self))
    }
}
