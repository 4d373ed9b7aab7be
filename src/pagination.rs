//! The one pagination rule of every walk over `getcardswithpagination` (the CLI, Python's `iter_cards`,
//! Go's `Client.Cards`); `tests/vectors/pagination.json` holds the cases each of them is tested against.

use serde_json::Value;

/// The page to fetch after `current`, given that page's result; `None` ends the walk. The walk stops at
/// a page without cards, when `nextPage` is null, absent or not a positive integer, or when it is not
/// after `current` (a server that does not move forward must not make the walk loop forever).
pub fn next_page(current: u64, result: &Value) -> Option<u64> {
    let has_cards = result.get("cards").and_then(Value::as_array).is_some_and(|cards| !cards.is_empty());
    let next = result.get("nextPage").and_then(Value::as_u64)?;
    (has_cards && next > current).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Walks a case's pages with [`next_page`], returning the pages requested and the cards seen.
    fn walk(pages: &serde_json::Map<String, Value>) -> (Vec<u64>, u64) {
        let (mut requests, mut cards, mut page) = (Vec::new(), 0, 1);
        loop {
            requests.push(page);
            let spec = &pages[&page.to_string()];
            let count = spec["cards"].as_u64().expect("cards is a count");
            let mut result = json!({"cards": (0..count).map(|i| json!({"cardId": format!("c{page}-{i}")})).collect::<Vec<_>>()});
            if let Some(next) = spec.get("nextPage") {
                result["nextPage"] = next.clone();
            }
            cards += count;
            match next_page(page, &result) {
                Some(next) => page = next,
                None => return (requests, cards),
            }
        }
    }

    #[test]
    fn the_shared_vector() {
        let vector: Value = serde_json::from_str(include_str!("../tests/vectors/pagination.json")).unwrap();
        let cases = vector["cases"].as_array().unwrap();
        assert!(cases.len() >= 8);
        for case in cases {
            let (requests, cards) = walk(case["pages"].as_object().unwrap());
            let want: Vec<u64> =
                case["requests"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
            assert_eq!(requests, want, "{}", case["name"]);
            assert_eq!(cards, case["cards"].as_u64().unwrap(), "{}", case["name"]);
        }
    }
}
