//! Templates: the listing operations, `sendpush`, and checking values against a template's variables.

use serde_json::{json, Value};

use crate::args::{req, require};
use crate::envelope::{bad, ser, ApiErr, Res};
use crate::form::Params;
use crate::lookup;
use crate::state::{FieldDef, State, Template};

/// The template with that id, or its 404.
pub fn template<'a>(s: &'a State, id: &str) -> Result<&'a Template, ApiErr> {
    lookup::find(&s.templates, id)
}

/// The variable `name` (with its `%`s) of `t`, or a 400 listing the known ones.
pub fn field<'a>(t: &'a Template, name: &str) -> Result<&'a FieldDef, ApiErr> {
    t.field(name).ok_or_else(|| {
        let known: Vec<&str> = t.fields.iter().map(|f| f.name.as_str()).collect();
        bad(format!("Unknown variable ({name}) for template ({}); known: {}", t.id, known.join(" ")))
    })
}

/// Every value names a variable of `t` and, unless blank, has its type.
pub fn check_values(t: &Template, vals: &[(String, String)]) -> Result<(), ApiErr> {
    for (k, v) in vals {
        let f = field(t, k)?;
        if !v.trim().is_empty() {
            f.check(v.trim()).map_err(bad)?;
        }
    }
    Ok(())
}

/// `getlisttemplates`: ids and titles.
pub fn list(s: &State) -> Res {
    let list: Vec<Value> =
        s.templates.iter().map(|t| json!({"templateId": t.id, "title": t.title})).collect();
    Ok(ser(&list))
}

/// `gettemplate`
pub fn get(s: &State, p: &Params) -> Res {
    let t = template(s, req(p, "templateId")?)?;
    Ok(ser(&s.template_out(t)))
}

/// `gettemplates`: every template in full.
pub fn all(s: &State) -> Res {
    let list: Vec<_> = s.templates.iter().map(|t| s.template_out(t)).collect();
    Ok(ser(&list))
}

/// `sendpush`: accepted for an existing template (nothing is sent anywhere).
pub fn send_push(s: &State, p: &Params) -> Res {
    require(p, &["templateId", "message"])?;
    template(s, req(p, "templateId")?)?;
    Ok("true".into())
}
