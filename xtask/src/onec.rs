//! `bindings/1c/harness/method_names.inc`: the Russian / English names the 1C harness expects, in the
//! add-in's order (Выполнить / Call first, then the table's).

use passteam::METHODS;

pub fn harness_names() -> String {
    let mut out = crate::banner("//");
    out.push_str(
        "// Included by test_names.cpp inside `static const char* const METHODS[][2] = { ... };`.\n",
    );
    out.push_str("{\"Выполнить\", \"Call\"},\n");
    for m in METHODS {
        let mut camel = m.camel.chars();
        let english: String =
            camel.next().map(|c| c.to_uppercase().chain(camel).collect()).unwrap_or_default();
        out.push_str(&format!("{{\"{}\", \"{}\"}},\n", m.russian, english));
    }
    out
}
