//! IAM for a sweep: the users (with their access keys and login profiles), roles and
//! customer-managed policies that exist, and the named access keys (GetAccessKeyLastUsed:
//! the owner and last use; ListAccessKeys: status and creation).

use std::collections::BTreeMap;

use futures::future::join_all;
use hiyari_checks::inventory::sweep::{KeyDetails, KeyFacts, LiveResource};
use hiyari_checks::{CollectError, Collected};

use crate::collect::{next_marker, pages, ts, Session};

type ByType = BTreeMap<String, Collected<Vec<LiveResource>>>;

fn live(
    id: &str,
    name: Option<&str>,
    created_at: Option<String>,
    state: Option<&str>,
) -> LiveResource {
    LiveResource {
        id: id.to_string(),
        name: name.map(str::to_string),
        created_at,
        state: state.map(str::to_string),
        modified_at: None,
    }
}

/// Users, their keys and login profiles, roles and customer-managed policies.
pub async fn resources(s: &Session, iam: &aws_sdk_iam::Client) -> ByType {
    let (users, roles, policies) = tokio::join!(users(s, iam), roles(s, iam), policies(s, iam));
    let mut m = ByType::new();
    match users {
        Ok((u, k, p)) => {
            m.insert("iam:user".into(), Collected::Ok(u));
            m.insert("iam:access-key".into(), k);
            m.insert("iam:login-profile".into(), p);
        }
        Err(e) => {
            for t in ["iam:user", "iam:access-key", "iam:login-profile"] {
                m.insert(t.into(), Collected::Error(e.clone()));
            }
        }
    }
    m.insert("iam:role".into(), Collected::from_result(roles));
    m.insert("iam:policy".into(), Collected::from_result(policies));
    m
}

type Users = (
    Vec<LiveResource>,
    Collected<Vec<LiveResource>>,
    Collected<Vec<LiveResource>>,
);

async fn users(s: &Session, iam: &aws_sdk_iam::Client) -> Result<Users, CollectError> {
    let mut list = Vec::new();
    pages(
        &s.limiter,
        "iam:ListUsers",
        |m| iam.list_users().set_marker(m).send(),
        |out| {
            list.extend(out.users().iter().map(|u| {
                live(
                    u.user_name(),
                    Some(u.arn()),
                    ts(Some(u.create_date())),
                    None,
                )
            }));
            next_marker(out.is_truncated(), out.marker())
        },
    )
    .await?;
    let per_user = join_all(list.iter().map(|u| async move {
        let keys = access_keys(s, iam, &u.id);
        let profile = async {
            match s
                .limiter
                .call(
                    "iam:GetLoginProfile",
                    iam.get_login_profile().user_name(&u.id).send(),
                )
                .await
            {
                Ok(out) => Ok(out
                    .login_profile()
                    .map(|p| live(&u.id, None, ts(Some(p.create_date())), None))),
                // No console password: nothing to list.
                Err(e) if e.code == "NoSuchEntity" => Ok(None),
                Err(e) => Err(e),
            }
        };
        tokio::join!(keys, profile)
    }))
    .await;
    let mut keys = Ok(Vec::new());
    let mut profiles = Ok(Vec::new());
    // The first error of each kind stands for the whole list: never a shorter list.
    for (k, p) in per_user {
        match k {
            Ok(k) => {
                if let Ok(all) = &mut keys {
                    all.extend(k);
                }
            }
            Err(e) if keys.is_ok() => keys = Err(e),
            Err(_) => {}
        }
        match p {
            Ok(p) => {
                if let Ok(all) = &mut profiles {
                    all.extend(p);
                }
            }
            Err(e) if profiles.is_ok() => profiles = Err(e),
            Err(_) => {}
        }
    }
    Ok((
        list,
        Collected::from_result(keys),
        Collected::from_result(profiles),
    ))
}

async fn roles(s: &Session, iam: &aws_sdk_iam::Client) -> Result<Vec<LiveResource>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "iam:ListRoles",
        |m| iam.list_roles().set_marker(m).send(),
        |out| {
            v.extend(out.roles().iter().map(|r| {
                live(
                    r.role_name(),
                    Some(r.arn()),
                    ts(Some(r.create_date())),
                    None,
                )
            }));
            next_marker(out.is_truncated(), out.marker())
        },
    )
    .await?;
    Ok(v)
}

async fn policies(
    s: &Session,
    iam: &aws_sdk_iam::Client,
) -> Result<Vec<LiveResource>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "iam:ListPolicies",
        |m| {
            iam.list_policies()
                .scope(aws_sdk_iam::types::PolicyScopeType::Local)
                .set_marker(m)
                .send()
        },
        |out| {
            v.extend(
                out.policies().iter().filter_map(|p| {
                    Some(live(p.arn()?, p.policy_name(), ts(p.create_date()), None))
                }),
            );
            next_marker(out.is_truncated(), out.marker())
        },
    )
    .await?;
    Ok(v)
}

/// Each named key: its owner and last use, then its status and creation date from its
/// owner's key list.
pub async fn named_keys(
    s: &Session,
    iam: &aws_sdk_iam::Client,
    keys: &[String],
) -> Vec<KeyDetails> {
    join_all(keys.iter().map(|k| async move {
        KeyDetails {
            access_key_id: k.clone(),
            details: Collected::from_result(key(s, iam, k).await),
        }
    }))
    .await
}

fn known(s: &str) -> Option<String> {
    (!s.is_empty() && s != "N/A").then(|| s.to_string())
}

async fn key(s: &Session, iam: &aws_sdk_iam::Client, k: &str) -> Result<KeyFacts, CollectError> {
    let out = s
        .limiter
        .call(
            "iam:GetAccessKeyLastUsed",
            iam.get_access_key_last_used().access_key_id(k).send(),
        )
        .await?;
    let used = out.access_key_last_used();
    let mut facts = KeyFacts {
        user: out.user_name().map(str::to_string),
        status: None,
        created_at: None,
        last_used_at: used.and_then(|u| ts(u.last_used_date())),
        last_used_service: used.and_then(|u| known(u.service_name())),
        last_used_region: used.and_then(|u| known(u.region())),
    };
    // The root user's keys are not listed by user name.
    if let Some(user) = facts.user.clone().filter(|u| u != "root") {
        if let Some(listed) = access_keys(s, iam, &user)
            .await?
            .into_iter()
            .find(|r| r.id == k)
        {
            facts.status = listed.state;
            facts.created_at = listed.created_at;
        }
    }
    Ok(facts)
}

/// The access keys of `user` (ListAccessKeys, paged): each key's id, its user as the
/// name, its creation and its status.
async fn access_keys(
    s: &Session,
    iam: &aws_sdk_iam::Client,
    user: &str,
) -> Result<Vec<LiveResource>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "iam:ListAccessKeys",
        |m| iam.list_access_keys().user_name(user).set_marker(m).send(),
        |out| {
            v.extend(out.access_key_metadata().iter().filter_map(|k| {
                Some(live(
                    k.access_key_id()?,
                    Some(user),
                    ts(k.create_date()),
                    k.status().map(|st| st.as_str()),
                ))
            }));
            next_marker(out.is_truncated(), out.marker())
        },
    )
    .await?;
    Ok(v)
}
