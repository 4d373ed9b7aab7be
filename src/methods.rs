//! The method table: the one place that knows each Passteam operation's name, verb, path, parameters,
//! idempotency and deprecation.
//!
//! Every layer reads it: the request builder (required parameters, types), the transport (retry policy),
//! the CLI, and the bindings (through `passteam_methods_json`). What would otherwise be copied from it
//! (typed functions, the per-operation C exports, test lists, the 1C harness's names, README lists) is
//! generated from it by `cargo run -p xtask -- gen`. The sandbox does not read it, on purpose: its
//! routes are written from the spec, so the tests of paths and verbs are not tautological. Facts the
//! spec marks *unconfirmed* ([U]) live only here, so that one edit corrects them; parameters that the
//! table does not know are passed through untouched.

/// HTTP verb of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Delete => "DELETE",
        }
    }

    /// Parses `"get"`, `"POST"`, ...
    pub fn parse(text: &str) -> Option<Verb> {
        match text.to_ascii_uppercase().as_str() {
            "GET" => Some(Verb::Get),
            "POST" => Some(Verb::Post),
            "PUT" => Some(Verb::Put),
            "DELETE" => Some(Verb::Delete),
            _ => None,
        }
    }
}

/// Where an operation is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `POST {base}/oapi/v1/{name}` with a form body.
    Oapi,
    /// The sales/products REST operations: verb, path, base URL and encoding configurable per operation.
    Rest,
    /// One of the vendor's integration scenarios, made of several calls (see `scenarios.rs`).
    Scenario,
}

impl Kind {
    /// The kind's name in `methods_json`: `"oapi"`, `"rest"`, `"scenario"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Oapi => "oapi",
            Kind::Rest => "rest",
            Kind::Scenario => "scenario",
        }
    }
}

/// The type a parameter must have; the request builder checks it and turns it into form text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// A string; numbers are accepted and sent as text.
    Text,
    /// An integer, or a string holding one.
    Integer,
    /// A number, or a string holding one.
    Number,
    /// One of the listed words (compared case-sensitively, as the server does).
    OneOf(&'static [&'static str]),
    /// The card variables: an object of scalars, keys normalised to `%NAME%`.
    Values,
    /// An array of objects (e.g. the products of a sale).
    ObjectList,
}

impl ParamType {
    /// The type's name in `methods_json`: `"text"`, `"integer"`, `"number"`, `"oneof"`, `"values"`,
    /// `"objectlist"` (the names bindings and tools already read; spelled out, not `Debug` output).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::Text => "text",
            ParamType::Integer => "integer",
            ParamType::Number => "number",
            ParamType::OneOf(_) => "oneof",
            ParamType::Values => "values",
            ParamType::ObjectList => "objectlist",
        }
    }
}

/// How sure we are of a name (the spec's labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Confirmed,
    Inferred,
    Unconfirmed,
}

/// One parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub required: bool,
    pub ty: ParamType,
    pub label: Label,
}

const fn req(name: &'static str, ty: ParamType, label: Label) -> Param {
    Param { name, required: true, ty, label }
}

const fn opt(name: &'static str, ty: ParamType, label: Label) -> Param {
    Param { name, required: false, ty, label }
}

/// One operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    /// The wire name (lower case), also the key of `passteam_call`: `getcard`.
    pub name: &'static str,
    /// The snake_case name of the C export (`passteam_<snake>`), the Python method, the CLI alias.
    pub snake: &'static str,
    /// The camelCase name the vendor document uses (`getCard`); Go and 1C build on it.
    pub camel: &'static str,
    pub kind: Kind,
    pub verb: Verb,
    /// Path below the base URL (default for REST operations; the config may override it).
    pub path: &'static str,
    pub params: &'static [Param],
    /// When non-empty, the call must satisfy at least one of these groups of parameter names
    /// (getcard: by `cardId`, by `cardCode`, or by `templateId` + a unique variable in `values`).
    pub one_of: &'static [&'static [&'static str]],
    /// Safe to resend after a lost reply: reads and absolute updates. Drives the retry policy.
    pub idempotent: bool,
    pub deprecated: bool,
    /// Whether the `Authorization` header is sent (all but `getatoken`).
    pub auth: bool,
    /// One line for people: what the operation does.
    pub summary: &'static str,
    /// What a successful call returns, for people (the C export's doc comment and the README).
    pub result: &'static str,
    /// The 1C:Enterprise add-in's Russian method name (the English one is the camel name, capitalised).
    pub russian: &'static str,
}

use Label::{Confirmed as C, Inferred as I, Unconfirmed as U};
use ParamType::*;

const PAYMENT_TYPES: &[&str] = &["CARD", "CASH"];
const PAYMENT_STATUSES: &[&str] = &["DRAFT", "PAID"];
const DISTRIBUTION_TYPES: &[&str] = &["sms", "email"];
const CARD_LOOKUP: &[&[&str]] = &[&["cardId"], &["cardCode"], &["templateId", "values"]];
/// updateclient keeps the lookup (`find`) apart from the values it writes.
const CLIENT_LOOKUP: &[&[&str]] = &[&["cardId"], &["cardCode"], &["templateId", "find"]];

const fn oapi(name: &'static str, snake: &'static str, camel: &'static str, path: &'static str) -> Method {
    Method {
        name,
        snake,
        camel,
        kind: Kind::Oapi,
        verb: Verb::Post,
        path,
        params: &[],
        one_of: &[],
        idempotent: true,
        deprecated: false,
        auth: true,
        summary: "",
        result: "",
        russian: "",
    }
}

const fn rest(
    name: &'static str,
    snake: &'static str,
    camel: &'static str,
    verb: Verb,
    path: &'static str,
) -> Method {
    Method { kind: Kind::Rest, verb, ..oapi(name, snake, camel, path) }
}

const fn scenario(name: &'static str, snake: &'static str, camel: &'static str) -> Method {
    Method { kind: Kind::Scenario, ..oapi(name, snake, camel, "") }
}

/// Every operation: the 14 `oapi` methods, the 7 sales/products operations, the 2 scenarios.
pub static METHODS: &[Method] = &[
    Method {
        params: &[req("nickname", Text, U), req("password", Text, U)],
        auth: false,
        summary: "Exchange the personal account's login and password for an API token (valid 365 days).",
        result: "the token (a string) or {\"token\": ...}",
        russian: "ПолучитьТокен",
        ..oapi("getatoken", "get_a_token", "getAToken", "/oapi/v1/getatoken")
    },
    Method {
        summary: "List the ids (and titles) of the account's templates.",
        result: "array of template ids or {\"templateId\", \"title\"}",
        russian: "ПолучитьСписокШаблонов",
        ..oapi("getlisttemplates", "get_list_templates", "getListTemplates", "/oapi/v1/getlisttemplates")
    },
    Method {
        params: &[req("templateId", Text, I)],
        summary: "Read one template with its fields.",
        result: "the template with its fields",
        russian: "ПолучитьШаблон",
        ..oapi("gettemplate", "get_template", "getTemplate", "/oapi/v1/gettemplate")
    },
    Method {
        params: &[req("templateId", Text, C), opt("values", Values, C), opt("cardCode", Text, C)],
        idempotent: false,
        summary: "Create a card from a template; returns the card with its download links.",
        result: "the card",
        russian: "СоздатьКарту",
        ..oapi("createcard", "create_card", "createCard", "/oapi/v1/createcard")
    },
    Method {
        params: &[opt("cardId", Text, C), opt("cardCode", Text, I), opt("templateId", Text, I), opt("values", Values, I)],
        one_of: CARD_LOOKUP,
        summary: "Find a card by cardId, by cardCode, or by templateId and a unique variable.",
        result: "the card; PASSTEAM_ERR_NOT_FOUND when there is none",
        russian: "ПолучитьКарту",
        ..oapi("getcard", "get_card", "getCard", "/oapi/v1/getcard")
    },
    Method {
        params: &[req("cardId", Text, C), opt("values", Values, C)],
        summary: "Change a card's variables (only those sent change) and system fields.",
        result: "{\"messages\", \"updated\", \"card\"}",
        russian: "ОбновитьКарту",
        ..oapi("updatecard", "update_card", "updateCard", "/oapi/v1/updatecard")
    },
    Method {
        params: &[req("templateId", Text, I), opt("page", Integer, U), opt("perPage", Integer, U)],
        summary: "One page (at most 50 cards) of a template's cards.",
        result: "{\"pageCount\", \"nextPage\", \"previouslyPage\", \"cardsCount\", \"cards\"}",
        russian: "ПолучитьКартыПостранично",
        ..oapi("getcardswithpagination", "get_cards_with_pagination", "getCardsWithPagination", "/oapi/v1/getcardswithpagination")
    },
    Method {
        params: &[req("templateId", Text, U), req("values", Values, U)],
        summary: "Check whether a value of a unique variable is still free.",
        result: "{\"unique\", \"cardsIds\"}",
        russian: "ПроверитьЗначениеПеременной",
        ..oapi("checkvariablevalue", "check_variable_value", "checkVariableValue", "/oapi/v1/checkvariablevalue")
    },
    Method {
        params: &[req("cardId", Text, U), req("type", OneOf(DISTRIBUTION_TYPES), U)],
        idempotent: false,
        summary: "Send the card's link to its holder by SMS or e-mail.",
        result: "true",
        russian: "ОтправитьСсылкуНаКарту",
        ..oapi("distribute", "distribute", "distribute", "/oapi/v1/distribute")
    },
    Method {
        params: &[req("cardId", Text, I)],
        summary: "Delete a card.",
        result: "{\"n\", \"ok\", \"err\", \"errmsg\"} (n = 0: nothing deleted)",
        russian: "УдалитьКарту",
        ..oapi("deletecard", "delete_card", "deleteCard", "/oapi/v1/deletecard")
    },
    Method {
        params: &[opt("cardId", Text, U), opt("cardCode", Text, U), opt("templateId", Text, U), opt("values", Values, C)],
        one_of: CARD_LOOKUP,
        deprecated: true,
        summary: "Deprecated: update a card found by cardId, cardCode or a unique variable.",
        result: "{\"messages\", \"updated\", \"processed\"}",
        russian: "ОбновитьКарты",
        ..oapi("updatecards", "update_cards", "updateCards", "/oapi/v1/updatecards")
    },
    Method {
        deprecated: true,
        summary: "Deprecated and slow: every template with its fields.",
        result: "array of templates",
        russian: "ПолучитьШаблоны",
        ..oapi("gettemplates", "get_templates", "getTemplates", "/oapi/v1/gettemplates")
    },
    Method {
        params: &[req("templateId", Text, C)],
        deprecated: true,
        summary: "Deprecated and slow: every card of a template (use getcardswithpagination).",
        result: "array of cards",
        russian: "ПолучитьКарты",
        ..oapi("getcards", "get_cards", "getCards", "/oapi/v1/getcards")
    },
    Method {
        params: &[req("templateId", Text, U), req("message", Text, U)],
        idempotent: false,
        summary: "Send a push message to every card of a template (promotions; balances go through updatecard).",
        result: "true",
        russian: "ОтправитьУведомление",
        ..oapi("sendpush", "send_push", "sendPush", "/oapi/v1/sendpush")
    },
    Method {
        params: &[req("id", Text, C)],
        summary: "Read a sale.",
        result: "the sale",
        russian: "ПолучитьПродажу",
        ..rest("getsale", "get_sale", "getSale", Verb::Get, "/oapi/v1/sale")
    },
    Method {
        params: &[
            req("id", Text, C),
            opt("title", Text, C),
            opt("paymentType", OneOf(PAYMENT_TYPES), C),
            opt("paymentStatus", OneOf(PAYMENT_STATUSES), C),
            opt("totalPrice", Integer, C),
            opt("cardId", Text, C),
            opt("products", ObjectList, C),
            opt("clientName", Text, C),
        ],
        summary: "Write a sale (absolute: the fields sent replace the stored ones).",
        result: "the sale",
        russian: "ОбновитьПродажу",
        ..rest("updatesale", "update_sale", "updateSale", Verb::Put, "/oapi/v1/sale")
    },
    Method {
        params: &[req("id", Text, C)],
        summary: "Delete a sale.",
        result: "the server's reply",
        russian: "УдалитьПродажу",
        ..rest("deletesale", "delete_sale", "deleteSale", Verb::Delete, "/oapi/v1/sale")
    },
    Method {
        params: &[req("companyId", Text, C), req("name", Text, C), req("price", Number, C)],
        idempotent: false,
        summary: "Create a product.",
        result: "the product",
        russian: "СоздатьТовар",
        ..rest("createproduct", "create_product", "createProduct", Verb::Post, "/oapi/v1/product")
    },
    Method {
        params: &[req("id", Text, C), opt("name", Text, C), opt("price", Number, C)],
        summary: "Change a product's name or price.",
        result: "the product",
        russian: "ОбновитьТовар",
        ..rest("updateproduct", "update_product", "updateProduct", Verb::Put, "/oapi/v1/product")
    },
    Method {
        params: &[req("id", Text, C)],
        summary: "Delete a product.",
        result: "the server's reply",
        russian: "УдалитьТовар",
        ..rest("deleteproduct", "delete_product", "deleteProduct", Verb::Delete, "/oapi/v1/product")
    },
    Method {
        params: &[req("companyId", Text, C), opt("page", Integer, C), opt("perPage", Integer, C)],
        summary: "One page of a company's products.",
        result: "one page of products",
        russian: "ПолучитьСписокТоваров",
        ..rest("listproducts", "list_products", "listProducts", Verb::Post, "/oapi/v1/products")
    },
    Method {
        params: &[opt("cardId", Text, C), opt("cardCode", Text, C), opt("templateId", Text, C), opt("values", Values, C), opt("uniqueVariable", Text, C)],
        one_of: CARD_LOOKUP,
        idempotent: false,
        summary: "Scenario: find the card (cardId, cardCode or a unique variable), create it if absent; returns {card, created}.",
        result: "{\"card\", \"created\"}",
        russian: "ВыдатьКарту",
        ..scenario("issuecard", "issue_card", "issueCard")
    },
    Method {
        params: &[opt("cardId", Text, C), opt("cardCode", Text, C), opt("templateId", Text, C), opt("values", Values, C), opt("find", Values, C)],
        one_of: CLIENT_LOOKUP,
        summary: "Scenario: find the card, then updatecard with the values; returns updatecard's result.",
        result: "updatecard's result",
        russian: "ОбновитьКлиента",
        ..scenario("updateclient", "update_client", "updateClient")
    },
];

/// Looks an operation up by any of its names, ignoring case and underscores:
/// `getCard`, `getcard`, `get_card` and `GET_CARD` all find `getcard`.
pub fn find(name: &str) -> Option<&'static Method> {
    let wanted: String =
        name.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect();
    if wanted.is_empty() {
        return None;
    }
    METHODS.iter().find(|m| m.name == wanted)
}

impl Method {
    /// The table entry of a parameter, if the table knows it.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The C export's name: `passteam_get_card`.
    pub fn export_name(&self) -> String {
        format!("passteam_{}", self.snake)
    }
}

/// The method table as JSON: `[{"name", "snake", "camel", "kind", "verb", "path", "params": [{"name",
/// "required", "type"}], "one_of", "idempotent", "deprecated", "auth", "summary"}]`. The C ABI serves it
/// as `passteam_methods_json()`, the CLI as `passteam methods`, and the 1C add-in builds its names from it.
pub fn methods_json() -> serde_json::Value {
    use serde_json::json;
    serde_json::Value::Array(
        METHODS
            .iter()
            .map(|m| {
                json!({
                    "name": m.name,
                    "snake": m.snake,
                    "camel": m.camel,
                    "kind": m.kind.as_str(),
                    "verb": m.verb.as_str(),
                    "path": m.path,
                    "params": m.params.iter().map(|p| json!({
                        "name": p.name,
                        "required": p.required,
                        "type": p.ty.as_str(),
                    })).collect::<Vec<_>>(),
                    "one_of": m.one_of,
                    "idempotent": m.idempotent,
                    "deprecated": m.deprecated,
                    "auth": m.auth,
                    "summary": m.summary,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_every_documented_operation() {
        let oapi = METHODS.iter().filter(|m| m.kind == Kind::Oapi).count();
        let rest = METHODS.iter().filter(|m| m.kind == Kind::Rest).count();
        let scenarios = METHODS.iter().filter(|m| m.kind == Kind::Scenario).count();
        assert_eq!((oapi, rest, scenarios), (14, 7, 2));
    }

    #[test]
    fn names_are_consistent() {
        for m in METHODS {
            assert_eq!(m.name, m.name.to_lowercase(), "{}", m.name);
            assert_eq!(m.snake.replace('_', ""), m.name, "{}", m.snake);
            assert_eq!(m.camel.to_lowercase(), m.name, "{}", m.camel);
            if m.kind == Kind::Oapi {
                assert_eq!(m.path, format!("/oapi/v1/{}", m.name));
                assert_eq!(m.verb, Verb::Post);
            }
            for group in m.one_of {
                for p in *group {
                    assert!(m.param(p).is_some(), "{}: one_of names unknown {}", m.name, p);
                }
            }
        }
    }

    #[test]
    fn every_method_is_described_for_people_and_1c() {
        for m in METHODS {
            assert!(!m.summary.is_empty(), "{}: no summary", m.name);
            assert!(!m.result.is_empty(), "{}: no result", m.name);
            assert!(!m.russian.is_empty(), "{}: no Russian name (the 1C add-in needs one)", m.name);
            assert!(m.russian.chars().all(char::is_alphanumeric), "{}: {:?}", m.name, m.russian);
        }
    }

    #[test]
    fn lookup_ignores_case_and_underscores() {
        assert_eq!(find("getCard").unwrap().name, "getcard");
        assert_eq!(find("GET_CARD").unwrap().name, "getcard");
        assert_eq!(find("get_a_token").unwrap().name, "getatoken");
        assert!(find("nosuch").is_none());
        assert!(find("").is_none());
    }

    #[test]
    fn side_effects_are_not_idempotent() {
        for name in ["createcard", "distribute", "sendpush", "createproduct"] {
            assert!(!find(name).unwrap().idempotent, "{name}");
        }
        for name in ["getcard", "gettemplate", "checkvariablevalue", "updatecard", "deletecard"] {
            assert!(find(name).unwrap().idempotent, "{name}");
        }
    }
}
