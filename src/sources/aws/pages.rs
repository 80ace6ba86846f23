//! Pagination that cannot lie or loop: the SDK's paginators stop silently when
//! IAM repeats a marker, and follow a listing that never ends. Here a repeated
//! marker, a truncated page without a marker, a marker on a page that does not
//! say it is truncated, and more pages than an account's
//! IAM quotas allow are each an unread section, named with its call.

use super::fetch::unread;
use super::Unread;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use std::collections::HashSet;
use std::fmt;
use std::future::Future;

/// One page of a listing: its items, and the marker of the next page when IAM
/// says the listing is truncated.
pub(super) struct Page<T> {
    pub items: Vec<T>,
    pub truncated: bool,
    pub marker: Option<String>,
}

/// Why a listing stopped before its end.
pub(super) struct Stopped {
    pub unread: Unread,
    /// Whether IAM answered at all (an error code came back).
    pub reached: bool,
}

/// Every page of a listing. `page(marker)` fetches one; at most `max_pages`
/// are followed. Returns the items and the number of calls made.
pub(super) async fn all_pages<T, E, R, F, Fut>(
    section: &str,
    action: &'static str,
    max_pages: usize,
    page: F,
) -> (Result<Vec<T>, Stopped>, usize)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, SdkError<E, R>>>,
{
    let bound = "more than an account's IAM quotas allow";
    all_pages_of("IAM", bound, section, action, max_pages, page).await
}

/// [`all_pages`] for any service: `service` names who answered, `bound` why
/// more than `max_pages` pages make no sense.
pub(super) async fn all_pages_of<T, E, R, F, Fut>(
    service: &str,
    bound: &str,
    section: &str,
    action: &'static str,
    max_pages: usize,
    mut page: F,
) -> (Result<Vec<T>, Stopped>, usize)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, SdkError<E, R>>>,
{
    let mut items = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut marker: Option<String> = None;
    let stop = |reason: String| Stopped {
        unread: Unread {
            section: section.to_string(),
            action,
            reason,
        },
        reached: true,
    };
    for calls in 1..=max_pages {
        let p = match page(marker.take()).await {
            Ok(p) => p,
            Err(e) => {
                let reached = e.as_service_error().is_some();
                let unread = unread(section, action, &e);
                return (Err(Stopped { unread, reached }), calls);
            }
        };
        items.extend(p.items);
        if !p.truncated {
            // A next marker on a page that does not say more follow: the
            // listing may go on, and its end cannot be trusted.
            if let Some(m) = p.marker.filter(|m| !m.is_empty()) {
                return (
                    Err(stop(format!(
                        "a page gives the next marker `{}` but does not say that more follow",
                        short(&m)
                    ))),
                    calls,
                );
            }
            return (Ok(items), calls);
        }
        match p.marker.filter(|m| !m.is_empty()) {
            None => {
                return (
                    Err(stop(
                        "a page says more follow but gives no marker".to_string(),
                    )),
                    calls,
                )
            }
            Some(m) if !seen.insert(m.clone()) => {
                return (
                    Err(stop(format!(
                        "{service} returned the page marker `{}` twice: the listing loops",
                        short(&m)
                    ))),
                    calls,
                )
            }
            Some(m) => marker = Some(m),
        }
    }
    (
        Err(stop(format!("more than {max_pages} pages: {bound}"))),
        max_pages,
    )
}

fn short(marker: &str) -> String {
    if marker.chars().count() > 24 {
        format!("{}…", marker.chars().take(24).collect::<String>())
    } else {
        marker.to_string()
    }
}
