//! The emulated API over real HTTP: encodings, auth, every method, errors, quota, REST sales/products.

mod common;

use common::*;
use passteam_sandbox::{
    Sandbox, SandboxConfig, COMPANY_ID, SEED_PRODUCT_ID, SEED_SALE_ID, TEMPLATE_GIFT, TEMPLATE_LOYALTY,
};
use serde_json::{json, Value};

const CARD_FIELDS: &[&str] = &[
    "cardId",
    "cardCode",
    "cardUrl",
    "appleUrl",
    "googleUrl",
    "qrcodeUrl",
    "values",
    "deviceRegistered",
    "expirationDate",
    "voided",
    "phoneNumber",
    "email",
    "strip",
    "logo",
    "icon",
    "templateId",
    "importUid",
    "installedGPay",
    "installedAW",
    "installed",
    "created",
    "updated",
];

const TEMPLATE_FIELDS: &[&str] = &[
    "templateId",
    "passTypeId",
    "title",
    "teamIdentifier",
    "company",
    "city",
    "type",
    "cardsCount",
    "devicesCounter",
    "fields",
    "alias",
    "qrUrl",
    "vacant",
    "userTitle",
    "owner",
];

fn is_stamp(s: &str) -> bool {
    // dd.MM.yyyy HH:mm:ss
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            2 | 5 => *c == b'.',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

fn assert_card_shape(sb: &Sandbox, c: &Value) {
    let o = c.as_object().expect("card object");
    for f in CARD_FIELDS {
        assert!(o.contains_key(*f), "card lacks {f}: {c}");
    }
    let id = c["cardId"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    assert!(id.chars().all(|ch| ch.is_ascii_hexdigit()));
    assert!(c["cardUrl"].as_str().unwrap().starts_with(&sb.base_url()));
    assert!(c["qrcodeUrl"].as_str().unwrap().starts_with(&sb.base_url()));
    assert_eq!(c["deviceRegistered"], false);
    assert_eq!(c["voided"], 0);
    assert_eq!(c["installed"], false);
    assert!(is_stamp(c["created"].as_str().unwrap()), "{c}");
    assert!(is_stamp(c["updated"].as_str().unwrap()), "{c}");
    for (_, v) in c["values"].as_object().unwrap() {
        assert!(v.is_string());
    }
}

#[test]
fn both_encodings_create_and_find() {
    let sb = start();
    for (i, enc) in [Enc::Multipart, Enc::Urlencoded].into_iter().enumerate() {
        let p = phone(100 + i);
        let card = api_enc(
            &sb,
            enc,
            "createcard",
            &[
                ("templateId", TEMPLATE_LOYALTY),
                ("values[%PHONE%]", &p),
                ("values[%CLIENT_NAME%]", "Иван Петров"),
                ("values[%BONUS%]", "7500"),
                ("values[%SUBSCRIBED%]", "true"),
                ("values[%BIRTHDAY%]", "31.12.1990"),
            ],
        )
        .ok();
        assert_card_shape(&sb, &card);
        assert_eq!(card["values"]["%PHONE%"], p.as_str());
        assert_eq!(card["values"]["%CLIENT_NAME%"], "Иван Петров");
        assert_eq!(card["values"]["%BONUS%"], "7500");
        assert_eq!(card["phoneNumber"], p.as_str());
        assert_eq!(card["templateId"], TEMPLATE_LOYALTY);
        let code = card["cardCode"].as_str().unwrap();
        assert!(!code.is_empty() && code.chars().all(|c| c.is_ascii_digit()));
        let id = card["cardId"].as_str().unwrap();

        let by_id = api_enc(&sb, enc, "getcard", &[("cardId", id)]).ok();
        assert_eq!(by_id, card);
        let by_code = api_enc(&sb, enc, "getcard", &[("cardCode", code)]).ok();
        assert_eq!(by_code["cardId"], id);
        let by_phone =
            api_enc(&sb, enc, "getcard", &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", &p)]).ok();
        assert_eq!(by_phone["cardId"], id);
    }
    // the vendor's own percent-encoded example form, sent raw
    let body = format!("templateId={TEMPLATE_LOYALTY}&values%5B%25PHONE%25%5D=%2B79120000777&values%5B%25_BALANCE%25%5D=7500");
    let r = raw(
        &sb,
        "POST",
        "/oapi/v1/createcard",
        &[("Authorization", sb.token()), ("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    )
    .unwrap()
    .ok();
    assert_eq!(r["values"]["%_BALANCE%"], "7500");
    // explicit cardCode; method name is case-insensitive
    let r = call_with(
        &sb,
        Enc::Urlencoded,
        "POST",
        "/oapi/v1/createCard",
        &[
            ("templateId", TEMPLATE_GIFT),
            ("values[%CODE%]", "GIFT-1"),
            ("values[%AMOUNT%]", "1000"),
            ("cardCode", "4242"),
        ],
    )
    .ok();
    assert_eq!(r["cardCode"], "4242");
    let dup = api(
        &sb,
        "createcard",
        &[("templateId", TEMPLATE_GIFT), ("values[%CODE%]", "GIFT-2"), ("cardCode", "4242")],
    );
    let msg = dup.err(409);
    assert!(
        msg.starts_with("Provided value (4242) of field (cardCode) is duplicated. Duplicated cards: "),
        "{msg}"
    );
}

#[test]
fn auth_and_getatoken() {
    let sb = start();
    let list = || raw(&sb, "POST", "/oapi/v1/getlisttemplates", &[], b"");
    assert!(!list().unwrap().err(401).is_empty());
    let r = raw(&sb, "POST", "/oapi/v1/getlisttemplates", &[("Authorization", "wrong")], b"").unwrap();
    assert_eq!(r.err(401), "Unauthorized");
    let bearer = format!("Bearer {}", sb.token());
    let r = raw(&sb, "POST", "/oapi/v1/getlisttemplates", &[("Authorization", &bearer)], b"").unwrap();
    r.err(401);
    let ok =
        raw(&sb, "POST", "/oapi/v1/getlisttemplates", &[("Authorization", sb.token())], b"").unwrap().ok();
    assert_eq!(
        ok,
        json!([{"templateId": TEMPLATE_LOYALTY, "title": "Sandbox Coffee loyalty"}, {"templateId": TEMPLATE_GIFT, "title": "Sandbox Coffee gift card"}])
    );

    // getatoken needs no Authorization, in either encoding
    for enc in [Enc::Multipart, Enc::Urlencoded] {
        let (ct, body) = match enc {
            Enc::Multipart => (
                format!("multipart/form-data; boundary={BOUNDARY}"),
                multipart(&[("nickname", "demo"), ("password", "demo")]),
            ),
            Enc::Urlencoded => (
                "application/x-www-form-urlencoded".into(),
                urlencoded(&[("nickname", "demo"), ("password", "demo")]),
            ),
        };
        let r = raw(&sb, "POST", "/oapi/v1/getatoken", &[("Content-Type", &ct)], &body).unwrap().ok();
        assert_eq!(r, json!({"token": "sandbox-token"}));
    }
    let body = urlencoded(&[("nickname", "demo"), ("password", "nope")]);
    raw(&sb, "POST", "/oapi/v1/getatoken", &[("Content-Type", "application/x-www-form-urlencoded")], &body)
        .unwrap()
        .err(401);

    // a custom token
    let sb2 = Sandbox::start(SandboxConfig { token: "t0k".into(), ..Default::default() }).unwrap();
    assert_eq!(sb2.token(), "t0k");
    api(&sb2, "getlisttemplates", &[]).ok();
    raw(&sb2, "POST", "/oapi/v1/getlisttemplates", &[("Authorization", "sandbox-token")], b"")
        .unwrap()
        .err(401);
}

#[test]
fn templates() {
    let sb = start();
    let t = api(&sb, "gettemplate", &[("templateId", TEMPLATE_LOYALTY)]).ok();
    for f in TEMPLATE_FIELDS {
        assert!(t.get(*f).is_some(), "template lacks {f}: {t}");
    }
    assert_eq!(t["devicesCounter"], json!({"summ": 0, "0": 0, "1": 0, "2": 0}));
    let fields = t["fields"].as_array().unwrap();
    let types: Vec<(&str, &str)> =
        fields.iter().map(|f| (f["name"].as_str().unwrap(), f["type"].as_str().unwrap())).collect();
    assert_eq!(
        types,
        vec![
            ("%CLIENT_NAME%", "text"),
            ("%PHONE%", "phone"),
            ("%EMAIL%", "email"),
            ("%BIRTHDAY%", "date"),
            ("%VISIT%", "date_time"),
            ("%LEVEL%", "list"),
            ("%SUBSCRIBED%", "flag"),
            ("%BONUS%", "number"),
            ("%_BALANCE%", "number"),
        ]
    );
    assert_eq!(fields[3]["params"]["dateStyle"], "dd.MM.yyyy");
    assert_eq!(fields[5]["params"]["forList"], json!(["Silver", "Gold", "Platinum"]));
    assert_eq!(t["cardsCount"], 0);
    create_loyalty(&sb, &phone(1), &[]);
    assert_eq!(api(&sb, "gettemplate", &[("templateId", TEMPLATE_LOYALTY)]).ok()["cardsCount"], 1);

    let all = api(&sb, "gettemplates", &[]).ok();
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[1]["templateId"], TEMPLATE_GIFT);
    assert_eq!(all[1]["fields"][0]["name"], "%CODE%");

    assert!(api(&sb, "gettemplate", &[("templateId", "000000000000000000000000")])
        .err(404)
        .contains("not found"));
    assert!(api(&sb, "gettemplate", &[]).err(400).contains("templateId"));
}

#[test]
fn unique_variables_409_and_500() {
    let sb = start();
    let a = create_loyalty(&sb, "+79121234567", &[]);
    let a_id = a["cardId"].as_str().unwrap();
    // same number, other formatting: still a duplicate (compared as libphonenumber E.164)
    for p in ["+79121234567", "+7 912 123-45-67"] {
        let msg =
            api(&sb, "createcard", &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", p)]).err(409);
        assert_eq!(
            msg,
            format!("Provided value ({p}) of field (%PHONE%) is duplicated. Duplicated cards: {a_id}")
        );
    }
    // without the unique variable
    let msg = api(&sb, "createcard", &[("templateId", TEMPLATE_LOYALTY), ("values[%BONUS%]", "1")]).err(500);
    assert_eq!(msg, "Provided field (PHONE) is unique and must be set.");
    let msg = api(&sb, "createcard", &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", "")]).err(500);
    assert_eq!(msg, "Provided field (PHONE) is unique and must be set.");
    let msg = api(&sb, "createcard", &[("templateId", TEMPLATE_GIFT), ("values[%AMOUNT%]", "5")]).err(500);
    assert_eq!(msg, "Provided field (CODE) is unique and must be set.");

    // update into a duplicate
    let b = create_loyalty(&sb, "+79121234568", &[]);
    let b_id = b["cardId"].as_str().unwrap();
    let msg = api(&sb, "updatecard", &[("cardId", b_id), ("values[%PHONE%]", "+79121234567")]).err(409);
    assert_eq!(
        msg,
        format!("Provided value (+79121234567) of field (%PHONE%) is duplicated. Duplicated cards: {a_id}")
    );
    // updating a card with its own value is fine
    api(&sb, "updatecard", &[("cardId", a_id), ("values[%PHONE%]", "+79121234567")]).ok();

    // checkvariablevalue
    let r = api(
        &sb,
        "checkvariablevalue",
        &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", "+79121234567")],
    )
    .ok();
    assert_eq!(r, json!({"unique": false, "cardsIds": [a_id]}));
    let r = api(
        &sb,
        "checkvariablevalue",
        &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", "+79990000000")],
    )
    .ok();
    assert_eq!(r, json!({"unique": true, "cardsIds": []}));
    api(&sb, "checkvariablevalue", &[("templateId", TEMPLATE_LOYALTY)]).err(400);
}

#[test]
fn type_checks() {
    let sb = start();
    let bad = |name: &str, value: &str| {
        let p = phone(500);
        let key = format!("values[{name}]");
        let mut pairs = vec![("templateId", TEMPLATE_LOYALTY), (key.as_str(), value)];
        if name != "%PHONE%" {
            pairs.push(("values[%PHONE%]", &p));
        }
        let msg = api(&sb, "createcard", &pairs).err(400);
        assert!(msg.contains(name), "{name}={value}: {msg}");
    };
    bad("%PHONE%", "89121234567"); // not international
    bad("%PHONE%", "+7912123"); // too short
    bad("%PHONE%", "call me");
    bad("%EMAIL%", "not-an-email");
    bad("%EMAIL%", "a@b");
    bad("%BIRTHDAY%", "1990-12-31");
    bad("%BIRTHDAY%", "31.02.1990");
    bad("%VISIT%", "yesterday");
    bad("%LEVEL%", "Bronze");
    bad("%SUBSCRIBED%", "yes");
    bad("%BONUS%", "12abc");
    bad("%_BALANCE%", "lots");
    bad("%NOPE%", "x"); // unknown variable
    bad("PHONE", "+79121234567"); // names go with their %
                                  // nothing was created
    assert_eq!(api(&sb, "getcards", &[("templateId", TEMPLATE_LOYALTY)]).ok(), json!([]));

    // all good values of every type
    let c = create_loyalty(
        &sb,
        "+7 (912) 000-11-22",
        &[
            ("values[%EMAIL%]", "ivan@example.com"),
            ("values[%BIRTHDAY%]", "01.02.1985"),
            ("values[%VISIT%]", "05.06.2024 13:45"),
            ("values[%LEVEL%]", "Gold"),
            ("values[%SUBSCRIBED%]", "0"),
            ("values[%BONUS%]", "-12.5"),
            ("values[%_BALANCE%]", "100"),
            ("values[%CLIENT_NAME%]", "any <text> & more"),
        ],
    );
    assert_eq!(c["values"]["%LEVEL%"], "Gold");
    assert_eq!(c["email"], "ivan@example.com");
    // updatecard type-checks too
    let id = c["cardId"].as_str().unwrap();
    assert!(api(&sb, "updatecard", &[("cardId", id), ("values[%LEVEL%]", "Diamond")])
        .err(400)
        .contains("%LEVEL%"));
    assert!(api(&sb, "updatecard", &[("cardId", id), ("phoneNumber", "123")])
        .err(400)
        .contains("phoneNumber"));
}

#[test]
fn update_delete_distribute_push() {
    let sb = start();
    let c = create_loyalty(&sb, &phone(7), &[("values[%BONUS%]", "10"), ("values[%CLIENT_NAME%]", "Anna")]);
    let id = c["cardId"].as_str().unwrap().to_string();
    let code = c["cardCode"].as_str().unwrap().to_string();

    let r = api(&sb, "updatecard", &[("cardId", &id), ("values[%BONUS%]", "25")]).ok();
    assert_eq!(r["messages"], json!([]));
    assert_eq!(r["updated"], true);
    assert_eq!(r["card"]["values"]["%BONUS%"], "25");
    assert_eq!(r["card"]["values"]["%CLIENT_NAME%"], "Anna"); // untouched
    assert_eq!(r["card"]["values"]["%PHONE%"], phone(7).as_str());
    assert_card_shape(&sb, &r["card"]);
    assert_eq!(api(&sb, "updatecard", &[("cardId", "ffffffffffffffffffffffff")]).err(404), "Card not found");
    assert!(api(&sb, "updatecard", &[("values[%BONUS%]", "1")]).err(400).contains("cardId"));

    // updatecards (deprecated): by cardCode, by cardId, by templateId + unique variable
    let r = api(&sb, "updatecards", &[("cardCode", &code), ("values[%BONUS%]", "30")]).ok();
    assert_eq!(r, json!({"messages": [], "updated": 1, "processed": 1}));
    api(&sb, "updatecards", &[("cardId", &id), ("values[%BONUS%]", "31")]).ok();
    let p7 = phone(7);
    api(
        &sb,
        "updatecards",
        &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", &p7), ("values[%BONUS%]", "32")],
    )
    .ok();
    assert_eq!(api(&sb, "getcard", &[("cardId", &id)]).ok()["values"]["%BONUS%"], "32");
    let p8 = phone(8);
    api(
        &sb,
        "updatecards",
        &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", &p8), ("values[%BONUS%]", "1")],
    )
    .err(404);

    // getcard misses
    assert_eq!(api(&sb, "getcard", &[("cardId", "000000000000000000000000")]).err(404), "Card not found");
    assert_eq!(api(&sb, "getcard", &[("cardCode", "nope")]).err(404), "Card not found");
    assert_eq!(
        api(&sb, "getcard", &[("templateId", TEMPLATE_LOYALTY), ("values[%PHONE%]", &p8)]).err(404),
        "Card not found"
    );
    api(&sb, "getcard", &[("templateId", TEMPLATE_LOYALTY), ("values[%BONUS%]", "32")]).err(400); // not unique
    api(&sb, "getcard", &[]).err(400);

    // distribute
    assert_eq!(api(&sb, "distribute", &[("cardId", &id), ("type", "sms")]).ok(), json!(true));
    assert!(api(&sb, "distribute", &[("cardId", &id), ("type", "email")])
        .err(400)
        .to_lowercase()
        .contains("e-mail"));
    api(&sb, "updatecard", &[("cardId", &id), ("values[%EMAIL%]", "anna@example.com")]).ok();
    assert_eq!(api(&sb, "distribute", &[("cardId", &id), ("type", "email")]).ok(), json!(true));
    api(&sb, "distribute", &[("cardId", &id), ("type", "pigeon")]).err(400);
    let g = api(&sb, "createcard", &[("templateId", TEMPLATE_GIFT), ("values[%CODE%]", "G1")]).ok();
    api(&sb, "distribute", &[("cardId", g["cardId"].as_str().unwrap()), ("type", "sms")]).err(400);
    let msg = api(&sb, "distribute", &[("type", "sms")]).err(400);
    assert!(msg.contains("cardId"), "{msg}");

    // sendpush
    assert_eq!(
        api(&sb, "sendpush", &[("templateId", TEMPLATE_LOYALTY), ("message", "Sale!")]).ok(),
        json!(true)
    );
    let msg = api(&sb, "sendpush", &[]).err(400);
    assert!(msg.contains("templateId") && msg.contains("message"), "{msg}");

    // deletecard
    let r = api(&sb, "deletecard", &[("cardId", &id)]).ok();
    assert_eq!(r, json!({"n": 1, "ok": 1, "err": null, "errmsg": null}));
    let r = api(&sb, "deletecard", &[("cardId", &id)]).ok();
    assert_eq!(r["n"], 0);
    api(&sb, "getcard", &[("cardId", &id)]).err(404);
    // the phone is free again
    create_loyalty(&sb, &phone(7), &[]);

    // unknown method, wrong verb
    assert!(api(&sb, "nosuchmethod", &[]).err(404).contains("nosuchmethod"));
    raw(&sb, "GET", "/oapi/v1/getlisttemplates", &[("Authorization", sb.token())], b"").unwrap().err(405);
    raw(&sb, "POST", "/somewhere/else", &[("Authorization", sb.token())], b"").unwrap().err(404);
}

#[test]
fn pagination_120_cards() {
    let sb = start();
    let mut ids = Vec::new();
    let mut s = connect(&sb); // one keep-alive connection for speed
    for i in 0..120 {
        let body = urlencoded(&[
            ("templateId", TEMPLATE_GIFT),
            ("values[%CODE%]", &format!("C{i:03}")),
            ("values[%AMOUNT%]", "100"),
        ]);
        let req = format!(
            "POST /oapi/v1/createcard HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            sb.token(),
            body.len()
        );
        std::io::Write::write_all(&mut s, &[req.as_bytes(), &body].concat()).unwrap();
        let r = read_response(&mut s).unwrap().ok();
        ids.push(r["cardId"].as_str().unwrap().to_string());
    }
    let page = |page: &str, per: Option<&str>| {
        let mut pairs = vec![("templateId", TEMPLATE_GIFT), ("page", page)];
        if let Some(p) = per {
            pairs.push(("perPage", p));
        }
        api(&sb, "getcardswithpagination", &pairs).ok()
    };
    let mut seen = Vec::new();
    for (n, want) in [(1, 50), (2, 50), (3, 20)] {
        let r = page(&n.to_string(), Some("50"));
        assert_eq!(r["pageCount"], 3);
        assert_eq!(r["cardsCount"], 120);
        assert_eq!(r["cards"].as_array().unwrap().len(), want);
        assert_eq!(r["nextPage"], if n < 3 { json!(n + 1) } else { Value::Null });
        assert_eq!(r["previouslyPage"], if n > 1 { json!(n - 1) } else { Value::Null });
        seen.extend(r["cards"].as_array().unwrap().iter().map(|c| c["cardId"].as_str().unwrap().to_string()));
    }
    assert_eq!(seen, ids, "stable creation order");
    // default perPage 50, clamp above 50
    assert_eq!(page("1", None)["cards"].as_array().unwrap().len(), 50);
    let r = page("1", Some("100"));
    assert_eq!(r["cards"].as_array().unwrap().len(), 50);
    assert_eq!(r["pageCount"], 3);
    let r = page("2", Some("7"));
    assert_eq!(r["pageCount"], 18);
    assert_eq!(r["cards"][0]["cardId"], ids[7].as_str());
    // past the end
    let r = page("4", Some("50"));
    assert_eq!(r["cards"], json!([]));
    assert_eq!(r["nextPage"], Value::Null);
    api(&sb, "getcardswithpagination", &[("templateId", TEMPLATE_GIFT), ("page", "0")]).err(400);
    api(&sb, "getcardswithpagination", &[("templateId", TEMPLATE_GIFT), ("page", "x")]).err(400);
    api(&sb, "getcardswithpagination", &[("page", "1")]).err(400);
    // the other template is empty
    let r = api(&sb, "getcardswithpagination", &[("templateId", TEMPLATE_LOYALTY)]).ok();
    assert_eq!(r["cardsCount"], 0);
    assert_eq!(r["nextPage"], Value::Null);
    // getcards: all of them, same order
    let all = api(&sb, "getcards", &[("templateId", TEMPLATE_GIFT)]).ok();
    let all: Vec<&str> = all.as_array().unwrap().iter().map(|c| c["cardId"].as_str().unwrap()).collect();
    assert_eq!(all, ids);
}

#[test]
fn quota() {
    let sb = start();
    let r = control(&sb, "POST", "/_sandbox/quota", Some(json!({"per_hour": 3, "status": 429})));
    assert_eq!(r.status, 200);
    for _ in 0..3 {
        api(&sb, "getlisttemplates", &[]).ok();
    }
    assert_eq!(api(&sb, "getlisttemplates", &[]).err(429), "You can only make 3 requests per hour");
    assert_eq!(api(&sb, "createcard", &[]).err(429), "You can only make 3 requests per hour");
    control(&sb, "POST", "/_sandbox/quota", Some(json!({"per_hour": null})));
    api(&sb, "getlisttemplates", &[]).ok();

    // from the config, with another status; reset restarts the counter
    let sb =
        Sandbox::start(SandboxConfig { quota_per_hour: Some(2), quota_status: 403, ..Default::default() })
            .unwrap();
    api(&sb, "getlisttemplates", &[]).ok();
    api(&sb, "getlisttemplates", &[]).ok();
    assert_eq!(api(&sb, "getlisttemplates", &[]).err(403), "You can only make 2 requests per hour");
    sb.reset();
    api(&sb, "getlisttemplates", &[]).ok();
    sb.set_quota(Some(0), 429);
    api(&sb, "getlisttemplates", &[]).err(429);
}

#[test]
fn reset_restores_seed() {
    let sb = start();
    create_loyalty(&sb, &phone(1), &[]);
    api(&sb, "getlisttemplates", &[]).ok();
    assert_eq!(control(&sb, "POST", "/_sandbox/reset", None).status, 200);
    assert_eq!(api(&sb, "getcards", &[("templateId", TEMPLATE_LOYALTY)]).ok(), json!([]));
    let log = control(&sb, "GET", "/_sandbox/requests", None).json();
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["seq"], 1);
    let info = control(&sb, "GET", "/_sandbox/info", None).json();
    assert_eq!(info["templates"]["loyalty"], TEMPLATE_LOYALTY);
    assert_eq!(info["base_url"], sb.base_url().as_str());
}

#[test]
fn sales_and_products() {
    let sb = start();
    let auth = [("Authorization", sb.token())];
    // seeded sale via the query string
    let s = raw(&sb, "GET", &format!("/oapi/v1/sale?id={SEED_SALE_ID}"), &auth, b"").unwrap().ok();
    assert_eq!(s["id"], SEED_SALE_ID);
    assert_eq!(s["paymentType"], "CARD");
    assert_eq!(s["products"][0]["_id"], SEED_PRODUCT_ID);
    raw(&sb, "GET", "/oapi/v1/sale?id=nope", &auth, b"").unwrap().err(404);
    raw(&sb, "GET", &format!("/oapi/v1/sale?id={SEED_SALE_ID}"), &[], b"").unwrap().err(401);

    // upsert in both encodings
    for (enc, id) in [(Enc::Multipart, "sale-m"), (Enc::Urlencoded, "sale-u")] {
        let s = call_with(
            &sb,
            enc,
            "PUT",
            "/oapi/v1/sale",
            &[
                ("id", id),
                ("title", "Lunch"),
                ("paymentType", "CASH"),
                ("paymentStatus", "DRAFT"),
                ("totalPrice", "740"),
                ("clientName", "Oleg"),
                ("products[0][_id]", "p1"),
                ("products[0][name]", "Soup"),
                ("products[0][quantity]", "2"),
                ("products[0][price]", "250"),
                ("products[1][name]", "Tea"),
                ("products[1][quantity]", "1"),
                ("products[1][price]", "240"),
            ],
        )
        .ok();
        assert_eq!(s["id"], id);
        assert_eq!(s["totalPrice"], 740);
        assert_eq!(s["products"].as_array().unwrap().len(), 2);
        assert_eq!(s["products"][0], json!({"_id": "p1", "name": "Soup", "quantity": 2, "price": 250}));
        assert_eq!(s["products"][1]["name"], "Tea");
        let s = call_with(&sb, enc, "PUT", "/oapi/v1/sale", &[("id", id), ("paymentStatus", "PAID")]).ok();
        assert_eq!(s["paymentStatus"], "PAID");
        assert_eq!(s["title"], "Lunch");
    }
    let put = |pairs: &[(&str, &str)]| call_with(&sb, Enc::Urlencoded, "PUT", "/oapi/v1/sale", pairs);
    assert!(put(&[("id", "x"), ("paymentType", "BARTER")]).err(400).contains("paymentType"));
    assert!(put(&[("id", "x"), ("paymentStatus", "paid?")]).err(400).contains("paymentStatus"));
    assert!(put(&[("id", "x"), ("totalPrice", "12.5")]).err(400).contains("totalPrice"));
    assert!(put(&[("title", "no id")]).err(400).contains("id"));
    // delete via the query string, then 404
    assert_eq!(raw(&sb, "DELETE", "/oapi/v1/sale?id=sale-m", &auth, b"").unwrap().ok(), json!(true));
    raw(&sb, "DELETE", "/oapi/v1/sale?id=sale-m", &auth, b"").unwrap().err(404);
    raw(&sb, "GET", "/oapi/v1/sale?id=sale-m", &auth, b"").unwrap().err(404);
    raw(&sb, "POST", "/oapi/v1/sale", &auth, b"").unwrap().err(405);

    // products
    let p = call_with(
        &sb,
        Enc::Multipart,
        "POST",
        "/oapi/v1/product",
        &[("companyId", COMPANY_ID), ("name", "Latte"), ("price", "199")],
    )
    .ok();
    assert_eq!(p["name"], "Latte");
    assert_eq!(p["price"], 199);
    assert_eq!(p["companyId"], COMPANY_ID);
    let pid = p["_id"].as_str().unwrap().to_string();
    assert_eq!(pid.len(), 24);
    let p =
        call_with(&sb, Enc::Urlencoded, "PUT", "/oapi/v1/product", &[("id", &pid), ("price", "209.5")]).ok();
    assert_eq!(p["price"], 209.5);
    assert_eq!(p["name"], "Latte");
    call_with(&sb, Enc::Urlencoded, "PUT", "/oapi/v1/product", &[("id", "nope"), ("price", "1")]).err(404);
    assert!(call_with(
        &sb,
        Enc::Urlencoded,
        "POST",
        "/oapi/v1/product",
        &[("companyId", COMPANY_ID), ("name", "X")]
    )
    .err(400)
    .contains("price"));
    call_with(
        &sb,
        Enc::Urlencoded,
        "POST",
        "/oapi/v1/product",
        &[("companyId", COMPANY_ID), ("name", "X"), ("price", "free")],
    )
    .err(400);
    for i in 0..3 {
        call_with(
            &sb,
            Enc::Urlencoded,
            "POST",
            "/oapi/v1/product",
            &[("companyId", COMPANY_ID), ("name", &format!("P{i}")), ("price", "1")],
        )
        .ok();
    }
    // 1 seeded + Latte + 3 = 5
    let l = call_with(
        &sb,
        Enc::Urlencoded,
        "POST",
        "/oapi/v1/products",
        &[("companyId", COMPANY_ID), ("page", "2"), ("perPage", "2")],
    )
    .ok();
    assert_eq!(l["pageCount"], 3);
    assert_eq!(l["page"], 2);
    assert_eq!(l["products"].as_array().unwrap().len(), 2);
    assert_eq!(l["products"][0]["name"], "P0");
    let l =
        raw(&sb, "POST", &format!("/oapi/v1/products?companyId={COMPANY_ID}&page=1&perPage=50"), &auth, b"")
            .unwrap()
            .ok();
    assert_eq!(l["products"].as_array().unwrap().len(), 5);
    assert_eq!(
        raw(&sb, "DELETE", &format!("/oapi/v1/product?id={pid}"), &auth, b"").unwrap().ok(),
        json!(true)
    );
    raw(&sb, "DELETE", &format!("/oapi/v1/product?id={pid}"), &auth, b"").unwrap().err(404);
}
