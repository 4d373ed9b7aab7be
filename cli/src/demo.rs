//! `passteam demo`: the vendor's integration scenario, end to end, narrated.
//!
//! It always runs against the embedded sandbox, whatever the environment holds: a newcomer who followed the
//! Quick start has `PASSTEAM_TOKEN` set, and a demo must not issue cards or send SMS on a real account
//! because of that. `--live` (with the user's own `--phone`) runs it against the account, after saying
//! which host and template it will use and what it will create, and after a confirmation (`--yes`, or
//! typing `yes` at a terminal). A card the live run created is deleted at the end unless `--keep-card`.

use crate::connection::{in_cli_terms, ConnectionArgs};
use crate::say;
use clap::error::ErrorKind;
use passteam::{Client, Error, Status};
use passteam_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};
use std::io::{BufRead, IsTerminal, Write};

/// The sandbox's customer: a number no one holds outside the sandbox's memory.
const SANDBOX_PHONE: &str = "+79161234567";
const PURCHASE_RUB: u64 = 1250;
const BONUS_PERCENT: u64 = 5;

#[derive(clap::Args)]
#[command(after_help = "Without --live nothing leaves this machine: the demo starts an embedded sandbox \
                        even when PASSTEAM_TOKEN is set.\n\nLive, on your own account and phone:\n  \
                        passteam demo --live --phone +79990001122 --token TOKEN\n\nBonus points are whole \
                        numbers: 5 % of 1250 RUB is 62 points (62.5 rounded down).")]
pub struct Args {
    /// Run against the real account (the token and base URL of the global options) instead of the sandbox.
    #[arg(long)]
    live: bool,
    /// The customer's phone: yours, since a live run sends it an SMS. Required with --live.
    #[arg(long, value_name = "PHONE", required_if_eq("live", "true"))]
    phone: Option<String>,
    /// The template to issue the card from [default: the account's first]. It needs the variables
    /// %PHONE% (unique), %CLIENT_NAME% and %BONUS% (number).
    #[arg(long, value_name = "ID")]
    template: Option<String>,
    /// Do not ask for confirmation before a live run.
    #[arg(long, requires = "live")]
    yes: bool,
    /// Keep the card a live run created (it is deleted at the end otherwise).
    #[arg(long, requires = "live")]
    keep_card: bool,
    /// Do not send the SMS (skip the distribute step).
    #[arg(long)]
    no_sms: bool,
}

/// What one run does: where, and with whose phone.
struct Plan {
    live: bool,
    phone: String,
    send_sms: bool,
    delete_created_card: bool,
}

pub fn run(args: Args, connection: &ConnectionArgs) -> Result<(), Error> {
    let plan = Plan {
        live: args.live,
        phone: args.phone.clone().unwrap_or_else(|| SANDBOX_PHONE.to_owned()),
        send_sms: !args.no_sms,
        delete_created_card: args.live && !args.keep_card,
    };
    let mut connection = connection.clone();
    let _sandbox = if plan.live {
        if connection.token().is_none() {
            crate::usage_error(
                ErrorKind::MissingRequiredArgument,
                "--live runs on your account and needs its token: --token TOKEN or PASSTEAM_TOKEN",
            );
        }
        None
    } else {
        let sandbox = Sandbox::start(SandboxConfig::default())
            .map_err(|e| Error::new(Status::Transport, format!("cannot start the sandbox: {e}")))?;
        say!("Running against the embedded sandbox at {} (nothing leaves this machine).", sandbox.base_url());
        if connection.token().is_some() {
            say!("Your token is not used: add --live to run on your account.");
        }
        connection.token = Some(sandbox.token().to_owned());
        connection.base_url = Some(sandbox.base_url());
        connection.config = None;
        Some(sandbox)
    };
    let client = connection.client()?;
    let template_id = choose_template(&client, args.template.as_deref()).map_err(in_cli_terms)?;
    if plan.live {
        announce(&connection.effective_base_url(), &template_id, &plan);
        confirm(args.yes);
    }
    scenario(&client, &template_id, &plan).map_err(in_cli_terms)?;
    say!("\nDone: every step above was one call of libpassteam.");
    Ok(())
}

/// Says, before anything is written, where the live run goes and what it will leave behind.
fn announce(host: &str, template_id: &str, plan: &Plan) {
    say!("LIVE run on your account at {host}, template {template_id}. It will:");
    say!("  - look up the card whose %PHONE% is {}, and create it if absent", plan.phone);
    say!("    (%CLIENT_NAME% \"Passteam demo\", %BONUS% 0);");
    say!("  - add {} bonus points to that card's %BONUS%;", PURCHASE_RUB * BONUS_PERCENT / 100);
    if plan.send_sms {
        say!("  - send the card's link by SMS to {} (a real SMS; --no-sms skips it);", plan.phone);
    }
    say!("  - read the first page of the template's cards;");
    if plan.delete_created_card {
        say!("  - delete the card at the end if this run created it (--keep-card keeps it).");
    } else {
        say!("  - keep the card.");
    }
}

/// A live run goes on only after `--yes` or a typed `yes`; without a terminal to ask, `--yes` is needed.
fn confirm(yes: bool) {
    if yes {
        return;
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        crate::usage_error(
            ErrorKind::MissingRequiredArgument,
            "a live demo needs --yes when stdin is not a terminal",
        );
    }
    print!("Type yes to go on: ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = stdin.lock().read_line(&mut answer);
    if answer.trim() != "yes" {
        say!("Stopped: nothing was created.");
        std::process::exit(0);
    }
}

fn step(n: u32, title: &str) {
    say!("\n{n}. {title}");
}

fn choose_template(client: &Client, wanted: Option<&str>) -> Result<String, Error> {
    if let Some(id) = wanted {
        return Ok(id.to_owned());
    }
    let list = client.get_list_templates(json!({}))?;
    let first = list.as_array().and_then(|a| a.first()).cloned().unwrap_or(Value::Null);
    first.get("templateId").and_then(Value::as_str).or(first.as_str()).map(str::to_owned).ok_or_else(|| {
        Error::new(Status::NotFound, "the account has no templates: create one in the personal account first")
    })
}

/// The points a balance holds. Points are whole numbers (the rule of every example): a balance that is
/// not one is reported, never silently cut.
fn points_of(card: &Value) -> Result<u64, Error> {
    match &card["values"]["%BONUS%"] {
        Value::Null => Ok(0),
        Value::String(s) if s.trim().is_empty() => Ok(0),
        Value::String(s) => s.trim().parse().map_err(|_| not_whole(s)),
        Value::Number(n) => n.as_u64().ok_or_else(|| not_whole(&n.to_string())),
        other => Err(not_whole(&other.to_string())),
    }
}

fn not_whole(text: &str) -> Error {
    Error::new(
        Status::Validation,
        format!("%BONUS% holds {text:?}, not whole points; bonus points are whole numbers in every example"),
    )
}

fn scenario(client: &Client, template_id: &str, plan: &Plan) -> Result<(), Error> {
    let phone = plan.phone.as_str();
    step(1, "The template (gettemplate)");
    let template = client.get_template(json!({ "templateId": template_id }))?;
    say!("   template {template_id} \"{}\"", template["title"].as_str().unwrap_or("?"));
    for field in template["fields"].as_array().into_iter().flatten() {
        say!(
            "     {:<14} {:<10} {}",
            field["name"].as_str().unwrap_or(""),
            field["type"].as_str().unwrap_or(""),
            field["title"].as_str().unwrap_or("")
        );
    }

    step(2, &format!("Issue a card to the customer {phone} (issuecard: getcard, createcard if absent)"));
    let name = if plan.live { "Passteam demo" } else { "Иван Петров" };
    let issued = client.issue_card(json!({
        "templateId": template_id,
        "values": { "CLIENT_NAME": name, "PHONE": phone, "BONUS": 0 }
    }))?;
    let card = &issued["card"];
    let created = issued["created"].as_bool() == Some(true);
    let card_id = card["cardId"].as_str().unwrap_or_default().to_owned();
    say!("   created: {created}; cardId {card_id}");
    say!("   link for the customer: {}", card["cardUrl"].as_str().unwrap_or("?"));
    let again = client.issue_card(json!({ "templateId": template_id, "values": { "PHONE": phone } }))?;
    say!(
        "   issuing again finds the same card: created {}, cardId {}",
        again["created"],
        again["card"]["cardId"]
    );

    step(
        3,
        &format!(
            "Accrue {BONUS_PERCENT}% of a {PURCHASE_RUB} RUB purchase, in whole points \
             (updateclient: getcard, updatecard)"
        ),
    );
    let balance = points_of(card)?;
    let points = PURCHASE_RUB * BONUS_PERCENT / 100; // integer division: rounded down to whole points
    let updated = client.update_client(json!({
        "templateId": template_id,
        "find": { "PHONE": phone },
        "values": { "BONUS": balance + points }
    }))?;
    say!("   {balance} + {points} points -> balance on the card: {}", updated["card"]["values"]["%BONUS%"]);

    let mut n = 4;
    if plan.send_sms {
        step(n, "Send the card link by SMS (distribute)");
        client.distribute(json!({ "cardId": card_id, "type": "sms" }))?;
        say!("   sent to {phone}");
        n += 1;
    }

    if !plan.live {
        // Live, this step could leave a second card behind on a template whose phone is not unique.
        step(n, "A second card with the same phone is refused (createcard -> 409)");
        match client.create_card(json!({ "templateId": template_id, "values": { "PHONE": phone } })) {
            Err(e) if e.status == Status::Conflict => {
                say!("   {}: {}", e.status.name(), e.message);
                say!("   the cards holding the phone: {:?}", e.card_ids());
            }
            Err(e) => return Err(e),
            Ok(_) => say!("   (this template has no unique phone: a second card was created)"),
        }
        n += 1;
        step(n, "More customers arrive (createcard x 59, sandbox only)");
        for i in 1..60u64 {
            client.create_card(json!({
                "templateId": template_id,
                "values": { "CLIENT_NAME": format!("Customer {i}"), "PHONE": format!("+7916{:07}", 2_000_000 + i), "BONUS": i }
            }))?;
        }
        say!("   59 cards created");
        n += 1;
    }

    step(n, "Page through the cards (getcardswithpagination, 25 a page)");
    let mut page = 1u64;
    let mut seen = 0usize;
    loop {
        let result = client
            .get_cards_with_pagination(json!({ "templateId": template_id, "page": page, "perPage": 25 }))?;
        let cards = result["cards"].as_array().map_or(0, Vec::len);
        seen += cards;
        say!("   page {page} of {}: {cards} cards (total {})", result["pageCount"], result["cardsCount"]);
        match passteam::next_page(page, &result) {
            Some(next) if !plan.live => page = next,
            _ => break,
        }
    }
    say!("   {seen} cards {}", if plan.live { "on the first page" } else { "in all" });

    if plan.delete_created_card && created {
        n += 1;
        step(n, "Clean up: delete the card this run created (deletecard)");
        client.delete_card(json!({ "cardId": card_id }))?;
        say!("   card {card_id} deleted");
    }
    Ok(())
}
