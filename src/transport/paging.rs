//! Lists read page by page (`limit`, `continue`), as kubectl reads them.

use super::{get_json, FetchError, Transport};
use crate::json::FromJson;
use crate::kube::{List, Permission};
use crate::url::query_escape;

/// Objects per page of a list, as kubectl asks.
pub const PAGE_SIZE: u32 = 500;

/// Lists every object at `path` (a list path without a query), page by page:
/// `limit` on each request and the `continue` token of each answer, until the
/// last page. A `continue` token that has expired (HTTP 410) starts the list
/// over, once.
pub async fn list_all<T: Transport, D: FromJson>(
    transport: &T,
    path: &str,
    permission: &Permission,
) -> Result<Vec<D>, FetchError> {
    list_selected(transport, path, None, permission).await
}

/// [`list_all`] of the objects whose labels match `selector` (a label selector).
pub async fn list_selected<T: Transport, D: FromJson>(
    transport: &T,
    path: &str,
    selector: Option<&str>,
    permission: &Permission,
) -> Result<Vec<D>, FetchError> {
    let query = match selector {
        Some(s) => format!("labelSelector={}&limit={PAGE_SIZE}", query_escape(s)),
        None => format!("limit={PAGE_SIZE}"),
    };
    let mut restarted = false;
    'list: loop {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page_path = match &token {
                None => format!("{path}?{query}"),
                Some(t) => format!("{path}?{query}&continue={}", query_escape(t)),
            };
            let page: List<D> = match get_json(transport, &page_path, permission).await {
                Err(FetchError::Http { status: 410, .. }) if token.is_some() && !restarted => {
                    restarted = true;
                    continue 'list;
                }
                other => other?,
            };
            items.extend(page.items);
            match page.continue_token {
                Some(t) => token = Some(t),
                None => return Ok(items),
            }
        }
    }
}
