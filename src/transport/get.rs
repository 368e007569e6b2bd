//! GETs whose answer is read: an error status becomes [`FetchError::Http`]
//! with the API server's `Status` message, a body as a JSON object (an HTML
//! page where JSON was due is called one).

use super::{failure, send, Accept, FetchError, Response, Transport};

use crate::json::{parse_object, parse_object_value, FromJson, Json, Node};
use crate::kube::{Permission, Status};

/// GETs `path`; an error status becomes [`FetchError::Http`] with the `Status` message.
pub async fn get<T: Transport>(
    transport: &T,
    path: &str,
    accept: Accept,
    permission: &Permission,
) -> Result<Response, FetchError> {
    let url = || transport.url(path);
    let response = send(transport, path, accept)
        .await
        .map_err(|e| failure(url(), e))?;
    if (200..300).contains(&response.status) {
        return Ok(response);
    }
    let message = match parse_object::<Status>(&response.body) {
        Ok(status) if !status.message.is_empty() => status.message,
        _ => response.body.trim().chars().take(200).collect(),
    };
    Err(FetchError::Http {
        url: url(),
        status: response.status,
        message,
        permission: Box::new(permission.clone()),
    })
}

/// GETs `path` asking for `accept` and reads the JSON object in the body as `D`.
pub async fn get_json_as<T: Transport, D: FromJson>(
    transport: &T,
    path: &str,
    accept: Accept,
    permission: &Permission,
) -> Result<D, FetchError> {
    let response = get(transport, path, accept, permission).await?;
    let value = json_of(transport, path, &response)?;
    Ok(D::from_json(Node::new(&value)))
}

/// GETs `path` asking for `accept`: the JSON object in the body, not yet read (owning its strings).
pub async fn get_json_value<T: Transport>(
    transport: &T,
    path: &str,
    accept: Accept,
    permission: &Permission,
) -> Result<Json<'static>, FetchError> {
    let response = get(transport, path, accept, permission).await?;
    Ok(json_of(transport, path, &response)?.into_owned())
}

/// The JSON object in the body of the answer to `path`, borrowing from it; an HTML page is called one.
pub fn json_of<'r, T: Transport>(
    transport: &T,
    path: &str,
    response: &'r Response,
) -> Result<Json<'r>, FetchError> {
    parse_object_value(&response.body).map_err(|reason| FetchError::BadBody {
        url: transport.url(path),
        reason: match html_page(response) {
            Some(start) => format!("it is an HTML page, not JSON (it starts with {start:?}): is the server setting pointing at the Kubernetes API?"),
            None => reason,
        },
    })
}

/// The start of a body that is an HTML page (a login page, a proxy's error page).
fn html_page(response: &Response) -> Option<String> {
    let body = response.body.trim_start();
    let html = response.content_type.contains("html")
        || body
            .get(..15)
            .is_some_and(|s| s.eq_ignore_ascii_case("<!doctype html>"))
        || body
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("<html"));
    html.then(|| body.chars().take(40).collect())
}

/// GETs `path` and reads the JSON object in the body as `D`.
pub async fn get_json<T: Transport, D: FromJson>(
    transport: &T,
    path: &str,
    permission: &Permission,
) -> Result<D, FetchError> {
    get_json_as(transport, path, Accept::Json, permission).await
}
