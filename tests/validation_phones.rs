//! Phones as tills type them, against what Google's libphonenumber (which Passteam uses) makes of them.
//!
//! The expected values in `data/phones_table.rs` come from libphonenumber's Python port `phonenumbers`
//! 9.0.43, not from this library: a spelling this library reads differently fails here.

#[path = "data/phones_table.rs"]
mod table;

use passteam::validation::phone::{normalize, PhoneProblem};

#[test]
fn every_spelling_agrees_with_libphonenumber() {
    let mut disagreements = Vec::new();
    for (typed, region, expected) in table::PHONES {
        let got = normalize(typed, region).ok();
        if got.as_deref() != *expected {
            disagreements.push(format!("{typed:?} in {region}: libphonenumber {expected:?}, we {got:?}"));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {}:\n{}",
        disagreements.len(),
        table::PHONES.len(),
        disagreements.join("\n")
    );
    // The table covers what the issue lists: valid and refused numbers, several countries and regions.
    assert!(table::PHONES.len() >= 150);
    assert!(table::PHONES.iter().filter(|r| r.2.is_none()).count() >= 30);
}

#[test]
fn the_numbers_phonenumber_0_3_10_mangles() {
    for (typed, e164) in [
        ("+78121000029", "+78121000029"),
        ("8 800 555-35-35", "+78005553535"),
        ("+7 8442 12-34-56", "+78442123456"),
        ("+49 (0)30 1234567", "+49301234567"),
        ("+44 (0)20 7946 0958", "+442079460958"),
    ] {
        assert_eq!(normalize(typed, "RU").as_deref(), Ok(e164), "{typed}");
    }
}

#[test]
fn problems_are_told_apart() {
    assert_eq!(normalize("8 916 ABC 45 67", "RU"), Err(PhoneProblem::Letters)); // libphonenumber would dial the letters
    assert_eq!(normalize("+7 916 123 45 67 доб. 123", "RU"), Err(PhoneProblem::Extension));
    assert_eq!(normalize("+999 123 456 789", "RU"), Err(PhoneProblem::UnknownCountryCode));
    assert_eq!(normalize("hello", "RU"), Err(PhoneProblem::NotANumber));
    assert!(
        matches!(normalize("+7 (012) 345-67-89", "RU"), Err(PhoneProblem::Invalid(e)) if e == "+70123456789")
    );
}

#[test]
fn hostile_text_never_panics() {
    let long = "9".repeat(10_000);
    let mixed = "+7".repeat(500);
    for text in [
        "",
        "+",
        "++",
        "\u{0}",
        "８",
        "+٧٩١٦١٢٣٤٥٦٧",
        long.as_str(),
        mixed.as_str(),
        "((((((",
        "+7 (916) ) ) )",
    ] {
        let _ = normalize(text, "RU");
    }
}

mod properties {
    use passteam::validation::phone::Reader;
    use passteam::validation::{check_values, FieldType, Mode, TemplateRules};
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    fn rules() -> TemplateRules {
        let date = |style: &str, time| FieldType::Date { style: style.into(), time };
        TemplateRules {
            template_id: "t".into(),
            fields: vec![
                ("%PHONE%".into(), FieldType::Phone),
                ("%EMAIL%".into(), FieldType::Email),
                ("%BIRTHDAY%".into(), date("dd.MM.yyyy", false)),
                ("%VISIT%".into(), date("yyyy-MM-dd'T'HH:mm:ss", true)),
                ("%ODD%".into(), date("d'", true)),
                ("%LEVEL%".into(), FieldType::List(vec!["Gold".into(), "".into()])),
                ("%FLAG%".into(), FieldType::Flag),
                ("%N%".into(), FieldType::Number),
            ],
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// Any text in any variable, in any mode and region: an answer, never a panic; what is sent
        /// passes the same checks again unchanged (normalising is idempotent).
        #[test]
        fn any_value_is_answered_and_normalising_is_idempotent(
            name in prop::sample::select(vec!["PHONE", "EMAIL", "BIRTHDAY", "VISIT", "ODD", "LEVEL", "FLAG", "N", "X"]),
            value in "\\PC{0,40}|[0-9 +()\\-.]{0,24}|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:]{0,8}",
            region in prop::sample::select(vec!["RU", "KZ", "DE", "US", "XX"]),
            strict in any::<bool>(),
        ) {
            let rules = rules();
            let mut values = Map::new();
            values.insert(name.to_owned(), Value::String(value));
            let mode = if strict { Mode::Strict } else { Mode::Normalize };
            let phones = Reader::new(region);
            if let Ok(sent) = check_values(&rules, &values, mode, &phones) {
                let again = check_values(&rules, &sent, Mode::Strict, &phones);
                prop_assert_eq!(again.as_ref().ok(), Some(&sent));
            }
        }
    }
}
