//! The shape of AWS names hiyari is given on the command line and in its configuration:
//! account ids and role ARNs, checked before anything is scanned.

/// Whether `s` is a 12-digit account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account id in a role ARN (`arn:PARTITION:iam::ACCOUNT:role/NAME`).
pub fn account_of_role(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "iam", "", account, rest]
            if is_account_id(account) && rest.starts_with("role/") =>
        {
            Some(account)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(is_account_id("111122223333"));
        assert!(!is_account_id("11112222333"));
        assert!(!is_account_id("11112222333x"));
        assert!(!is_account_id("１１１１２２２２３３３３"));
    }

    #[test]
    fn role_arns_name_their_account() {
        assert_eq!(
            account_of_role("arn:aws:iam::111122223333:role/Audit"),
            Some("111122223333")
        );
        assert_eq!(
            account_of_role("arn:aws-cn:iam::111122223333:role/path/Audit"),
            Some("111122223333")
        );
        assert_eq!(account_of_role("arn:aws:iam::1111:role/Audit"), None);
        assert_eq!(account_of_role("arn:aws:iam::111122223333:user/x"), None);
        assert_eq!(account_of_role("111122223333"), None);
    }
}
