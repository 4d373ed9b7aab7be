//! UTF-16 text as the platform passes it (`WCHAR_T`: char16_t on Linux, wchar_t on Windows).

/// The units of a NUL-terminated string; `None` for NULL.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated UTF-16 string that outlives the returned slice.
pub unsafe fn wide_z<'a>(ptr: *const u16) -> Option<&'a [u16]> {
    if ptr.is_null() {
        return None;
    }
    let mut len = 0;
    while *ptr.add(len) != 0 {
        len += 1;
    }
    Some(std::slice::from_raw_parts(ptr, len))
}

/// Whether `wide` spells `name`, ignoring letter case the Unicode way (Cyrillic included: "ПОЛУЧИТЬКАРТУ"
/// finds "ПолучитьКарту"), as the platform does for its own names. Invalid UTF-16 matches nothing.
pub fn same_name(wide: &[u16], name: &str) -> bool {
    match String::from_utf16(wide) {
        Ok(theirs) => {
            theirs.chars().flat_map(char::to_lowercase).eq(name.chars().flat_map(char::to_lowercase))
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn names_match_in_any_case() {
        assert!(same_name(&w("ПолучитьКарту"), "ПолучитьКарту"));
        assert!(same_name(&w("ПОЛУЧИТЬКАРТУ"), "ПолучитьКарту"));
        assert!(same_name(&w("получитькарту"), "ПолучитьКарту"));
        assert!(same_name(&w("getcard"), "GetCard"));
        assert!(same_name(&w("ВызыватьИсключенияЁ"), "вызыватьисключенияё"));
        assert!(!same_name(&w("GetCar"), "GetCard"));
        assert!(!same_name(&w("GetCardX"), "GetCard"));
        assert!(!same_name(&w(""), "GetCard"));
        assert!(!same_name(&[0xD800, 0x61], "a"));
    }

    #[test]
    fn reads_nul_terminated_strings() {
        let s = [0x41u16, 0x0416, 0];
        assert_eq!(unsafe { wide_z(s.as_ptr()) }, Some(&s[..2]));
        assert_eq!(unsafe { wide_z(std::ptr::null()) }, None);
    }
}
