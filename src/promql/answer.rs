//! An answer of the Prometheus HTTP API (`/api/v1/query`), as series or as a problem.

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
    let data = &json["data"];
    if data["resultType"].as_str() != Some("vector") {
        return Err(bad(
            url,
            format!(
                "resultType {} where an instant vector was asked for",
                data["resultType"]
            ),
        ));
    }
    let Some(result) = data["result"].as_array() else {
        return Err(bad(url, "no data.result array".into()));
    };
    let mut series = Vec::with_capacity(result.len());
    for (i, item) in result.iter().enumerate() {
        let labels = match item.get("metric") {
            Some(Value::Object(m)) => m
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect(),
            _ => return Err(bad(url, format!("series {i} has no metric object"))),
        };
        let value = item
            .get("value")
            .and_then(|v| v.get(1))
            .and_then(Value::as_str)
            .and_then(parse_value)
            .ok_or_else(|| bad(url, format!("series {i} has no [time, \"value\"] pair")))?;
        series.push(Series { labels, value });
    }
    Ok(series)
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
