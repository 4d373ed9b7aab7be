//! libphonenumber's metadata, the part the phone parser reads: per region its country code, prefixes
//! and number patterns. Generated at build time (build.rs) from the `phonenumber` crate's copy of
//! Google's `PhoneNumberMetadata.xml`; all patterns live in one string and are referred to by offset,
//! so the table costs no relocations and no start-up parsing.

/// A pattern's place in [`TEXT`]; length 0 = none.
#[derive(Debug, Clone, Copy)]
pub struct S(u32, u32);

impl S {
    fn get(self) -> Option<&'static str> {
        let (start, len) = (self.0 as usize, self.1 as usize);
        if len == 0 {
            None
        } else {
            TEXT.get(start..start + len)
        }
    }
}

/// A number type's description: its pattern and possible lengths (bit n set = length n).
#[derive(Debug, Clone, Copy)]
pub struct D {
    pattern: S,
    lengths: u32,
    local: u32,
    present: bool,
}

impl D {
    const ABSENT: D = D { pattern: S(0, 0), lengths: 0, local: 0, present: false };

    /// The pattern a national significant number of this type matches (whole).
    pub fn pattern(&self) -> &'static str {
        self.pattern.get().unwrap_or("")
    }

    pub fn lengths(&self) -> Lengths {
        Lengths(self.lengths)
    }

    pub fn local_lengths(&self) -> Lengths {
        Lengths(self.local)
    }
}

/// A set of number lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lengths(pub u32);

impl Lengths {
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, n: usize) -> bool {
        n < 32 && self.0 & (1 << n) != 0
    }

    pub fn min(self) -> Option<usize> {
        (!self.is_empty()).then(|| self.0.trailing_zeros() as usize)
    }

    pub fn max(self) -> Option<usize> {
        (!self.is_empty()).then(|| 31 - self.0.leading_zeros() as usize)
    }

    pub fn union(self, other: Lengths) -> Lengths {
        Lengths(self.0 | other.0)
    }
}

/// One region (or a non-geographic entity, id `001`).
#[derive(Debug)]
pub struct Region {
    id: &'static str,
    code: u16,
    main: bool,
    idd: S,
    national_prefix: S,
    prefix_for_parsing: S,
    transform_rule: S,
    leading_digits: S,
    general: D,
    /// Premium rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed line, mobile:
    /// libphonenumber's order of `getNumberTypeHelper`.
    types: [D; 10],
}

impl Region {
    pub fn id(&self) -> &'static str {
        self.id
    }
    pub fn country_code(&self) -> u16 {
        self.code
    }
    pub fn is_main_country_for_code(&self) -> bool {
        self.main
    }
    pub fn international_prefix(&self) -> Option<&'static str> {
        self.idd.get()
    }
    pub fn national_prefix(&self) -> Option<&'static str> {
        self.national_prefix.get()
    }
    pub fn national_prefix_for_parsing(&self) -> Option<&'static str> {
        self.prefix_for_parsing.get()
    }
    pub fn national_prefix_transform_rule(&self) -> Option<&'static str> {
        self.transform_rule.get()
    }
    pub fn leading_digits(&self) -> Option<&'static str> {
        self.leading_digits.get()
    }
    pub fn general(&self) -> &D {
        &self.general
    }
    /// The number types the region has.
    pub fn types(&self) -> impl Iterator<Item = &D> {
        self.types.iter().filter(|d| d.present)
    }
}

/// The region with this id (`RU`, upper case).
pub fn by_id(id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.id == id && r.id != "001")
}

/// The regions sharing a country code, the main one first as in libphonenumber.
pub fn by_code(code: u16) -> impl Iterator<Item = &'static Region> {
    REGIONS.iter().filter(move |r| r.code == code)
}

/// Every region of the table, the non-geographic ones (`001`) included.
pub fn all() -> impl Iterator<Item = &'static Region> {
    REGIONS.iter()
}

pub fn is_country_code(code: u16) -> bool {
    by_code(code).next().is_some()
}

include!(concat!(env!("OUT_DIR"), "/phone_metadata.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_libphonenumbers() {
        let ru = by_id("RU").expect("RU");
        assert_eq!(
            (ru.country_code(), ru.national_prefix(), ru.international_prefix()),
            (7, Some("8"), Some("810"))
        );
        assert!(ru.is_main_country_for_code() && !by_id("KZ").unwrap().is_main_country_for_code());
        assert_eq!(by_code(7).map(Region::id).collect::<Vec<_>>(), ["RU", "KZ"]);
        assert!(REGIONS.len() > 240, "{}", REGIONS.len());
        assert!(is_country_code(800) && !is_country_code(999));
        let mobile = ru.types().last().expect("a mobile description");
        assert!(mobile.lengths().contains(10) && !mobile.pattern().contains(char::is_whitespace));
        assert_eq!(Lengths(0b1100_0000).min(), Some(6));
        assert_eq!(Lengths(0b1100_0000).max(), Some(7));
    }
}
