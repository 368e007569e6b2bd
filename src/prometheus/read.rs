//! One read of the window: the four queries at once, their answers by pod.

use futures::future::join4;

use super::{pod_exposition, PodWindows};
use crate::json::parse_object;
use crate::kube::{Permission, Status};
use crate::options::PrometheusOptions;
use crate::problem::{Problem, ProblemKind};
use crate::promql::{
    query_path, range_query_path, read_answer, read_range_answer, Location, Queries, RangeSeries,
    Series,
};
use crate::transport::{failure, send, Accept, FetchError, Response, Transport};

/// What Prometheus said about a namespace's pods over the window.
#[derive(Debug, Clone, Default)]
pub struct WindowRead {
    /// By pod name (every pod with a series, gone ones included).
    pub pods: PodWindows,
    /// Why there are no numbers, when Prometheus failed or has no series: every running pod gets it.
    pub problem: Option<Problem>,
    /// Queries that failed while the counts stood (durations, gauges, rate), for a person.
    pub warnings: Vec<String>,
    /// The queries sent.
    pub queries: Vec<String>,
    /// Where they went (the first query's URL without its query string).
    pub url: String,
}

async fn query<T: Transport>(
    transport: &T,
    location: &Location,
    q: &str,
    time: f64,
) -> Result<Vec<Series>, Problem> {
    let (path, permission) = query_path(location, q, time);
    let (response, url) = ask(transport, &path).await?;
    read_answer(response.status, &response.body, &url)
        .map_err(|p| not_prometheus(p, &response, &url, permission))
}

/// A range query of `q` over `[start, end]` every `step` seconds.
pub(crate) async fn query_range<T: Transport>(
    transport: &T,
    location: &Location,
    q: &str,
    (start, end, step): (f64, f64, f64),
) -> Result<Vec<RangeSeries>, Problem> {
    let (path, permission) = range_query_path(location, q, start, end, step);
    let (response, url) = ask(transport, &path).await?;
    read_range_answer(response.status, &response.body, &url)
        .map_err(|p| not_prometheus(p, &response, &url, permission))
}

/// GETs `path`: the response (any status: Prometheus explains its errors in JSON) and its URL.
async fn ask<T: Transport>(transport: &T, path: &str) -> Result<(Response, String), Problem> {
    let url = transport.url(path);
    let response = send(transport, path, Accept::Json)
        .await
        .map_err(|e| Problem::from(failure(url.clone(), e)))?;
    Ok((response, url))
}

/// `problem` (an answer that could not be read), or, when the status says it was not Prometheus
/// answering, what the API server (or a proxy) said: it refused or could not reach it.
fn not_prometheus(
    problem: Problem,
    response: &Response,
    url: &str,
    permission: Option<Permission>,
) -> Problem {
    if problem.kind != ProblemKind::BadResponse || (200..300).contains(&response.status) {
        return problem;
    }
    let message = match parse_object::<Status>(&response.body) {
        Ok(status) if !status.message.is_empty() => status.message,
        _ => response.body.trim().chars().take(200).collect(),
    };
    match permission {
        Some(permission) => Problem::from(FetchError::Http {
            url: url.to_string(),
            status: response.status,
            message,
            permission: Box::new(permission),
        }),
        None => {
            let kind = match response.status {
                401 => ProblemKind::Unauthorized,
                403 => ProblemKind::Forbidden,
                404 => ProblemKind::NotFound,
                _ => ProblemKind::HttpError,
            };
            let mut p = Problem::new(
                kind,
                format!(
                    "HTTP {} from Prometheus at {url}: {message}",
                    response.status
                ),
            );
            p.url = Some(url.to_string());
            p.http_status = Some(response.status);
            p
        }
    }
}

/// Reads the counts of `namespace`'s pods over the window from Prometheus at
/// `time` (seconds since the epoch), through `transport` (the Kubernetes API's
/// for a Service location, one to the URL otherwise). Never fails as a whole:
/// a failure is [`WindowRead::problem`].
pub async fn read_window<T: Transport>(
    transport: &T,
    options: &PrometheusOptions,
    namespace: &str,
    time: f64,
) -> WindowRead {
    let queries = Queries::new(
        namespace,
        &options.labels,
        options.cluster.as_deref(),
        &options.window,
    );
    let location = &options.location;
    let url = transport.url(&query_path(location, "", time).0);
    let url = url.split('?').next().unwrap_or_default().to_string();
    let (reconciles, durations, gauges, rate) = join4(
        query(transport, location, &queries.reconciles, time),
        query(transport, location, &queries.durations, time),
        query(transport, location, &queries.gauges, time),
        query(transport, location, &queries.rate, time),
    )
    .await;
    let mut read = WindowRead {
        queries: queries.all().map(str::to_string).to_vec(),
        url,
        ..WindowRead::default()
    };
    let reconciles = match reconciles {
        Ok(series) => series,
        Err(problem) => {
            read.problem = Some(problem);
            return read;
        }
    };
    // The other answers add detail; without them the counts still stand, and a warning says what is missing.
    let mut detail = |what: &str, answer: Result<Vec<Series>, Problem>| {
        answer.unwrap_or_else(|p| {
            read.warnings
                .push(format!("Prometheus: {what} are missing: {}", p.message));
            Vec::new()
        })
    };
    let (durations, gauges, rate) = (
        detail("the reconcile durations", durations),
        detail("the work queue, workers and leader", gauges),
        detail("the rates", rate),
    );
    read.pods = pod_exposition(&reconciles, &durations, &gauges, &rate, &options.labels);
    if !reconciles
        .iter()
        .any(|s| s.label(&options.labels.pod).is_some())
    {
        let cluster = options
            .cluster
            .as_ref()
            .map(|c| format!(" and {}=\"{c}\"", options.labels.cluster))
            .unwrap_or_default();
        let mut p = Problem::new(
            ProblemKind::NoSeries,
            format!(
                "no series for controller_runtime_reconcile_total with {}=\"{namespace}\"{cluster} and a {} label in the last {}: is Flux scraped by this Prometheus, with these label names?",
                options.labels.namespace, options.labels.pod, options.window.text
            ),
        );
        p.url = Some(read.url.clone());
        read.problem = Some(p);
    }
    read
}
