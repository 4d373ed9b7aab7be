//! Products (REST): `POST`/`PUT`/`DELETE /oapi/v1/product`, `GET`/`POST /oapi/v1/products` (paged).

use serde::Serialize;
use serde_json::json;

use crate::args::{number, positive, req, require};
use crate::envelope::{ser, Res};
use crate::form::Params;
use crate::lookup;
use crate::paging::Page;
use crate::state::{self, Product, State};

/// `POST /oapi/v1/product`
pub fn create(s: &mut State, p: &Params) -> Res {
    require(p, &["companyId", "name", "price"])?;
    let price = number(p, "price")?.unwrap_or(json!(0));
    let prod = Product {
        id: state::new_id(),
        company_id: req(p, "companyId")?.to_string(),
        name: p.get("name").unwrap_or("").to_string(),
        price,
    };
    s.products.push(prod);
    Ok(ser(s.products.last().expect("pushed")))
}

/// `PUT /oapi/v1/product`
pub fn update(s: &mut State, p: &Params) -> Res {
    let id = req(p, "id")?;
    let price = number(p, "price")?;
    let i = lookup::index_of(&s.products, id)?;
    let prod = &mut s.products[i];
    if let Some(n) = p.get_nonempty("name") {
        prod.name = n.to_string();
    }
    if let Some(v) = price {
        prod.price = v;
    }
    Ok(ser(&*prod))
}

/// `DELETE /oapi/v1/product`
pub fn delete(s: &mut State, p: &Params) -> Res {
    let i = lookup::index_of(&s.products, req(p, "id")?)?;
    s.products.remove(i);
    Ok("true".into())
}

/// `/oapi/v1/products`: a company's products, 20 a page by default, at most 100.
pub fn list(s: &State, p: &Params) -> Res {
    let company = req(p, "companyId")?;
    let page = positive(p, "page", 1)?;
    let per = positive(p, "perPage", 20)?.min(100);
    let list: Vec<&Product> = s.products.iter().filter(|x| x.company_id == company).collect();
    let at = Page::of(list.len(), page, per);
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        page_count: u64,
        page: u64,
        products: &'a [&'a Product],
    }
    Ok(ser(&Out { page_count: at.page_count, page, products: &list[at.start..at.end] }))
}
