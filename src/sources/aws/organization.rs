//! The accounts of an AWS organization (`--org`), from its management account
//! or a delegated administrator: ListAccounts to its last page (a page may be
//! empty and still say more follow), and the organizational units to include
//! or exclude, walked with ListOrganizationalUnitsForParent and
//! ListAccountsForParent. Anything not read is an error: a run over part of
//! an organization is never taken for the whole.

use super::fetch::Calls;
use super::pages::{all_pages_of, Page};
use super::Unread;
use aws_sdk_organizations::Client;
use std::collections::BTreeSet;

/// One account as Organizations lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgAccount {
    pub id: String,
    pub name: Option<String>,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, …: only active accounts are read.
    pub status: String,
    /// The account's ARN, whose partition is the account's.
    pub arn: Option<String>,
}

impl OrgAccount {
    pub fn active(&self) -> bool {
        self.status == "ACTIVE"
    }
}

/// More pages than this make no sense (an organization holds at most a few
/// thousand accounts, 20 per page at the least).
const MAX_PAGES: usize = 5_000;
const BOUND: &str = "more than an organization holds";

/// Every account of the organization.
pub(super) async fn accounts(
    client: &Client,
    calls: &mut Calls,
) -> Result<Vec<OrgAccount>, Unread> {
    let (result, n) = all_pages_of(
        "Organizations",
        BOUND,
        "the organization's accounts",
        "organizations:ListAccounts",
        MAX_PAGES,
        |token| async move {
            let out = client.list_accounts().set_next_token(token).send().await?;
            Ok(Page {
                items: out.accounts().iter().map(account).collect(),
                truncated: out.next_token().is_some(),
                marker: out.next_token().map(str::to_string),
            })
        },
    )
    .await;
    *calls.entry("organizations:ListAccounts").or_default() += n;
    result.map_err(|s| s.unread)
}

fn account(a: &aws_sdk_organizations::types::Account) -> OrgAccount {
    // `State` replaces `Status` (deprecated in 2025): either says suspended.
    let status = a
        .state()
        .map(|s| s.as_str().to_string())
        .or_else(|| a.status().map(|s| s.as_str().to_string()))
        .unwrap_or_default();
    OrgAccount {
        id: a.id().unwrap_or_default().to_string(),
        name: a.name().map(str::to_string),
        status,
        arn: a.arn().map(str::to_string),
    }
}

/// The ids of every account under `parent` (an organizational unit or the
/// root), in its units at every depth.
pub(super) async fn accounts_under(
    client: &Client,
    parent: &str,
    calls: &mut Calls,
) -> Result<BTreeSet<String>, Unread> {
    let mut out = BTreeSet::new();
    let mut todo = vec![parent.to_string()];
    let mut seen = BTreeSet::new();
    while let Some(unit) = todo.pop() {
        if !seen.insert(unit.clone()) {
            continue;
        }
        let section = format!("the accounts of organizational unit {unit}");
        let ids = listing(
            &section,
            "organizations:ListAccountsForParent",
            calls,
            |token| {
                let unit = unit.clone();
                async move {
                    let out = client
                        .list_accounts_for_parent()
                        .parent_id(unit)
                        .set_next_token(token)
                        .send()
                        .await?;
                    let ids = out.accounts().iter().filter_map(|a| a.id());
                    Ok(page(ids, out.next_token()))
                }
            },
        )
        .await?;
        out.extend(ids);
        let section = format!("the organizational units under {unit}");
        let units = listing(
            &section,
            "organizations:ListOrganizationalUnitsForParent",
            calls,
            |token| {
                let unit = unit.clone();
                async move {
                    let out = client
                        .list_organizational_units_for_parent()
                        .parent_id(unit)
                        .set_next_token(token)
                        .send()
                        .await?;
                    let ids = out.organizational_units().iter().filter_map(|u| u.id());
                    Ok(page(ids, out.next_token()))
                }
            },
        )
        .await?;
        todo.extend(units);
    }
    Ok(out)
}

/// A page of ids, with the token of the next one.
fn page<'a>(ids: impl Iterator<Item = &'a str>, token: Option<&str>) -> Page<String> {
    Page {
        items: ids.map(str::to_string).collect(),
        truncated: token.is_some(),
        marker: token.map(str::to_string),
    }
}

/// Every page of one listing of ids, its calls counted under `action`.
async fn listing<E, R, F, Fut>(
    section: &str,
    action: &'static str,
    calls: &mut Calls,
    page: F,
) -> Result<Vec<String>, Unread>
where
    E: aws_sdk_organizations::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<
        Output = Result<Page<String>, aws_sdk_organizations::error::SdkError<E, R>>,
    >,
{
    let (result, n) = all_pages_of("Organizations", BOUND, section, action, MAX_PAGES, page).await;
    *calls.entry(action).or_default() += n;
    result.map_err(|s| s.unread)
}
