//! `src/client_operations.rs`: one typed Rust function per operation (every operation, frozen or not:
//! the Rust API is not the C ABI and may grow).

use crate::describe::{doc_comment, paragraph};
use passteam::METHODS;

pub fn typed_functions() -> String {
    let mut out = crate::banner("//");
    out.push_str(
        "//! One function per operation of the method table: `client.get_card(json!({\"cardId\": id}))`.\n\n\
         use crate::{Client, Result};\n\
         use serde_json::Value;\n\n\
         impl Client {\n",
    );
    for (i, m) in METHODS.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for line in doc_comment(&paragraph(m)).lines() {
            out.push_str(&format!("    {line}\n"));
        }
        out.push_str(&format!(
            "    pub fn {snake}(&self, params: Value) -> Result<Value> {{\n        self.call(\"{wire}\", params)\n    }}\n",
            snake = m.snake,
            wire = m.name,
        ));
    }
    out.push_str("}\n");
    out
}
