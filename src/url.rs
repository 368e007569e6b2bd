//! Escaping for URLs: query values (label selectors, `continue` tokens, PromQL).

/// Percent-encodes a query value (everything but unreserved characters).
///
/// ```
/// assert_eq!(flux_shard_metrics::url::query_escape("app=a b"), "app%3Da%20b");
/// ```
pub fn query_escape(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}
