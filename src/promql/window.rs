//! A PromQL duration (`5m`, `1h30m`, `7d`), checked as Prometheus checks it.

/// The window of `increase()`: its PromQL text and its length.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// As written in the query: `1h`.
    pub text: String,
    /// Its length in seconds.
    pub seconds: f64,
}

const UNITS: [(&str, f64); 7] = [
    ("y", 365.0 * 86_400.0),
    ("w", 7.0 * 86_400.0),
    ("d", 86_400.0),
    ("h", 3_600.0),
    ("m", 60.0),
    ("s", 1.0),
    ("ms", 0.001),
];

impl Window {
    /// Reads a PromQL duration: whole numbers with units `y w d h m s ms`, each
    /// at most once and largest first (`1h30m`, not `30m1h`); longer than zero.
    ///
    /// ```
    /// use flux_shard_metrics::promql::Window;
    /// assert_eq!(Window::parse("1h30m").unwrap().seconds, 5400.0);
    /// assert_eq!(Window::parse("90s").unwrap().seconds, 90.0);
    /// assert_eq!(Window::parse("30m1h").unwrap_err(), "units must go from the largest to the smallest, each once (y, w, d, h, m, s, ms)");
    /// assert!(Window::parse("1.5h").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Window, String> {
        if text.is_empty() {
            return Err("is empty".into());
        }
        let bytes = text.as_bytes();
        let (mut i, mut seconds, mut last_unit) = (0, 0.0, None::<usize>);
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if start == i {
                return Err("must be whole numbers with units, such as 5m, 1h or 7d".into());
            }
            let number = text[start..i]
                .parse::<u64>()
                .map_err(|_| "number too large")? as f64;
            // `ms` before `m`: the longest unit that matches.
            let rest = &text[i..];
            let Some(unit) = UNITS
                .iter()
                .enumerate()
                .filter(|(_, (u, _))| rest.starts_with(u))
                .max_by_key(|(_, (u, _))| u.len())
                .map(|(n, _)| n)
            else {
                return Err("must be whole numbers with units, such as 5m, 1h or 7d".into());
            };
            if last_unit.is_some_and(|l| unit <= l) {
                return Err(
                    "units must go from the largest to the smallest, each once (y, w, d, h, m, s, ms)"
                        .into(),
                );
            }
            last_unit = Some(unit);
            seconds += number * UNITS[unit].1;
            i += UNITS[unit].0.len();
        }
        if seconds <= 0.0 {
            return Err("must be longer than zero".into());
        }
        Ok(Window {
            text: text.to_string(),
            seconds,
        })
    }

    /// The window of the rate column: the last 5 minutes, or the whole window when shorter.
    pub fn for_rate(&self) -> Window {
        if self.seconds <= 300.0 {
            self.clone()
        } else {
            Window {
                text: "5m".into(),
                seconds: 300.0,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_prometheus_reads_them() {
        for (text, seconds) in [
            ("5m", 300.0),
            ("1h", 3600.0),
            ("24h", 86400.0),
            ("7d", 604800.0),
            ("1w", 604800.0),
            ("1y", 31536000.0),
            ("1d12h", 129600.0),
            ("500ms", 0.5),
            ("1m500ms", 60.5),
        ] {
            assert_eq!(Window::parse(text).unwrap().seconds, seconds, "{text}");
        }
        for bad in [
            "", "h", "5", "5 m", "-5m", "1.5h", "5M", "1h1h", "0s", "5mm", "1hx",
        ] {
            assert!(Window::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_rate_looks_at_the_last_five_minutes() {
        assert_eq!(Window::parse("1h").unwrap().for_rate().text, "5m");
        assert_eq!(Window::parse("2m").unwrap().for_rate().text, "2m");
    }
}
