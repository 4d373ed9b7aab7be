// GENERATED from the method table (src/methods.rs) by `cargo run -p xtask -- gen`: do not edit.
//! One C export per operation that had one at ABI 1.1, each with passteam_call's contract. The set is
//! frozen for 1.x (abi/1.1.txt): operations added later are reached through passteam_call.

use super::exports::operation;
use super::PassteamClient;
use std::os::raw::c_char;

/// `getatoken`: Exchange the personal account's login and password for an API token (valid 365 days).
/// Params: {"nickname", "password"}. Result: the token (a string) or {"token": ...}.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_get_a_token(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "getatoken", params_json, out_json)
}

/// `getlisttemplates`: List the ids (and titles) of the account's templates. Params: none. Result: array
/// of template ids or {"templateId", "title"}.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_get_list_templates(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "getlisttemplates", params_json, out_json)
}

/// `gettemplate`: Read one template with its fields. Params: {"templateId"}. Result: the template with
/// its fields.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_get_template(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "gettemplate", params_json, out_json)
}

/// `createcard`: Create a card from a template; returns the card with its download links. Params:
/// {"templateId", "values"?, "cardCode"?}. Result: the card. Never resent automatically once it may have
/// reached the server (see "outcome": "unknown").
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_create_card(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "createcard", params_json, out_json)
}

/// `getcard`: Find a card by cardId, by cardCode, or by templateId and a unique variable. Params:
/// {"cardId"} or {"cardCode"} or {"templateId", "values"}. Result: the card; PASSTEAM_ERR_NOT_FOUND when
/// there is none.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_get_card(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "getcard", params_json, out_json)
}

/// `updatecard`: Change a card's variables (only those sent change) and system fields. Params: {"cardId",
/// "values"?}. Result: {"messages", "updated", "card"}.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_update_card(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "updatecard", params_json, out_json)
}

/// `getcardswithpagination`: One page (at most 50 cards) of a template's cards. Params: {"templateId",
/// "page"?, "perPage"?}. Result: {"pageCount", "nextPage", "previouslyPage", "cardsCount", "cards"}.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_get_cards_with_pagination(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "getcardswithpagination", params_json, out_json)
}

/// `checkvariablevalue`: Check whether a value of a unique variable is still free. Params: {"templateId",
/// "values"}. Result: {"unique", "cardsIds"}.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_check_variable_value(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "checkvariablevalue", params_json, out_json)
}

/// `distribute`: Send the card's link to its holder by SMS or e-mail. Params: {"cardId", "type"
/// (sms|email)}. Result: true. Never resent automatically once it may have reached the server (see
/// "outcome": "unknown").
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_distribute(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "distribute", params_json, out_json)
}

/// `deletecard`: Delete a card. Params: {"cardId"}. Result: {"n", "ok", "err", "errmsg"} (n = 0: nothing
/// deleted).
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_delete_card(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "deletecard", params_json, out_json)
}

/// `updatecards`: Deprecated: update a card found by cardId, cardCode or a unique variable. Params:
/// {"cardId"} or {"cardCode"} or {"templateId", "values"}. Result: {"messages", "updated", "processed"}.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_update_cards(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "updatecards", params_json, out_json)
}

/// `gettemplates`: Deprecated and slow: every template with its fields. Params: none. Result: array of
/// templates.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_get_templates(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "gettemplates", params_json, out_json)
}

/// `getcards`: Deprecated and slow: every card of a template (use getcardswithpagination). Params:
/// {"templateId"}. Result: array of cards.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_get_cards(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "getcards", params_json, out_json)
}

/// `sendpush`: Send a push message to every card of a template (promotions; balances go through
/// updatecard). Params: {"templateId", "message"}. Result: true. Never resent automatically once it may
/// have reached the server (see "outcome": "unknown").
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_send_push(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "sendpush", params_json, out_json)
}

/// `getsale`: Read a sale. Params: {"id"}. Result: the sale.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_get_sale(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "getsale", params_json, out_json)
}

/// `updatesale`: Write a sale (absolute: the fields sent replace the stored ones). Params: {"id",
/// "title"?, "paymentType" (CARD|CASH)?, "paymentStatus" (DRAFT|PAID)?, "totalPrice"?, "cardId"?,
/// "products"?, "clientName"?}. Result: the sale.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_update_sale(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "updatesale", params_json, out_json)
}

/// `deletesale`: Delete a sale. Params: {"id"}. Result: the server's reply.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_delete_sale(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "deletesale", params_json, out_json)
}

/// `createproduct`: Create a product. Params: {"companyId", "name", "price"}. Result: the product. Never
/// resent automatically once it may have reached the server (see "outcome": "unknown").
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_create_product(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "createproduct", params_json, out_json)
}

/// `updateproduct`: Change a product's name or price. Params: {"id", "name"?, "price"?}. Result: the
/// product.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_update_product(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "updateproduct", params_json, out_json)
}

/// `deleteproduct`: Delete a product. Params: {"id"}. Result: the server's reply.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_delete_product(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "deleteproduct", params_json, out_json)
}

/// `listproducts`: One page of a company's products. Params: {"companyId", "page"?, "perPage"?}. Result:
/// one page of products.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_list_products(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "listproducts", params_json, out_json)
}

/// `issuecard`: Scenario: find the card (cardId, cardCode or a unique variable), create it if absent;
/// returns {card, created}. Params: {"cardId"} or {"cardCode"} or {"templateId", "values"}, plus
/// "uniqueVariable"?. Result: {"card", "created"}.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_issue_card(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "issuecard", params_json, out_json)
}

/// `updateclient`: Scenario: find the card, then updatecard with the values; returns updatecard's result.
/// Params: {"cardId"} or {"cardCode"} or {"templateId", "find"}, plus "values"?. Result: updatecard's
/// result.
/// Same contract as passteam_call: *out_json receives the result or the error object (free it with
/// passteam_string_free); params_json NULL or "" = {}.
///
/// # Safety
/// As passteam_call.
#[no_mangle]
pub unsafe extern "C" fn passteam_update_client(
    client: *const PassteamClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    operation(client, "updateclient", params_json, out_json)
}
