//! "Did you mean …?" for a mistyped name (a check id, an output format): the closest
//! known name by Jaro similarity, with `strsim`, the crate and the measure clap suggests
//! its own values with, so hiyari's suggestions and clap's agree.

/// The candidate closest to `typo`, when it is close enough to be what was meant (Jaro
/// similarity above 0.7, clap's threshold).
pub fn closest<'a>(typo: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro(typo, c), c))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The check id closest to `typo`, when one is close enough.
pub fn closest_check(typo: &str) -> Option<&'static str> {
    closest(
        typo,
        hiyari_checks::all_checks().iter().map(|c| c.meta().id),
    )
}

/// The error for an id that is no check's: the closest id when there is one, and where
/// the list is, rather than every id on one line.
pub fn unknown_check(id: &str) -> String {
    match closest_check(id) {
        Some(c) => {
            format!("unknown check `{id}`; did you mean `{c}`? (`hiyari checks` lists the checks)")
        }
        None => format!("unknown check `{id}`; `hiyari checks` lists the checks"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_gets_the_closest_name_and_nonsense_gets_none() {
        assert_eq!(closest_check("root-acess-keys"), Some("root-access-keys"));
        assert_eq!(closest_check("public-snapshots"), Some("public-snapshot"));
        assert_eq!(closest_check("root-mfaa"), Some("root-mfa"));
        assert_eq!(closest_check("zzzzzz"), None);
        assert_eq!(
            closest("jsn", ["table", "json", "junit", "csv"]),
            Some("json")
        );
        assert_eq!(closest("yaml", ["table", "json", "html"]), None);
        assert_eq!(
            unknown_check("root-acess-keys"),
            "unknown check `root-acess-keys`; did you mean `root-access-keys`? (`hiyari checks` lists the checks)"
        );
    }
}
