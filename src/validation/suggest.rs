//! "Did you mean": the template's variable names closest to a name it does not have.

/// Up to three of `known` closest to `wanted` (case-insensitive edit distance), best first; only names
/// within a third of the wanted name's length (at least 2 edits), or that contain it, are offered.
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let w = bare(wanted);
    let limit = (w.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .filter_map(|name| {
            let k = bare(name);
            let d = distance(&w, &k);
            let contains = !w.is_empty() && (k.contains(&w) || w.contains(&k));
            (d <= limit || contains).then_some((d, name))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n.to_owned()).collect()
}

fn bare(name: &str) -> String {
    name.trim().trim_matches('%').to_lowercase()
}

/// Levenshtein distance over characters (names are short: at most a few dozen characters).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_offered_best_first() {
        let known = ["%PHONE%", "%EMAIL%", "%BONUS%", "%_BALANCE%", "%CLIENT_NAME%", "%LEVEL%"];
        assert_eq!(closest("PHOEN", known), vec!["%PHONE%"]);
        assert_eq!(closest("%LEVL%", known), vec!["%LEVEL%"]);
        assert_eq!(closest("balance", known), vec!["%_BALANCE%"]);
        assert_eq!(closest("NAME", known), vec!["%CLIENT_NAME%"]);
        assert!(closest("FAVOURITE_DRINK", known).is_empty());
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
