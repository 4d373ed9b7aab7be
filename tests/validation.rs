//! Template-aware validation end to end, over real HTTP to the sandbox: what is refused before sending
//! (and that nothing was sent), what is normalised (and that the normalised value is what arrived and
//! what lookups use), the modes, the template cache and its refresh.

mod support;

use passteam::{Client, Status};
use passteam_sandbox::{Sandbox, TEMPLATE_GIFT, TEMPLATE_LOYALTY};
use serde_json::{json, Value};

fn sent(sb: &Sandbox, method: &str) -> usize {
    sb.requests().iter().filter(|r| r.method == method).count()
}

fn client(sb: &Sandbox, extra: Value) -> Client {
    support::client(sb, extra)
}

/// A phone unused in this process, as a till in Russia types it: `8 (916) 123-45-67`, with its E.164.
fn typed_phone() -> (String, String) {
    let e164 = support::unique_phone();
    let d = &e164[2..];
    (format!("8 ({}) {}-{}-{}", &d[0..3], &d[3..6], &d[6..8], &d[8..10]), e164)
}

#[test]
fn a_phone_as_typed_is_sent_in_e164_and_found_by_any_spelling() {
    let sb = support::sandbox();
    let c = client(&sb, json!({}));
    let (typed, e164) = typed_phone();
    let card = c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": typed}})).unwrap();
    assert_eq!(card["values"]["%PHONE%"], e164.as_str());
    let wire = sb.requests().into_iter().find(|r| r.method == "createcard").unwrap();
    assert_eq!(wire.fields.get("values[%PHONE%]"), Some(&e164));
    // issuecard's lookup uses the normalised value too: another spelling finds the same card.
    let other = format!("+7 {} {} {} {}", &e164[2..5], &e164[5..8], &e164[8..10], &e164[10..]);
    let issued = c
        .issue_card(
            json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": other, "CLIENT_NAME": "Anna"}}),
        )
        .unwrap();
    assert_eq!(issued["created"], false);
    assert_eq!(issued["card"]["cardId"], card["cardId"]);
    let found = c.get_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": &e164[1..]}})).unwrap();
    assert_eq!(found["cardId"], card["cardId"]);
}

#[test]
fn every_problem_is_reported_at_once_and_nothing_is_sent() {
    let sb = support::sandbox();
    let c = client(&sb, json!({}));
    sb.clear_requests();
    let e = c
        .create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {
            "PHONE": "8 916 123", "EMAIL": "anna@example", "LEVL": "Gold", "LEVEL": "Bronze", "BONUS": "12abc",
            "BIRTHDAY": "31.02.1990", "CLIENT_NAME": "Anna"
        }}))
        .unwrap_err();
    assert_eq!(e.status, Status::Validation);
    let problems = e.details["problems"].as_array().unwrap();
    let fields: Vec<&str> = problems.iter().map(|p| p["field"].as_str().unwrap()).collect();
    for f in ["%PHONE%", "%EMAIL%", "%LEVL%", "%LEVEL%", "%BONUS%", "%BIRTHDAY%"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert_eq!(problems.len(), 6, "{problems:?}");
    let levl = problems.iter().find(|p| p["field"] == "%LEVL%").unwrap();
    assert_eq!(levl["suggestions"], json!(["%LEVEL%"]));
    let phone = problems.iter().find(|p| p["field"] == "%PHONE%").unwrap();
    assert_eq!(phone["value"], "8 916 123");
    assert!(e.message.contains("did you mean %LEVEL%?"), "{}", e.message);
    assert!(e.message.contains("Silver, Gold, Platinum"), "{}", e.message);
    assert_eq!(e.message.matches(". ").count(), 0, "one sentence: {}", e.message);
    assert_eq!(e.details["method"], "createcard");
    assert_eq!(sent(&sb, "createcard"), 0, "nothing may be sent");
}

#[test]
fn normalize_fixes_dates_lists_flags_numbers_and_emails() {
    let sb = support::sandbox();
    let c = client(&sb, json!({}));
    let card = c
        .create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {
            "PHONE": support::unique_phone(), "BIRTHDAY": "1990-12-31", "VISIT": "2024-02-01T13:45",
            "LEVEL": " gold", "SUBSCRIBED": "да", "BONUS": "1 234,50", "EMAIL": " Anna@Example.COM "
        }}))
        .unwrap();
    let v = &card["values"];
    assert_eq!(v["%BIRTHDAY%"], "31.12.1990");
    assert_eq!(v["%VISIT%"], "01.02.2024 13:45");
    assert_eq!(v["%LEVEL%"], "Gold");
    assert_eq!(v["%SUBSCRIBED%"], "true");
    assert_eq!(v["%BONUS%"], "1234.50");
    assert_eq!(v["%EMAIL%"], "Anna@Example.COM");
}

#[test]
fn strict_refuses_what_normalize_would_fix_and_accepts_canonical_values() {
    let sb = support::sandbox();
    let c = client(&sb, json!({"validation": "strict"}));
    let (typed, e164) = typed_phone();
    let e = c
        .create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": typed, "LEVEL": "gold"}}))
        .unwrap_err();
    assert_eq!(e.status, Status::Validation);
    assert_eq!(e.details["problems"].as_array().unwrap().len(), 2);
    assert!(e.message.contains(&format!("{e164:?}")), "says the canonical form: {}", e.message);
    c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": e164, "LEVEL": "Gold"}}))
        .unwrap();
}

#[test]
fn off_sends_values_as_given_and_the_sandbox_refuses_them_alike() {
    let sb = support::sandbox();
    let c = client(&sb, json!({"validation": "off"}));
    sb.clear_requests();
    let e =
        c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "8 916 123"}})).unwrap_err();
    assert_ne!(e.status, Status::Validation, "refused by the server, not the client: {e:?}");
    assert_eq!(sent(&sb, "createcard"), 1);
    assert_eq!(sent(&sb, "gettemplate"), 0, "off reads no template");
}

#[test]
fn the_template_is_read_once_per_ttl() {
    let sb = support::sandbox();
    let c = client(&sb, json!({}));
    sb.clear_requests();
    for _ in 0..3 {
        c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": support::unique_phone()}}))
            .unwrap();
    }
    c.check_variable_value(
        json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": support::unique_phone()}}),
    )
    .unwrap();
    assert_eq!(sent(&sb, "gettemplate"), 1);
    let uncached = client(&sb, json!({"template_ttl_ms": 0}));
    sb.clear_requests();
    for _ in 0..2 {
        uncached
            .create_card(
                json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": support::unique_phone()}}),
            )
            .unwrap();
    }
    assert_eq!(sent(&sb, "gettemplate"), 2);
}

#[test]
fn an_unknown_variable_reads_a_cached_template_again_once() {
    let sb = support::sandbox();
    let c = client(&sb, json!({}));
    c.create_card(json!({"templateId": TEMPLATE_GIFT, "values": {"CODE": "G-1"}})).unwrap();
    sb.clear_requests();
    let e = c
        .create_card(json!({"templateId": TEMPLATE_GIFT, "values": {"CODE": "G-2", "AMOUNTT": 5}}))
        .unwrap_err();
    assert_eq!(e.status, Status::Validation);
    assert_eq!(e.details["problems"][0]["suggestions"], json!(["%AMOUNT%"]));
    assert_eq!(sent(&sb, "gettemplate"), 1, "one refresh on the miss");
    assert_eq!(sent(&sb, "createcard"), 0);
}

#[test]
fn updatecard_and_updateclient_check_against_the_cards_template() {
    let sb = support::sandbox();
    let c = client(&sb, json!({}));
    let (typed, e164) = typed_phone();
    let card = c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": e164}})).unwrap();
    let id = card["cardId"].as_str().unwrap();
    sb.clear_requests();
    let e = c.update_card(json!({"cardId": id, "values": {"BONUS": "ten"}})).unwrap_err();
    assert_eq!(e.status, Status::Validation);
    assert_eq!(sent(&sb, "getcard"), 0, "the card's template was learned from createcard's result");
    let updated = c.update_card(json!({"cardId": id, "values": {"BONUS": "10,5"}})).unwrap();
    assert_eq!(updated["card"]["values"]["%BONUS%"], "10.5");
    // A client that never saw the card reads it once, then remembers.
    let fresh = client(&sb, json!({}));
    sb.clear_requests();
    fresh.update_card(json!({"cardId": id, "values": {"BONUS": 11}})).unwrap();
    fresh.update_card(json!({"cardId": id, "values": {"BONUS": 12}})).unwrap();
    assert_eq!(sent(&sb, "getcard"), 1);
    // updateclient: the lookup (find) is normalised as well as the values.
    let result = c
        .update_client(json!({"templateId": TEMPLATE_LOYALTY, "find": {"PHONE": typed}, "values": {"LEVEL": "platinum"}}))
        .unwrap();
    assert_eq!(result["card"]["values"]["%LEVEL%"], "Platinum");
    let e = c
        .update_client(
            json!({"templateId": TEMPLATE_LOYALTY, "find": {"PHONE": typed}, "values": {"LEVLE": "Gold"}}),
        )
        .unwrap_err();
    assert_eq!(e.details["problems"][0]["suggestions"], json!(["%LEVEL%"]));
}

#[test]
fn config_keys_are_checked() {
    let sb = support::sandbox();
    let bad = |extra: Value| support::client_from(&support::config_json(&sb, extra)).unwrap_err();
    assert!(bad(json!({"validation": "lenient"})).message.contains("\"off\", \"normalize\" or \"strict\""));
    assert!(bad(json!({"phone_region": "XX"})).message.contains("phone_region"));
    assert_eq!(bad(json!({"template_ttl_ms": -1})).status, Status::InvalidArgument);
    // Another region reads numbers without a country code as its own.
    let kz = client(&sb, json!({"phone_region": "kz"}));
    let card = kz
        .create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": "8 701 234 56 78"}}))
        .unwrap();
    assert_eq!(card["values"]["%PHONE%"], "+77012345678");
}

#[test]
fn faults_with_validation_on_keep_createcard_at_most_once() {
    use passteam_sandbox::Fault;
    let sb = support::sandbox();
    let c = client(&sb, json!({"read_timeout_ms": 150, "timeout_ms": 2500}));
    // The template read is retried like any read; createcard is still sent once, its outcome unknown.
    sb.add_fault(Fault::drop("gettemplate").times(1));
    sb.add_fault(Fault::drop("createcard").after_processing());
    sb.clear_requests();
    let phone = support::unique_phone();
    let e = c.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}})).unwrap_err();
    assert_eq!(e.to_json()["outcome"], "unknown", "{}", e.to_json());
    assert_eq!((sent(&sb, "gettemplate"), sent(&sb, "createcard")), (2, 1));
    // A template that cannot be read fails the call before anything else is sent, saying why.
    let fresh = client(&sb, json!({"max_attempts": 1}));
    sb.add_fault(Fault::status("gettemplate", 503));
    sb.clear_requests();
    let e =
        fresh.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": phone}})).unwrap_err();
    assert_eq!(e.status, Status::Transport);
    assert!(e.message.starts_with("reading the template"), "{}", e.message);
    assert_eq!(sent(&sb, "createcard"), 0);
}

#[test]
fn client_and_sandbox_judge_phones_alike() {
    // The sandbox checks types with the same library: what the client normalised it accepts (the
    // St Petersburg, toll-free and Volgograd numbers phonenumber 0.3.10 alone would refuse), and what
    // the client refuses it refuses too when the client does not check.
    let sb = support::sandbox();
    let checked = client(&sb, json!({}));
    let unchecked = client(&sb, json!({"validation": "off"}));
    for (typed, e164) in [
        ("8 812 100-00-29", "+78121000029"),
        ("8 800 555-35-35", "+78005553535"),
        ("+7 8442 12-34-56", "+78442123456"),
        ("+375 29 123-45-67", "+375291234567"),
    ] {
        let card =
            checked.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": typed}})).unwrap();
        assert_eq!(card["values"]["%PHONE%"], e164);
        // The sandbox finds it by the canonical form, however the unchecked client writes it.
        let found =
            unchecked.get_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": e164}})).unwrap();
        assert_eq!(found["cardId"], card["cardId"]);
    }
    for bad in ["+7 (012) 345-67-89", "+7 916 123", "+999 123 456 789", "+7 916 123 45 678"] {
        let client_side =
            checked.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": bad}}));
        assert_eq!(client_side.unwrap_err().status, Status::Validation, "{bad}");
        let server_side =
            unchecked.create_card(json!({"templateId": TEMPLATE_LOYALTY, "values": {"PHONE": bad}}));
        let e = server_side.unwrap_err();
        assert_eq!((e.status, e.http_status), (Status::Api, Some(400)), "{bad}: {}", e.message);
    }
}

#[test]
fn oversized_params_are_refused_before_any_template_lookup() {
    let sb = support::sandbox();
    let client = support::client(&sb, serde_json::json!({}));
    sb.clear_requests();
    let huge = "Ж".repeat(1_500_000);
    let e = client
        .call("updatecard", serde_json::json!({"cardId": "x", "values": {"CLIENT_NAME": huge}}))
        .unwrap_err();
    assert_eq!(e.status, passteam::Status::Validation, "{}", e.message);
    assert!(e.message.contains("too large"), "{}", e.message);
    assert!(sb.requests().is_empty(), "nothing was sent, not even a getcard for the template");
}
