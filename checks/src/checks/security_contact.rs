use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::Finding;
use crate::inventory::{CollectError, Collected};
use serde::{Deserialize, Serialize};

crate::check! {
    /// Fails when the account has no security contact, so AWS's security notices reach
    /// only the root e-mail address, or lacks a contact type listed in `also` (BILLING,
    /// OPERATIONS; default none).
    ///
    /// ## What it does
    /// Account GetAlternateContact for the SECURITY, BILLING and OPERATIONS contact types
    /// (three calls per account). Fails when there is no SECURITY contact (the API answers
    /// ResourceNotFoundException), and when a type listed in [checks.security-contact] also
    /// (for example `also = ["BILLING", "OPERATIONS"]`; empty by default) has none. A type
    /// whose contact could not be read is an error, never a pass or a fail.
    ///
    /// ## Why is this bad
    /// AWS e-mailed the owner of INC-2015-LEAKED-ROOT-KEY on the day the key leaked; the
    /// mail went to an address nobody read, and nothing happened until AWS telephoned three
    /// or four days later. The compromise, abuse and account notices of INC-AWS-NOTICES go
    /// to the root address and to the alternate contacts: a security contact that reaches a
    /// team that watches its inbox is how those notices get read the same day.
    ///
    /// ## How to fix
    /// Set a security contact that reaches a team, not one person: `aws account
    /// put-alternate-contact --alternate-contact-type SECURITY --name "Security team"
    /// --title "Security" --email-address security@example.com --phone-number
    /// "+81-3-0000-0000"` (in an organization, the management account can set it for a
    /// member with `--account-id`). Do the same for BILLING and OPERATIONS if you require
    /// them.
    pub struct SecurityContact;
    id: "security-contact",
    title: "The account has a security contact for AWS's notices",
    severity: High,
    scope: Account,
    incidents: [AWS_NOTICES, LEAKED_ROOT_KEY],
    sources: [AlternateContacts],
    params {
        /// Other contact types to require besides SECURITY: `BILLING`, `OPERATIONS`.
        pub also: Vec<ContactType> = Vec::new(),
    }
}

/// An alternate contact type hiyari reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "UPPERCASE")]
#[strum(serialize_all = "UPPERCASE")]
pub enum ContactType {
    Security,
    Billing,
    Operations,
}

impl ContactType {
    pub const ALL: [ContactType; 3] = [
        ContactType::Security,
        ContactType::Billing,
        ContactType::Operations,
    ];

    /// The name the Account API uses.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

const API: &str = Source::AlternateContacts.api();

impl Check for SecurityContact {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.account_wide(|account| {
            let resource = || b.account_resource();
            let contacts = account.contacts.alternate_contacts.get(API)?;
            let mut required = vec![ContactType::Security];
            for t in &cx.params::<Params>().also {
                if !required.contains(t) {
                    required.push(*t);
                }
            }
            let mut missing = Vec::new();
            let mut set = serde_json::Map::new();
            for t in &required {
                let found = contacts.iter().find(|c| c.contact_type == t.as_str());
                match found.map(|c| &c.contact) {
                    Some(Collected::Ok(Some(c))) => {
                        set.insert(
                            t.as_str().to_lowercase(),
                            serde_json::json!({ "name": c.name, "email": c.email }),
                        );
                    }
                    Some(Collected::Ok(None)) => missing.push(t.as_str()),
                    Some(Collected::Error(e)) => return Ok(vec![b.error(None, resource(), e)]),
                    Some(Collected::NotCollected) | None => {
                        let e = CollectError::new(
                            API,
                            "NotCollected",
                            format!("the {} contact is not in the inventory", t.as_str()),
                        );
                        return Ok(vec![b.error(None, resource(), &e)]);
                    }
                }
            }
            let required_names: Vec<&str> = required.iter().map(|t| t.as_str()).collect();
            if missing.is_empty() {
                let security = contacts
                    .iter()
                    .find(|c| c.contact_type == "SECURITY")
                    .and_then(|c| match &c.contact {
                        Collected::Ok(Some(c)) => c.email.clone(),
                        _ => None,
                    })
                    .unwrap_or_default();
                return Ok(vec![b.pass(
                    None,
                    resource(),
                    format!(
                        "Account {} has a security contact ({security}): AWS's security notices reach it",
                        b.account()
                    ),
                    evidence! { "required" => required_names, "contacts" => set },
                )]);
            }
            let message = if missing.contains(&"SECURITY") {
                format!(
                    "Account {} has no security contact: AWS's compromise and abuse notices reach only the root e-mail address",
                    b.account()
                )
            } else {
                format!(
                    "Account {} has no {} contact, which [checks.security-contact] also requires",
                    b.account(),
                    missing.join(" or ")
                )
            };
            Ok(vec![b.fail(
                None,
                resource(),
                message,
                evidence! {
                    "required" => required_names,
                    "missing" => missing,
                    "contacts" => set,
                },
            )])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{AlternateContact, Contact};

    fn with(
        security: Collected<Option<Contact>>,
        billing: Collected<Option<Contact>>,
    ) -> AccountInventory {
        let mut acc = account(&["us-east-1"]);
        acc.contacts.alternate_contacts = Collected::Ok(vec![
            AlternateContact {
                contact_type: "SECURITY".into(),
                contact: security,
            },
            AlternateContact {
                contact_type: "BILLING".into(),
                contact: billing,
            },
            AlternateContact {
                contact_type: "OPERATIONS".into(),
                contact: Collected::Ok(None),
            },
        ]);
        acc
    }

    fn team() -> Collected<Option<Contact>> {
        Collected::Ok(Some(Contact {
            name: Some("Security team".into()),
            title: None,
            email: Some("security@example.com".into()),
        }))
    }

    fn also(types: &[ContactType]) -> EvalOptions {
        EvalOptions {
            params: crate::params::ParamsById::default().with(
                META.id,
                Params {
                    also: types.to_vec(),
                },
            ),
            ..EvalOptions::default()
        }
    }

    #[test]
    fn no_security_contact_fails() {
        let f = run(&SecurityContact, &with(Collected::Ok(None), team()));
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, ACCOUNT)]);
        assert!(f[0].message.contains("root e-mail"), "{}", f[0].message);
        assert_eq!(f[0].evidence["missing"], serde_json::json!(["SECURITY"]));
    }

    #[test]
    fn a_security_contact_passes_and_names_its_address() {
        let f = run(&SecurityContact, &with(team(), Collected::Ok(None)));
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
        assert!(
            f[0].message.contains("security@example.com"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn also_requires_the_other_types() {
        let acc = with(team(), Collected::Ok(None));
        let f = run_with(
            &SecurityContact,
            &acc,
            &also(&[ContactType::Billing, ContactType::Operations]),
        );
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, ACCOUNT)]);
        assert_eq!(
            f[0].evidence["missing"],
            serde_json::json!(["BILLING", "OPERATIONS"])
        );
        let acc = with(team(), team());
        let f = run_with(&SecurityContact, &acc, &also(&[ContactType::Billing]));
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
    }

    #[test]
    fn a_denied_contact_is_an_error_only_when_required() {
        let acc = with(Collected::Error(denied(API)), team());
        let f = run(&SecurityContact, &acc);
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, API, "AccessDenied");

        let acc = with(team(), Collected::Error(denied(API)));
        assert_eq!(
            outcome(&run(&SecurityContact, &acc)),
            vec![o(Status::Pass, None, ACCOUNT)]
        );
        let f = run_with(&SecurityContact, &acc, &also(&[ContactType::Billing]));
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
    }

    #[test]
    fn an_unread_source_is_an_error() {
        let mut acc = account(&["us-east-1"]);
        acc.contacts.alternate_contacts = Collected::Error(denied(API));
        let f = run(&SecurityContact, &acc);
        assert_errors_named(&f, API, "AccessDenied");
    }
}
