//! The per-operation C exports (`src/ffi/operations.rs`) and the C tests' table of them (`tests/c/ops.c`).

use crate::describe::{doc_comment, paragraph};
use passteam::Method;

/// `src/ffi/operations.rs`: one `extern "C"` function per frozen operation, documented for the header.
pub fn rust_exports(frozen: &[&Method]) -> String {
    let mut out = crate::banner("//");
    out.push_str(
        "//! One C export per operation that had one at ABI 1.1, each with passteam_call's contract. The set is\n\
         //! frozen for 1.x (abi/1.1.txt): operations added later are reached through passteam_call.\n\n\
         use super::exports::operation;\n\
         use super::PassteamClient;\n\
         use std::os::raw::c_char;\n",
    );
    for m in frozen {
        out.push('\n');
        out.push_str(&doc_comment(&paragraph(m)));
        out.push_str(&format!(
            "/// Same contract as passteam_call: *out_json receives the result or the error object (free it with\n\
             /// passteam_string_free); params_json NULL or \"\" = {{}}.\n\
             ///\n\
             /// # Safety\n\
             /// As passteam_call.\n\
             #[no_mangle]\n\
             pub unsafe extern \"C\" fn {export}(\n    \
                 client: *const PassteamClient,\n    \
                 params_json: *const c_char,\n    \
                 out_json: *mut *mut c_char,\n\
             ) -> i32 {{\n    \
                 operation(client, \"{wire}\", params_json, out_json)\n\
             }}\n",
            export = m.export_name(),
            wire = m.name,
        ));
    }
    out
}

/// `tests/c/ops.c`: the table every C test group walks (a missing or renamed export fails to link).
pub fn c_test_table(frozen: &[&Method]) -> String {
    let mut out = crate::banner("/*");
    out.pop();
    out.push_str(" */\n/* ops.c: the operation export table (see ops.h). */\n#include \"ops.h\"\n\n#include <string.h>\n\n#include \"json_mini.h\"\n\nconst struct op OPS[] = {\n");
    for m in frozen {
        out.push_str(&format!("    {{\"{}\", \"{}\", {}}},\n", m.name, m.snake, m.export_name()));
    }
    out.push_str(OPS_C_TAIL);
    out
}

const OPS_C_TAIL: &str = r#"};

const size_t OPS_COUNT = sizeof OPS / sizeof OPS[0];

const struct op *op_named(const char *name)
{
    size_t i;
    for (i = 0; i < OPS_COUNT; i++)
        if (strcmp(OPS[i].name, name) == 0)
            return &OPS[i];
    return NULL;
}

int op_needs_params(const char *name)
{
    const char *table = passteam_methods_json();
    size_t i;
    size_t j;

    for (i = 0; i < jm_len(table); i++) {
        const char *m = jm_at(table, i);
        const char *params = jm_get(m, "params");
        if (!jm_string_is(jm_get(m, "name"), name))
            continue;
        if (jm_len(jm_get(m, "one_of")) > 0)
            return 1;
        for (j = 0; j < jm_len(params); j++)
            if (jm_bool(jm_get(jm_at(params, j), "required")) == 1)
                return 1;
        return 0;
    }
    return -1;
}
"#;

/// `tests/support/exports.rs`: the Rust tests' list of the per-operation exports (included by
/// tests/support/mod.rs, which defines `Export`).
pub fn rust_test_list(frozen: &[&Method]) -> String {
    let mut out = crate::banner("//");
    out.push_str("pub const EXPORTS: &[(&str, Export)] = &[\n");
    for m in frozen {
        out.push_str(&format!("    (\"{0}\", {0}),\n", m.export_name()));
    }
    out.push_str("];\n");
    out
}
