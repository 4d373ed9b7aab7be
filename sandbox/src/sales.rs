//! Sales (REST): `GET`/`PUT`/`DELETE /oapi/v1/sale`; `PUT` creates the sale when the id is new.

use serde_json::{json, Value};

use crate::args::req;
use crate::envelope::{bad, ser, ApiErr, Res};
use crate::form::Params;
use crate::lookup;
use crate::state::{self, Sale, SaleProduct, State};

/// `GET /oapi/v1/sale`
pub fn get(s: &State, p: &Params) -> Res {
    Ok(ser(lookup::find(&s.sales, req(p, "id")?)?))
}

/// `DELETE /oapi/v1/sale`
pub fn delete(s: &mut State, p: &Params) -> Res {
    let i = lookup::index_of(&s.sales, req(p, "id")?)?;
    s.sales.remove(i);
    Ok("true".into())
}

/// An optional parameter that must be one of `allowed`.
fn one_of(p: &Params, key: &str, allowed: &[&str]) -> Result<Option<String>, ApiErr> {
    match p.get_nonempty(key) {
        None => Ok(None),
        Some(v) if allowed.contains(&v.trim()) => Ok(Some(v.trim().to_string())),
        Some(v) => Err(bad(format!("Parameter ({key}) must be one of {}, got ({v})", allowed.join("|")))),
    }
}

/// `products[i][_id|name|quantity|price]`, `None` when not sent.
fn sale_products(p: &Params) -> Result<Option<Vec<SaleProduct>>, ApiErr> {
    let items: Vec<Value> = match p.nested.get("products") {
        None => return Ok(None),
        Some(Value::Array(a)) => a.clone(),
        Some(Value::String(s)) if s.trim().is_empty() => Vec::new(),
        Some(_) => return Err(bad("Parameter (products) must be sent as products[i][name]=...")),
    };
    let mut out = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let Some(o) = it.as_object() else {
            return Err(bad(format!("products[{i}] must have _id, name, quantity, price")));
        };
        let get = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").trim().to_string();
        let num = |k: &str| -> Result<Value, ApiErr> {
            let v = get(k);
            if v.is_empty() {
                return Ok(json!(0));
            }
            state::parse_number(&v)
                .map(state::number_value)
                .ok_or_else(|| bad(format!("products[{i}][{k}] must be a number, got ({v})")))
        };
        let id = get("_id");
        out.push(SaleProduct {
            id: if id.is_empty() { state::new_id() } else { id },
            name: get("name"),
            quantity: num("quantity")?,
            price: num("price")?,
        });
    }
    Ok(Some(out))
}

/// `PUT /oapi/v1/sale`: creates or updates; every field is optional.
pub fn put(s: &mut State, p: &Params) -> Res {
    let id = req(p, "id")?.to_string();
    let payment_type = one_of(p, "paymentType", &["CARD", "CASH"])?;
    let payment_status = one_of(p, "paymentStatus", &["DRAFT", "PAID"])?;
    let total_price = match p.get_nonempty("totalPrice") {
        None => None,
        Some(v) => Some(
            v.trim()
                .parse::<i64>()
                .map_err(|_| bad(format!("Parameter (totalPrice) must be an integer, got ({v})")))?,
        ),
    };
    let products = sale_products(p)?;
    let stamp = state::now_stamp();
    let idx = match s.sales.iter().position(|x| x.id == id) {
        Some(i) => i,
        None => {
            s.sales.push(Sale {
                id: id.clone(),
                title: String::new(),
                payment_type: "CARD".into(),
                payment_status: "DRAFT".into(),
                total_price: 0,
                card_id: String::new(),
                products: Vec::new(),
                client_name: String::new(),
                created: stamp.clone(),
                updated: stamp.clone(),
            });
            s.sales.len() - 1
        }
    };
    let sale = &mut s.sales[idx];
    if let Some(v) = p.get("title") {
        sale.title = v.to_string();
    }
    if let Some(v) = payment_type {
        sale.payment_type = v;
    }
    if let Some(v) = payment_status {
        sale.payment_status = v;
    }
    if let Some(v) = total_price {
        sale.total_price = v;
    }
    if let Some(v) = p.get("cardId") {
        sale.card_id = v.trim().to_string();
    }
    if let Some(v) = products {
        sale.products = v;
    }
    if let Some(v) = p.get("clientName") {
        sale.client_name = v.to_string();
    }
    sale.updated = stamp;
    Ok(ser(&*sale))
}
