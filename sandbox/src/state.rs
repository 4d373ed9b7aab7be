//! In-memory state: templates, cards, sales, products; value validation and JSON shapes.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{json, Value};

use crate::{COMPANY_ID, SEED_PRODUCT_ID, SEED_SALE_ID, TEMPLATE_GIFT, TEMPLATE_LOYALTY};

/// A 24-hex id shaped like a MongoDB ObjectId: seconds, a per-process random part, a counter.
pub fn new_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static RANDOM: OnceLock<u64> = OnceLock::new();
    let rnd = *RANDOM.get_or_init(|| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos(),
        );
        h.finish()
    });
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:08x}{:010x}{:06x}", secs as u32, rnd & 0xff_ffff_ffff, n & 0xff_ffff)
}

/// `dd.MM.yyyy HH:mm:ss`, Moscow time like the real service.
pub fn now_stamp() -> String {
    let msk = chrono::FixedOffset::east_opt(3 * 3600).expect("offset");
    chrono::Utc::now().with_timezone(&msk).format("%d.%m.%Y %H:%M:%S").to_string()
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub title: String,
    /// With the `%`s: `%PHONE%`.
    pub name: String,
    pub ftype: String,
    pub params: Option<Value>,
    pub unique: bool,
}

impl FieldDef {
    fn new(title: &str, name: &str, ftype: &str, params: Option<Value>, unique: bool) -> FieldDef {
        FieldDef { title: title.into(), name: name.into(), ftype: ftype.into(), params, unique }
    }

    /// The bare name, as in `Provided field (PHONE) is unique and must be set.`
    pub fn bare_name(&self) -> &str {
        self.name.trim_matches('%')
    }

    fn date_style(&self) -> Option<&str> {
        self.params.as_ref()?.get("dateStyle")?.as_str()
    }

    fn for_list(&self) -> Vec<String> {
        self.params
            .as_ref()
            .and_then(|p| p.get("forList"))
            .and_then(|l| l.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
            .unwrap_or_default()
    }

    /// Checks a non-empty value against the type; `Err` is the message of a 400.
    pub fn check(&self, value: &str) -> Result<(), String> {
        let bad = |what: &str| {
            Err(format!("Provided value ({value}) of field ({}) is not a valid {what}", self.name))
        };
        match self.ftype.as_str() {
            "phone" => {
                if valid_phone(value) {
                    Ok(())
                } else {
                    bad("phone number (international format, e.g. +79123456789)")
                }
            }
            "email" => {
                if valid_email(value) {
                    Ok(())
                } else {
                    bad("e-mail")
                }
            }
            "list" => {
                let items = self.for_list();
                if items.iter().any(|i| i == value) {
                    Ok(())
                } else {
                    Err(format!(
                        "Provided value ({value}) of field ({}) is not in the list: {}",
                        self.name,
                        items.join(", ")
                    ))
                }
            }
            "flag" => {
                if parse_flag(value).is_some() {
                    Ok(())
                } else {
                    bad("flag (true/false)")
                }
            }
            "number" => {
                if parse_number(value).is_some() {
                    Ok(())
                } else {
                    bad("number")
                }
            }
            "date" | "date_time" => {
                let style = self.date_style().unwrap_or(if self.ftype == "date" {
                    "dd.MM.yyyy"
                } else {
                    "dd.MM.yyyy HH:mm"
                });
                if valid_date(value, style, self.ftype == "date") {
                    Ok(())
                } else {
                    Err(format!(
                        "Provided value ({value}) of field ({}) is not a valid date ({style})",
                        self.name
                    ))
                }
            }
            _ => Ok(()),
        }
    }

    /// The form compared for uniqueness and look-ups.
    pub fn canonical(&self, value: &str) -> String {
        let v = value.trim();
        match self.ftype.as_str() {
            "phone" => crate::types::canonical_phone(v).unwrap_or_else(|| v.to_string()),
            "email" => v.to_lowercase(),
            "number" => parse_number(v).map(|n| n.to_string()).unwrap_or_else(|| v.to_string()),
            "flag" => parse_flag(v).map(|b| b.to_string()).unwrap_or_else(|| v.to_string()),
            _ => v.to_string(),
        }
    }
}

pub fn valid_phone(value: &str) -> bool {
    crate::types::valid_phone(value)
}

pub fn valid_email(value: &str) -> bool {
    crate::types::valid_email(value)
}

pub fn parse_flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

pub fn parse_number(value: &str) -> Option<f64> {
    let v = value.trim();
    if v.is_empty() || !v.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')) {
        return None;
    }
    v.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A real date in the field's Java/ICU style `dateStyle` (`dd.MM.yyyy HH:mm`).
fn valid_date(value: &str, style: &str, _date_only: bool) -> bool {
    crate::types::valid_date(value, style)
}

#[derive(Clone, Debug)]
pub struct Template {
    pub id: String,
    pub pass_type_id: String,
    pub title: String,
    pub team_identifier: String,
    pub company: String,
    pub city: String,
    pub ttype: String,
    pub fields: Vec<FieldDef>,
    pub alias: Option<String>,
    pub qr_url: Option<String>,
    pub vacant: bool,
    pub user_title: String,
    pub owner: String,
}

impl Template {
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Clone, Debug)]
pub struct Card {
    pub id: String,
    pub code: String,
    pub template_id: String,
    pub values: BTreeMap<String, String>,
    pub phone_number: String,
    pub email: String,
    pub expiration_date: String,
    pub voided: u8,
    pub strip: String,
    pub logo: String,
    pub icon: String,
    pub import_uid: String,
    pub created: String,
    pub updated: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardOut<'a> {
    card_id: &'a str,
    card_code: &'a str,
    card_url: String,
    apple_url: String,
    google_url: String,
    qrcode_url: String,
    values: &'a BTreeMap<String, String>,
    device_registered: bool,
    expiration_date: &'a str,
    voided: u8,
    phone_number: String,
    email: String,
    strip: &'a str,
    logo: &'a str,
    icon: &'a str,
    template_id: &'a str,
    import_uid: &'a str,
    #[serde(rename = "installedGPay")]
    installed_gpay: u8,
    #[serde(rename = "installedAW")]
    installed_aw: u8,
    installed: bool,
    created: &'a str,
    updated: &'a str,
}

#[derive(Serialize)]
pub struct DevicesCounter {
    summ: u64,
    #[serde(rename = "0")]
    ios: u64,
    #[serde(rename = "1")]
    android: u64,
    #[serde(rename = "2")]
    windows_phone: u64,
}

#[derive(Serialize)]
pub struct FieldOut<'a> {
    title: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    ftype: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<&'a Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateOut<'a> {
    template_id: &'a str,
    pass_type_id: &'a str,
    title: &'a str,
    team_identifier: &'a str,
    company: &'a str,
    city: &'a str,
    #[serde(rename = "type")]
    ttype: &'a str,
    cards_count: usize,
    devices_counter: DevicesCounter,
    fields: Vec<FieldOut<'a>>,
    alias: Option<&'a str>,
    qr_url: Option<&'a str>,
    vacant: bool,
    user_title: &'a str,
    owner: &'a str,
}

#[derive(Clone, Debug, Serialize)]
pub struct SaleProduct {
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
    pub quantity: Value,
    pub price: Value,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sale {
    pub id: String,
    pub title: String,
    pub payment_type: String,
    pub payment_status: String,
    pub total_price: i64,
    pub card_id: String,
    pub products: Vec<SaleProduct>,
    pub client_name: String,
    pub created: String,
    pub updated: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    #[serde(rename = "_id")]
    pub id: String,
    pub company_id: String,
    pub name: String,
    pub price: Value,
}

pub struct State {
    pub templates: Vec<Template>,
    /// In creation order.
    pub cards: Vec<Card>,
    pub sales: Vec<Sale>,
    pub products: Vec<Product>,
    pub next_code: u64,
}

/// A JSON number from a numeric string: an integer when it is one.
pub fn number_value(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

impl State {
    pub fn seeded() -> State {
        let loyalty = Template {
            id: TEMPLATE_LOYALTY.into(),
            pass_type_id: "pass.ru.passteam.sandbox.loyalty".into(),
            title: "Sandbox Coffee loyalty".into(),
            team_identifier: "SANDBOX123".into(),
            company: "Sandbox Coffee".into(),
            city: "Moscow".into(),
            ttype: "storeCard".into(),
            fields: vec![
                FieldDef::new("Client name", "%CLIENT_NAME%", "text", None, false),
                FieldDef::new("Phone", "%PHONE%", "phone", None, true),
                FieldDef::new("E-mail", "%EMAIL%", "email", None, false),
                FieldDef::new(
                    "Birthday",
                    "%BIRTHDAY%",
                    "date",
                    Some(json!({"dateStyle": "dd.MM.yyyy"})),
                    false,
                ),
                FieldDef::new(
                    "Last visit",
                    "%VISIT%",
                    "date_time",
                    Some(json!({"dateStyle": "dd.MM.yyyy HH:mm"})),
                    false,
                ),
                FieldDef::new(
                    "Level",
                    "%LEVEL%",
                    "list",
                    Some(json!({"forList": ["Silver", "Gold", "Platinum"]})),
                    false,
                ),
                FieldDef::new("Subscribed", "%SUBSCRIBED%", "flag", None, false),
                FieldDef::new("Bonus", "%BONUS%", "number", None, false),
                FieldDef::new("Balance", "%_BALANCE%", "number", None, false),
            ],
            alias: None,
            qr_url: None,
            vacant: false,
            user_title: "Loyalty".into(),
            owner: "demo".into(),
        };
        let gift = Template {
            id: TEMPLATE_GIFT.into(),
            pass_type_id: "pass.ru.passteam.sandbox.gift".into(),
            title: "Sandbox Coffee gift card".into(),
            team_identifier: "SANDBOX123".into(),
            company: "Sandbox Coffee".into(),
            city: "Moscow".into(),
            ttype: "coupon".into(),
            fields: vec![
                FieldDef::new("Code", "%CODE%", "text", None, true),
                FieldDef::new("Amount", "%AMOUNT%", "number", None, false),
            ],
            alias: None,
            qr_url: None,
            vacant: false,
            user_title: "Gift".into(),
            owner: "demo".into(),
        };
        let stamp = now_stamp();
        let product = Product {
            id: SEED_PRODUCT_ID.into(),
            company_id: COMPANY_ID.into(),
            name: "Cappuccino".into(),
            price: json!(250),
        };
        let sale = Sale {
            id: SEED_SALE_ID.into(),
            title: "Morning coffee".into(),
            payment_type: "CARD".into(),
            payment_status: "PAID".into(),
            total_price: 500,
            card_id: String::new(),
            products: vec![SaleProduct {
                id: SEED_PRODUCT_ID.into(),
                name: "Cappuccino".into(),
                quantity: json!(2),
                price: json!(250),
            }],
            client_name: "Ivan Petrov".into(),
            created: stamp.clone(),
            updated: stamp,
        };
        State {
            templates: vec![loyalty, gift],
            cards: Vec::new(),
            sales: vec![sale],
            products: vec![product],
            next_code: 1,
        }
    }

    pub fn template(&self, id: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.id == id)
    }

    pub fn card_index(&self, id: &str) -> Option<usize> {
        self.cards.iter().position(|c| c.id == id)
    }

    pub fn next_card_code(&mut self) -> String {
        loop {
            let code = format!("{:09}", self.next_code);
            self.next_code += 1;
            if !self.cards.iter().any(|c| c.code == code) {
                return code;
            }
        }
    }

    pub fn card_out<'a>(&'a self, c: &'a Card, base: &str) -> CardOut<'a> {
        let t = self.template(&c.template_id);
        let first_of = |ty: &str| -> String {
            t.and_then(|t| {
                t.fields
                    .iter()
                    .filter(|f| f.ftype == ty)
                    .find_map(|f| c.values.get(&f.name).filter(|v| !v.is_empty()).cloned())
            })
            .unwrap_or_default()
        };
        let phone = if c.phone_number.is_empty() { first_of("phone") } else { c.phone_number.clone() };
        let email = if c.email.is_empty() { first_of("email") } else { c.email.clone() };
        CardOut {
            card_id: &c.id,
            card_code: &c.code,
            card_url: format!("{base}/c/{}", c.id),
            apple_url: format!("{base}/c/{}/apple", c.id),
            google_url: format!("{base}/c/{}/google", c.id),
            qrcode_url: format!("{base}/c/{}/qr", c.id),
            values: &c.values,
            device_registered: false,
            expiration_date: &c.expiration_date,
            voided: c.voided,
            phone_number: phone,
            email,
            strip: &c.strip,
            logo: &c.logo,
            icon: &c.icon,
            template_id: &c.template_id,
            import_uid: &c.import_uid,
            installed_gpay: 0,
            installed_aw: 0,
            installed: false,
            created: &c.created,
            updated: &c.updated,
        }
    }

    pub fn template_out<'a>(&'a self, t: &'a Template) -> TemplateOut<'a> {
        TemplateOut {
            template_id: &t.id,
            pass_type_id: &t.pass_type_id,
            title: &t.title,
            team_identifier: &t.team_identifier,
            company: &t.company,
            city: &t.city,
            ttype: &t.ttype,
            cards_count: self.cards.iter().filter(|c| c.template_id == t.id).count(),
            devices_counter: DevicesCounter { summ: 0, ios: 0, android: 0, windows_phone: 0 },
            fields: t
                .fields
                .iter()
                .map(|f| FieldOut {
                    title: &f.title,
                    name: &f.name,
                    ftype: &f.ftype,
                    params: f.params.as_ref(),
                })
                .collect(),
            alias: t.alias.as_deref(),
            qr_url: t.qr_url.as_deref(),
            vacant: t.vacant,
            user_title: &t.user_title,
            owner: &t.owner,
        }
    }

    /// Ids of the cards of `template_id` whose `field` has the same canonical value (except `skip`).
    pub fn cards_with_value(
        &self,
        template_id: &str,
        field: &FieldDef,
        value: &str,
        skip: Option<&str>,
    ) -> Vec<String> {
        let want = field.canonical(value);
        self.cards
            .iter()
            .filter(|c| c.template_id == template_id && Some(c.id.as_str()) != skip)
            .filter(|c| {
                c.values.get(&field.name).is_some_and(|v| !v.is_empty() && field.canonical(v) == want)
            })
            .map(|c| c.id.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_24_hex_and_distinct() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }

    #[test]
    fn type_checks() {
        let s = State::seeded();
        let t = s.template(TEMPLATE_LOYALTY).unwrap();
        let ok = |n: &str, v: &str| t.field(n).unwrap().check(v).is_ok();
        assert!(ok("%PHONE%", "+79123456789"));
        assert!(ok("%PHONE%", "+7 912 345-67-89"));
        assert!(!ok("%PHONE%", "89123456789"));
        assert!(!ok("%PHONE%", "+7912"));
        assert!(!ok("%PHONE%", "hello"));
        assert!(ok("%EMAIL%", "a.b@example.com"));
        assert!(!ok("%EMAIL%", "a.b@example"));
        assert!(!ok("%EMAIL%", "nope"));
        assert!(ok("%BIRTHDAY%", "31.12.1990"));
        assert!(!ok("%BIRTHDAY%", "31.02.1990"));
        assert!(!ok("%BIRTHDAY%", "1990-12-31"));
        assert!(ok("%VISIT%", "01.02.2024 13:45"));
        assert!(!ok("%VISIT%", "01.02.2024"));
        assert!(ok("%LEVEL%", "Gold"));
        assert!(!ok("%LEVEL%", "gold"));
        assert!(ok("%SUBSCRIBED%", "true") && ok("%SUBSCRIBED%", "0"));
        assert!(!ok("%SUBSCRIBED%", "yes"));
        assert!(ok("%BONUS%", "7500") && ok("%BONUS%", "-1.5"));
        assert!(!ok("%BONUS%", "12abc") && !ok("%BONUS%", "inf") && !ok("%BONUS%", "NaN"));
        let phone = t.field("%PHONE%").unwrap();
        assert_eq!(phone.canonical("+7 (912) 345-67-89"), "+79123456789");
    }
}
