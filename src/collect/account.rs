//! The Account API: the alternate contacts (security, billing, operations) that AWS
//! writes to besides the root e-mail address.

use futures::future::join_all;
use hiyari_checks::inventory::{AlternateContact, Collected, Contact};
use hiyari_checks::CollectError;

use aws_sdk_account::types::AlternateContactType;

use super::Session;

const API: &str = "account:GetAlternateContact";

/// Each contact type, read at once. ResourceNotFoundException is the API's answer for a
/// type the account has no contact for; any other error stays with its type.
pub async fn alternate_contacts(s: &Session) -> Result<Vec<AlternateContact>, CollectError> {
    let client = s.account();
    let types = [
        AlternateContactType::Security,
        AlternateContactType::Billing,
        AlternateContactType::Operations,
    ];
    let got = join_all(types.iter().map(|t| {
        let client = &client;
        async move {
            let r = s
                .limiter
                .call(
                    API,
                    client
                        .get_alternate_contact()
                        .alternate_contact_type(t.clone())
                        .send(),
                )
                .await;
            let contact = match r {
                Ok(out) => Collected::Ok(out.alternate_contact().map(|c| Contact {
                    name: c.name().map(str::to_string),
                    title: c.title().map(str::to_string),
                    email: c.email_address().map(str::to_string),
                })),
                Err(e) if e.code == "ResourceNotFoundException" => Collected::Ok(None),
                Err(e) => Collected::Error(e),
            };
            AlternateContact {
                contact_type: t.as_str().to_string(),
                contact,
            }
        }
    }))
    .await;
    Ok(got)
}
