//! `passteam demo`: the vendor's integration scenarios, end to end, narrated.
//!
//! Without a token it starts the embedded sandbox, so that a newcomer sees the whole flow with one
//! command: issue a card to a customer by phone, accrue bonus points, send the card link by SMS, page
//! through the cards, and see how a duplicate is reported.

use crate::arg_error;
use crate::call::Connection;
use passteam::{Client, Error, Status};
use passteam_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};
use std::ffi::OsString;

const CUSTOMER_PHONE: &str = "+79161234567";
const PURCHASE_RUB: u64 = 1250;
const BONUS_PERCENT: u64 = 5;

pub fn run(args: Vec<OsString>) -> Result<(), Error> {
    let mut parser = lexopt::Parser::from_args(args);
    let mut conn = Connection::default();
    while let Some(arg) = parser.next().map_err(arg_error)? {
        match arg {
            lexopt::Arg::Long(name) => {
                let name = name.to_owned();
                if !conn.take(&name, &mut parser)? {
                    return Err(arg_error(lexopt::Arg::Long(&name).unexpected()));
                }
            }
            other => return Err(arg_error(other.unexpected())),
        }
    }
    let has_token = conn.token.is_some() || std::env::var("PASSTEAM_TOKEN").is_ok_and(|t| !t.is_empty());
    let _sandbox = if has_token {
        println!(
            "Running against {} with your token.",
            conn.base_url.as_deref().unwrap_or("the configured host")
        );
        None
    } else {
        let sandbox = Sandbox::start(SandboxConfig::default())
            .map_err(|e| Error::new(Status::Transport, format!("cannot start the sandbox: {e}")))?;
        println!("No token given: running against the embedded sandbox at {}.", sandbox.base_url());
        conn.token = Some(sandbox.token().to_owned());
        conn.base_url = Some(sandbox.base_url());
        Some(sandbox)
    };
    let client = conn.client()?;
    scenario(&client, _sandbox.is_some())?;
    println!("\nDone: every step above was one call of libpassteam.");
    Ok(())
}

fn step(n: u32, title: &str) {
    println!("\n{n}. {title}");
}

fn scenario(client: &Client, sandbox: bool) -> Result<(), Error> {
    step(1, "Templates of the account (getlisttemplates, gettemplate)");
    let list = client.get_list_templates(json!({}))?;
    let first = list.as_array().and_then(|a| a.first()).cloned().unwrap_or(Value::Null);
    let template_id = first
        .get("templateId")
        .and_then(Value::as_str)
        .or(first.as_str())
        .map(str::to_owned)
        .ok_or_else(|| {
        Error::new(Status::NotFound, "the account has no templates: create one in the personal account first")
    })?;
    let template = client.get_template(json!({ "templateId": template_id }))?;
    println!("   template {template_id} \"{}\"", template["title"].as_str().unwrap_or("?"));
    for field in template["fields"].as_array().into_iter().flatten() {
        println!(
            "     {:<14} {:<10} {}",
            field["name"].as_str().unwrap_or(""),
            field["type"].as_str().unwrap_or(""),
            field["title"].as_str().unwrap_or("")
        );
    }

    step(
        2,
        &format!("Issue a card to the customer {CUSTOMER_PHONE} (issuecard: getcard, createcard if absent)"),
    );
    let issued = client.issue_card(json!({
        "templateId": template_id,
        "values": { "CLIENT_NAME": "Иван Петров", "PHONE": CUSTOMER_PHONE, "BONUS": 0 }
    }))?;
    let card = &issued["card"];
    let card_id = card["cardId"].as_str().unwrap_or_default().to_owned();
    println!("   created: {}; cardId {card_id}", issued["created"]);
    println!("   link for the customer: {}", card["cardUrl"].as_str().unwrap_or("?"));
    let again =
        client.issue_card(json!({ "templateId": template_id, "values": { "PHONE": CUSTOMER_PHONE } }))?;
    println!(
        "   issuing again finds the same card: created {}, cardId {}",
        again["created"], again["card"]["cardId"]
    );

    step(
        3,
        &format!(
            "Accrue {BONUS_PERCENT}% of a {PURCHASE_RUB} RUB purchase (updateclient: getcard, updatecard)"
        ),
    );
    let balance: u64 = card["values"]["%BONUS%"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
    let points = PURCHASE_RUB * BONUS_PERCENT / 100;
    let updated = client.update_client(json!({
        "templateId": template_id,
        "find": { "PHONE": CUSTOMER_PHONE },
        "values": { "BONUS": balance + points }
    }))?;
    println!(
        "   {balance} + {points} points -> balance on the card: {}",
        updated["card"]["values"]["%BONUS%"]
    );

    step(4, "Send the card link by SMS (distribute)");
    client.distribute(json!({ "cardId": card_id, "type": "sms" }))?;
    println!("   sent to {CUSTOMER_PHONE}");

    step(5, "A second card with the same phone is refused (createcard -> 409)");
    match client.create_card(json!({ "templateId": template_id, "values": { "PHONE": CUSTOMER_PHONE } })) {
        Err(e) if e.status == Status::Conflict => {
            println!("   {}: {}", e.status.name(), e.message);
            println!("   the cards holding the phone: {:?}", e.card_ids());
        }
        Err(e) => return Err(e),
        Ok(_) => println!("   (this template has no unique phone: a second card was created)"),
    }

    if sandbox {
        step(6, "More customers arrive (createcard x 59, sandbox only)");
        for i in 1..60u64 {
            client.create_card(json!({
                "templateId": template_id,
                "values": { "CLIENT_NAME": format!("Customer {i}"), "PHONE": format!("+7916{:07}", 2_000_000 + i), "BONUS": i }
            }))?;
        }
        println!("   59 cards created");
    }

    step(if sandbox { 7 } else { 6 }, "Page through the cards (getcardswithpagination, 25 a page)");
    let mut page = 1u64;
    let mut seen = 0usize;
    loop {
        let result = client
            .get_cards_with_pagination(json!({ "templateId": template_id, "page": page, "perPage": 25 }))?;
        let cards = result["cards"].as_array().map_or(0, Vec::len);
        seen += cards;
        println!("   page {page} of {}: {cards} cards (total {})", result["pageCount"], result["cardsCount"]);
        match passteam::next_page(page, &result) {
            Some(next) => page = next,
            None => break,
        }
    }
    println!("   {seen} cards in all");
    Ok(())
}
