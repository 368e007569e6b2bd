//! An answer of the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`), as series or
//! as a problem.

use serde_json::Value;

use crate::exposition::parse_value;
use crate::problem::{Problem, ProblemKind};

/// One series of an instant vector: its labels and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its labels, `__name__` included when the query kept it.
    pub labels: Vec<(String, String)>,
    /// Its value (`NaN`, `±Inf` as Prometheus writes them).
    pub value: f64,
}

impl Series {
    /// The value of label `name`, if it has it.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One series of a range vector (`query_range`): its labels and its values, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeSeries {
    /// Its labels.
    pub labels: Vec<(String, String)>,
    /// `(time in seconds since the epoch, value)`, one per step where it had one.
    pub values: Vec<(f64, f64)>,
}

impl RangeSeries {
    /// The value of label `name`, if it has it.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn bad(url: &str, what: String) -> Problem {
    let mut p = Problem::new(
        ProblemKind::BadResponse,
        format!("unexpected response from Prometheus at {url}: {what}"),
    );
    p.url = Some(url.to_string());
    p
}

/// Reads the body of a query's answer (any HTTP status: Prometheus explains its
/// 4xx and 5xx in the same JSON) into an instant vector.
///
/// ```
/// use flux_shard_metrics::promql::read_answer;
/// let body = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"pod":"p-1"},"value":[1700000000,"12.5"]}]}}"#;
/// let series = read_answer(200, body, "http://p:9090/api/v1/query").unwrap();
/// assert_eq!((series[0].label("pod"), series[0].value), (Some("p-1"), 12.5));
/// let refused = r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:7: parse error: unexpected \"}\""}"#;
/// let p = read_answer(400, refused, "http://p:9090/api/v1/query").unwrap_err();
/// assert_eq!(p.message, "Prometheus refused the query (bad_data, HTTP 400): invalid parameter \"query\": 1:7: parse error: unexpected \"}\"");
/// ```
pub fn read_answer(status: u16, body: &str, url: &str) -> Result<Vec<Series>, Problem> {
    let result = result_of(status, body, url, "vector", "an instant vector")?;
    let mut series = Vec::with_capacity(result.len());
    for (i, item) in result.iter().enumerate() {
        let labels = metric(item, i, url)?;
        let value = item
            .get("value")
            .and_then(pair)
            .map(|(_, v)| v)
            .ok_or_else(|| bad(url, format!("series {i} has no [time, \"value\"] pair")))?;
        series.push(Series { labels, value });
    }
    Ok(series)
}

/// Reads the body of a range query's answer into a range vector.
///
/// ```
/// use flux_shard_metrics::promql::read_range_answer;
/// let body = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"p-1"},"values":[[1700000000,"1"],[1700000060,"2.5"]]}]}}"#;
/// let series = read_range_answer(200, body, "http://p:9090/api/v1/query_range").unwrap();
/// assert_eq!(series[0].values, [(1700000000.0, 1.0), (1700000060.0, 2.5)]);
/// ```
pub fn read_range_answer(status: u16, body: &str, url: &str) -> Result<Vec<RangeSeries>, Problem> {
    let result = result_of(status, body, url, "matrix", "a range vector")?;
    let mut series = Vec::with_capacity(result.len());
    for (i, item) in result.iter().enumerate() {
        let labels = metric(item, i, url)?;
        let values = item
            .get("values")
            .and_then(Value::as_array)
            .and_then(|vs| vs.iter().map(pair).collect::<Option<Vec<_>>>())
            .ok_or_else(|| {
                bad(
                    url,
                    format!("series {i} has no [[time, \"value\"], …] values"),
                )
            })?;
        series.push(RangeSeries { labels, values });
    }
    Ok(series)
}

/// A `[time, "value"]` pair.
fn pair(v: &Value) -> Option<(f64, f64)> {
    Some((v.get(0)?.as_f64()?, parse_value(v.get(1)?.as_str()?)?))
}

/// A series' `metric` object as labels.
fn metric(item: &Value, i: usize, url: &str) -> Result<Vec<(String, String)>, Problem> {
    match item.get("metric") {
        Some(Value::Object(m)) => Ok(m
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
            .collect()),
        _ => Err(bad(url, format!("series {i} has no metric object"))),
    }
}

/// `data.result` of a successful answer of `result_type`; the problem otherwise.
fn result_of(
    status: u16,
    body: &str,
    url: &str,
    result_type: &str,
    asked: &str,
) -> Result<Vec<Value>, Problem> {
    let json: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            let start: String = body.trim_start().chars().take(40).collect();
            let what = if start.starts_with('<') {
                format!("an HTML page (HTTP {status}, it starts with {start:?}), not Prometheus' JSON: does the URL point at Prometheus?")
            } else {
                format!("not JSON (HTTP {status}): {e}")
            };
            return Err(bad(url, what));
        }
    };
    match json.get("status").and_then(Value::as_str) {
        Some("success") => {}
        Some("error") => {
            let kind = json
                .get("errorType")
                .and_then(Value::as_str)
                .unwrap_or("error");
            let said = json.get("error").and_then(Value::as_str).unwrap_or("");
            let mut p = Problem::new(
                ProblemKind::BadQuery,
                format!("Prometheus refused the query ({kind}, HTTP {status}): {said}"),
            );
            p.url = Some(url.to_string());
            p.http_status = Some(status);
            return Err(p);
        }
        _ => {
            return Err(bad(
                url,
                format!("HTTP {status} without \"status\": \"success\" or \"error\""),
            ))
        }
    }
    let mut json = json;
    let data = &mut json["data"];
    if data["resultType"].as_str() != Some(result_type) {
        return Err(bad(
            url,
            format!(
                "resultType {} where {asked} was asked for",
                data["resultType"]
            ),
        ));
    }
    match data["result"].take() {
        Value::Array(result) => Ok(result),
        _ => Err(bad(url, "no data.result array".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_that_are_not_vectors() {
        let url = "http://p/api/v1/query";
        let html = read_answer(200, "<!doctype html><html>", url).unwrap_err();
        assert_eq!(html.kind, ProblemKind::BadResponse);
        assert!(
            html.message.contains("an HTML page (HTTP 200"),
            "{}",
            html.message
        );
        let matrix = r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
        assert!(read_answer(200, matrix, url)
            .unwrap_err()
            .message
            .contains("resultType \"matrix\""));
        let odd = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}}"#;
        assert!(read_answer(200, odd, url)
            .unwrap_err()
            .message
            .ends_with("series 0 has no [time, \"value\"] pair"));
        let timeout = r#"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#;
        let p = read_answer(503, timeout, url).unwrap_err();
        assert_eq!((p.kind, p.http_status), (ProblemKind::BadQuery, Some(503)));
        let special = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"+Inf"]},{"metric":{},"value":[1,"NaN"]}]}}"#;
        let s = read_answer(200, special, url).unwrap();
        assert!(s[0].value.is_infinite() && s[1].value.is_nan());
    }
}
