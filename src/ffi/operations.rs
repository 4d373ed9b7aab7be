//! One export per operation of the method table (and the two scenarios), all with passteam_call's contract.
//! Generated once from the table and checked against it by the tests (tests/c_abi.rs).

use super::convert::{deliver, guarded, json_object_arg};
use super::{PassteamClient, PASSTEAM_ERR_INVALID_ARGUMENT};
use crate::error::Result;
use serde_json::value::RawValue;
use std::os::raw::c_char;
use std::ptr;
use std::time::Duration;

/// The shared body of every call export: resolve the client, parse the params, call the core.
///
/// # Safety
/// As passteam_call.
pub(crate) unsafe fn call_named(
    client: *const PassteamClient,
    method: &str,
    params_json: *const c_char,
    timeout: Option<Duration>,
) -> Result<Box<RawValue>> {
    // Held for the whole call: a concurrent passteam_client_free waits for it (see PassteamClient).
    let client = PassteamClient::enter(client)?;
    let params = json_object_arg(params_json, "params_json")?;
    client.inner.call_json(method, params, timeout)
}

unsafe fn operation(
    client: *const PassteamClient,
    method: &str,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
) -> i32 {
    if out_json.is_null() {
        return PASSTEAM_ERR_INVALID_ARGUMENT;
    }
    *out_json = ptr::null_mut();
    deliver(guarded(|| call_named(client, method, params_json, None)), out_json)
}

/// `getatoken`: Exchanges {"nickname", "password"} for the API token (no token needed). Result: the token (a string) or {"token": ...}.
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

/// `getlisttemplates`: Lists the account's templates. Params: none. Result: array of template ids or {"templateId", "title"}.
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

/// `gettemplate`: Reads one template. Params: {"templateId"}. Result: the template with its fields.
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

/// `createcard`: Creates a card. Params: {"templateId", "values": {"PHONE": "+7...", ...}, "cardCode"?}. Result: the card.
/// Never resent automatically once it may have reached the server (see "outcome": "unknown").
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

/// `getcard`: Finds a card. Params: {"cardId"} or {"cardCode"} or {"templateId", "values": {unique variable}}. Result: the card;
/// PASSTEAM_ERR_NOT_FOUND when there is none.
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

/// `updatecard`: Updates a card. Params: {"cardId", "values": {...}} (only the values sent change). Result: {"messages", "updated", "card"}.
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

/// `getcardswithpagination`: One page of a template's cards. Params: {"templateId", "page" (from 1), "perPage" (at most 50)}.
/// Result: {"pageCount", "nextPage", "previouslyPage", "cardsCount", "cards"}.
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

/// `checkvariablevalue`: Checks a unique variable's value. Params: {"templateId", "values": {"PHONE": ...}}. Result: {"unique", "cardsIds"}.
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

/// `distribute`: Sends the card's link. Params: {"cardId", "type": "sms" or "email"}. Result: true. Never resent automatically.
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

/// `deletecard`: Deletes a card. Params: {"cardId"}. Result: {"n", "ok", "err", "errmsg"} (n = 0: nothing deleted).
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

/// `updatecards`: Deprecated: updates a card found by cardId, cardCode or templateId + unique variable. Result: {"messages", "updated", "processed"}.
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

/// `gettemplates`: Deprecated and slow: every template. Params: none. Result: array of templates.
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

/// `getcards`: Deprecated and slow: every card of a template. Params: {"templateId"}. Result: array of cards.
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

/// `sendpush`: Sends a push message to a template's cards. Params: {"templateId", "message"}. Result: true. Never resent automatically.
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

/// `getsale`: Reads a sale. Params: {"id"}. Result: the sale.
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

/// `updatesale`: Writes a sale. Params: {"id", "title", "paymentType" (CARD|CASH), "paymentStatus" (DRAFT|PAID), "totalPrice",
/// "cardId", "products": [{"_id", "name", "quantity", "price"}], "clientName"}. Result: the sale.
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

/// `deletesale`: Deletes a sale. Params: {"id"}.
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

/// `createproduct`: Creates a product. Params: {"companyId", "name", "price"}. Result: the product. Never resent automatically.
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

/// `updateproduct`: Updates a product. Params: {"id", "name"?, "price"?}. Result: the product.
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

/// `deleteproduct`: Deletes a product. Params: {"id"}.
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

/// `listproducts`: One page of a company's products. Params: {"companyId", "page"?, "perPage"?}.
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

/// `issuecard`: Scenario "issue a card": finds the card by cardId, cardCode or templateId + a unique variable
/// ("uniqueVariable", default PHONE), creates it from templateId + values if absent. Result: {"card", "created"}.
/// Exactly once: a lost createcard reply is resolved by looking the card up, never by creating twice.
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

/// `updateclient`: Scenario "update a client": finds the card by cardId, cardCode or templateId + "find" (a unique
/// variable), then updatecard with "values". Result: updatecard's result.
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
