// GENERATED from the method table (src/methods.rs) by `cargo run -p xtask -- gen`: do not edit.
//! One function per operation of the method table: `client.get_card(json!({"cardId": id}))`.

use crate::{Client, Result};
use serde_json::Value;

impl Client {
    /// `getatoken`: Exchange the personal account's login and password for an API token (valid 365 days).
    /// Params: {"nickname", "password"}. Result: the token (a string) or {"token": ...}.
    pub fn get_a_token(&self, params: Value) -> Result<Value> {
        self.call("getatoken", params)
    }

    /// `getlisttemplates`: List the ids (and titles) of the account's templates. Params: none. Result: array
    /// of template ids or {"templateId", "title"}.
    pub fn get_list_templates(&self, params: Value) -> Result<Value> {
        self.call("getlisttemplates", params)
    }

    /// `gettemplate`: Read one template with its fields. Params: {"templateId"}. Result: the template with
    /// its fields.
    pub fn get_template(&self, params: Value) -> Result<Value> {
        self.call("gettemplate", params)
    }

    /// `createcard`: Create a card from a template; returns the card with its download links. Params:
    /// {"templateId", "values"?, "cardCode"?}. Result: the card. Never resent automatically once it may have
    /// reached the server (see "outcome": "unknown").
    pub fn create_card(&self, params: Value) -> Result<Value> {
        self.call("createcard", params)
    }

    /// `getcard`: Find a card by cardId, by cardCode, or by templateId and a unique variable. Params:
    /// {"cardId"} or {"cardCode"} or {"templateId", "values"}. Result: the card; PASSTEAM_ERR_NOT_FOUND when
    /// there is none.
    pub fn get_card(&self, params: Value) -> Result<Value> {
        self.call("getcard", params)
    }

    /// `updatecard`: Change a card's variables (only those sent change) and system fields. Params: {"cardId",
    /// "values"?}. Result: {"messages", "updated", "card"}.
    pub fn update_card(&self, params: Value) -> Result<Value> {
        self.call("updatecard", params)
    }

    /// `getcardswithpagination`: One page (at most 50 cards) of a template's cards. Params: {"templateId",
    /// "page"?, "perPage"?}. Result: {"pageCount", "nextPage", "previouslyPage", "cardsCount", "cards"}.
    pub fn get_cards_with_pagination(&self, params: Value) -> Result<Value> {
        self.call("getcardswithpagination", params)
    }

    /// `checkvariablevalue`: Check whether a value of a unique variable is still free. Params: {"templateId",
    /// "values"}. Result: {"unique", "cardsIds"}.
    pub fn check_variable_value(&self, params: Value) -> Result<Value> {
        self.call("checkvariablevalue", params)
    }

    /// `distribute`: Send the card's link to its holder by SMS or e-mail. Params: {"cardId", "type"
    /// (sms|email)}. Result: true. Never resent automatically once it may have reached the server (see
    /// "outcome": "unknown").
    pub fn distribute(&self, params: Value) -> Result<Value> {
        self.call("distribute", params)
    }

    /// `deletecard`: Delete a card. Params: {"cardId"}. Result: {"n", "ok", "err", "errmsg"} (n = 0: nothing
    /// deleted).
    pub fn delete_card(&self, params: Value) -> Result<Value> {
        self.call("deletecard", params)
    }

    /// `updatecards`: Deprecated: update a card found by cardId, cardCode or a unique variable. Params:
    /// {"cardId"} or {"cardCode"} or {"templateId", "values"}. Result: {"messages", "updated", "processed"}.
    pub fn update_cards(&self, params: Value) -> Result<Value> {
        self.call("updatecards", params)
    }

    /// `gettemplates`: Deprecated and slow: every template with its fields. Params: none. Result: array of
    /// templates.
    pub fn get_templates(&self, params: Value) -> Result<Value> {
        self.call("gettemplates", params)
    }

    /// `getcards`: Deprecated and slow: every card of a template (use getcardswithpagination). Params:
    /// {"templateId"}. Result: array of cards.
    pub fn get_cards(&self, params: Value) -> Result<Value> {
        self.call("getcards", params)
    }

    /// `sendpush`: Send a push message to every card of a template (promotions; balances go through
    /// updatecard). Params: {"templateId", "message"}. Result: true. Never resent automatically once it may
    /// have reached the server (see "outcome": "unknown").
    pub fn send_push(&self, params: Value) -> Result<Value> {
        self.call("sendpush", params)
    }

    /// `getsale`: Read a sale. Params: {"id"}. Result: the sale.
    pub fn get_sale(&self, params: Value) -> Result<Value> {
        self.call("getsale", params)
    }

    /// `updatesale`: Write a sale (absolute: the fields sent replace the stored ones). Params: {"id",
    /// "title"?, "paymentType" (CARD|CASH)?, "paymentStatus" (DRAFT|PAID)?, "totalPrice"?, "cardId"?,
    /// "products"?, "clientName"?}. Result: the sale.
    pub fn update_sale(&self, params: Value) -> Result<Value> {
        self.call("updatesale", params)
    }

    /// `deletesale`: Delete a sale. Params: {"id"}. Result: the server's reply.
    pub fn delete_sale(&self, params: Value) -> Result<Value> {
        self.call("deletesale", params)
    }

    /// `createproduct`: Create a product. Params: {"companyId", "name", "price"}. Result: the product. Never
    /// resent automatically once it may have reached the server (see "outcome": "unknown").
    pub fn create_product(&self, params: Value) -> Result<Value> {
        self.call("createproduct", params)
    }

    /// `updateproduct`: Change a product's name or price. Params: {"id", "name"?, "price"?}. Result: the
    /// product.
    pub fn update_product(&self, params: Value) -> Result<Value> {
        self.call("updateproduct", params)
    }

    /// `deleteproduct`: Delete a product. Params: {"id"}. Result: the server's reply.
    pub fn delete_product(&self, params: Value) -> Result<Value> {
        self.call("deleteproduct", params)
    }

    /// `listproducts`: One page of a company's products. Params: {"companyId", "page"?, "perPage"?}. Result:
    /// one page of products.
    pub fn list_products(&self, params: Value) -> Result<Value> {
        self.call("listproducts", params)
    }

    /// `issuecard`: Scenario: find the card (cardId, cardCode or a unique variable), create it if absent;
    /// returns {card, created}. Params: {"cardId"} or {"cardCode"} or {"templateId", "values"}, plus
    /// "uniqueVariable"?. Result: {"card", "created"}.
    pub fn issue_card(&self, params: Value) -> Result<Value> {
        self.call("issuecard", params)
    }

    /// `updateclient`: Scenario: find the card, then updatecard with the values; returns updatecard's result.
    /// Params: {"cardId"} or {"cardCode"} or {"templateId", "find"}, plus "values"?. Result: updatecard's
    /// result.
    pub fn update_client(&self, params: Value) -> Result<Value> {
        self.call("updateclient", params)
    }
}
