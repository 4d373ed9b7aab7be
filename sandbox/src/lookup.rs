//! Finding a template, card, sale or product by id, with the vendor's 404 when it is not there: written
//! once for every resource.

use crate::envelope::ApiErr;
use crate::state::{Card, Product, Sale, Template};

/// A stored item with an id.
pub trait Identified {
    /// The name in the 404 message (`Sale (x) not found`).
    const KIND: &'static str;
    fn id(&self) -> &str;
    fn not_found(id: &str) -> ApiErr {
        ApiErr(404, format!("{} ({id}) not found", Self::KIND))
    }
}

impl Identified for Template {
    const KIND: &'static str = "Template";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Identified for Card {
    const KIND: &'static str = "Card";
    fn id(&self) -> &str {
        &self.id
    }
    /// The vendor's card 404 names no id.
    fn not_found(_: &str) -> ApiErr {
        card_not_found()
    }
}

impl Identified for Sale {
    const KIND: &'static str = "Sale";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Identified for Product {
    const KIND: &'static str = "Product";
    fn id(&self) -> &str {
        &self.id
    }
}

/// The index of the item with that id, or its 404.
pub fn index_of<T: Identified>(items: &[T], id: &str) -> Result<usize, ApiErr> {
    items.iter().position(|x| x.id() == id).ok_or_else(|| T::not_found(id))
}

/// The item with that id, or its 404.
pub fn find<'a, T: Identified>(items: &'a [T], id: &str) -> Result<&'a T, ApiErr> {
    index_of(items, id).map(|i| &items[i])
}

/// The card 404 (also for look-ups by code or by values).
pub fn card_not_found() -> ApiErr {
    ApiErr(404, "Card not found".into())
}
