// @ts-check
// Kubernetes label selectors as the API server reads `?labelSelector=`:
// equality (`a=b`, `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`).

/** Splits on commas that are not inside parentheses. */
function split(selector) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_./]*[a-z0-9A-Z])?)$/;

/** Parses a selector into a predicate over a labels object; throws with the API server's wording. */
export function parseSelector(selector) {
  const requirements = split(selector ?? '').map((part) => {
    let m;
    if ((m = /^(\S+?)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part))) {
      const [, key, op, list] = m;
      if (!KEY.test(key)) throw new Error(`unable to parse requirement: invalid label key "${key}"`);
      const values = list.split(',').map((v) => v.trim());
      return op === 'in' ? (l) => key in l && values.includes(l[key]) : (l) => !(key in l) || !values.includes(l[key]);
    }
    if ((m = /^(\S+?)\s*(==|=|!=)\s*(\S*)$/.exec(part))) {
      const [, key, op, value] = m;
      if (!KEY.test(key)) throw new Error(`unable to parse requirement: invalid label key "${key}"`);
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    if ((m = /^!(\S+)$/.exec(part))) {
      const key = m[1];
      if (!KEY.test(key)) throw new Error(`unable to parse requirement: invalid label key "${key}"`);
      return (l) => !(key in l);
    }
    if (KEY.test(part)) return (l) => part in l;
    throw new Error(`unable to parse requirement: found '${part}', expected: !, identifier, or 'end of string'`);
  });
  return (labels = {}) => requirements.every((r) => r(labels));
}
