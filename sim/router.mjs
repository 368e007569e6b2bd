// @ts-check
// The simulated API server's router: a table of routes, each a method and a
// path pattern with its handler, tried in order; the first that matches
// answers. A pattern is matched segment by segment (empty segments are ignored,
// each is URL-decoded): a literal segment, `:name` for one segment, `*name` for
// all the rest (joined by `/`, possibly empty). A handler answers with
// `[status, body, contentType?]` (sent as JSON), or writes the response itself
// and returns nothing, or returns `NEXT` to let the following routes try.

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/**
 * A request as handlers see it.
 * @typedef {object} Request
 * @property {IncomingMessage} req
 * @property {ServerResponse} res
 * @property {URL} url
 * @property {Record<string, string>} params what the pattern's `:name` and `*name` matched
 */

/** @typedef {[status: number, body: unknown, contentType?: string]} Answer */

/** @typedef {(request: Request) => Answer | typeof NEXT | void | Promise<Answer | typeof NEXT | void>} Handler */

/**
 * @typedef {object} Route
 * @property {string} method `GET`, `OPTIONS`, … or `*` for any
 * @property {string} path the pattern
 * @property {Handler} handle
 */

/** What a handler returns to let the next route try. */
export const NEXT = Symbol('next');

/**
 * The parameters of `segments` by `pattern`, or `null` when it does not match.
 * @param {string} pattern
 * @param {string[]} segments
 * @returns {Record<string, string> | null}
 */
export function matchPath(pattern, segments) {
  const parts = pattern.split('/').filter(Boolean);
  /** @type {Record<string, string>} */
  const params = {};
  for (const [i, part] of parts.entries()) {
    if (part.startsWith('*')) {
      params[part.slice(1)] = segments.slice(i).join('/');
      return params;
    }
    const segment = segments[i];
    if (segment === undefined) return null;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return parts.length === segments.length ? params : null;
}

/**
 * Sends `body` as JSON (unless the response was already started).
 * @param {ServerResponse} res @param {number} code @param {unknown} body @param {string} [contentType]
 */
export function send(res, code, body, contentType = 'application/json') {
  const text = JSON.stringify(body);
  if (!res.headersSent) res.writeHead(code, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Answers `req` with the first route of `routes` that matches it and does not pass.
 * @param {readonly Route[]} routes @param {IncomingMessage} req @param {ServerResponse} res
 */
export async function dispatch(routes, req, res) {
  const url = new URL(req.url ?? '/', 'http://sim');
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  for (const route of routes) {
    if (route.method !== '*' && route.method !== req.method) continue;
    const params = matchPath(route.path, segments);
    if (params === null) continue;
    const answer = await route.handle({ req, res, url, params });
    if (answer === NEXT) continue;
    if (answer) send(res, ...answer);
    return;
  }
  throw new Error(`no route for ${req.method} ${url.pathname}`);
}
