//! Lists read page by page (`limit`, `continue`), as kubectl reads them.

use super::{get, json_of, Accept, FetchError, Transport};
use crate::json::{FromJson, Node};
use crate::kube::Permission;
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
    Ok(list_at(transport, path, selector, permission).await?.0)
}

/// [`list_selected`], with the list's `resourceVersion` (where a watch of it starts).
pub async fn list_at<T: Transport, D: FromJson>(
    transport: &T,
    path: &str,
    selector: Option<&str>,
    permission: &Permission,
) -> Result<(Vec<D>, String), FetchError> {
    let mut items = Vec::new();
    let resource_version = list_pages(
        transport,
        path,
        selector,
        permission,
        &mut |page| match page {
            None => items.clear(),
            Some(page) => items.extend(page.list::<D>("items")),
        },
    )
    .await?;
    Ok((items, resource_version))
}

/// Reads the pages of the list at `path` and hands each to `on_page` (`None`: the list starts
/// over, drop what was handed); returns the list's `resourceVersion`. Not generic over what is
/// read from the pages, so that the paging is compiled once.
async fn list_pages<T: Transport>(
    transport: &T,
    path: &str,
    selector: Option<&str>,
    permission: &Permission,
    on_page: &mut dyn FnMut(Option<Node<'_>>),
) -> Result<String, FetchError> {
    let query = match selector {
        Some(s) => format!("labelSelector={}&limit={PAGE_SIZE}", query_escape(s)),
        None => format!("limit={PAGE_SIZE}"),
    };
    let mut restarted = false;
    let mut token: Option<String> = None;
    loop {
        let page_path = match &token {
            None => format!("{path}?{query}"),
            Some(t) => format!("{path}?{query}&continue={}", query_escape(t)),
        };
        let response = match get(transport, &page_path, Accept::Json, permission).await {
            Err(FetchError::Http { status: 410, .. }) if token.is_some() && !restarted => {
                restarted = true;
                token = None;
                on_page(None);
                continue;
            }
            other => other?,
        };
        // Read where it lies: a page's strings borrow from its body, and nothing is kept of it but
        // what `on_page` reads.
        let page = json_of(transport, &page_path, &response)?;
        let page = Node::new(&page);
        on_page(Some(page));
        let metadata = page.child("metadata");
        let next = metadata.string("continue");
        if next.is_empty() {
            return Ok(metadata.string("resourceVersion"));
        }
        token = Some(next);
    }
}
