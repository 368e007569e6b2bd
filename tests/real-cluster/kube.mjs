// @ts-check
// A small Kubernetes API client for the real-cluster harness (the node agent and the tests' set-up):
// HTTPS with the cluster's CA and a bearer token, JSON in and out, and watches read line by line.
// The product never uses this: it reads the cluster through its own core.
import { request as httpsRequest, Agent } from 'node:https';
import { readFileSync } from 'node:fs';

/**
 * @typedef {{ server: string, ca: string, token: string }} Credentials
 * @typedef {{ status: number, body: any, text: string }} Answer
 */

/** Reads `server`, the CA and the token of a kubeconfig written by scripts/real-cluster.sh. */
export function credentialsOf(kubeconfigPath) {
  const text = readFileSync(kubeconfigPath, 'utf8');
  const field = (name) => {
    const m = new RegExp(`^\\s*${name}:\\s*(\\S+)\\s*$`, 'm').exec(text);
    if (!m) throw new Error(`${kubeconfigPath}: no ${name}`);
    return m[1];
  };
  return {
    server: field('server'),
    ca: Buffer.from(field('certificate-authority-data'), 'base64').toString(),
    token: field('token'),
  };
}

export class Kube {
  /** @param {Credentials} credentials */
  constructor(credentials) {
    this.credentials = credentials;
    this.agent = new Agent({ ca: credentials.ca, keepAlive: true, maxSockets: 16 });
  }

  /**
   * One request. Resolves to the status and the parsed body (or the text when it is not JSON).
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @param {string} [contentType]
   * @returns {Promise<Answer>}
   */
  request(method, path, body, contentType = 'application/json') {
    const url = new URL(path, this.credentials.server);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.credentials.token}`,
            Accept: 'application/json',
            ...(payload === undefined ? {} : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            let parsed = text;
            try {
              parsed = JSON.parse(text);
            } catch {}
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** GET, failing on anything but 200. */
  async get(path) {
    const a = await this.request('GET', path);
    if (a.status !== 200) throw new Error(`GET ${path}: HTTP ${a.status}: ${a.text.slice(0, 300)}`);
    return a.body;
  }

  /** Sends `method` with `body`, failing unless the status is one of `ok`. */
  async send(method, path, body, { ok = [200, 201], contentType } = /** @type {{ok?: number[], contentType?: string}} */ ({})) {
    const a = await this.request(method, path, body, contentType);
    if (!ok.includes(a.status)) throw new Error(`${method} ${path}: HTTP ${a.status}: ${a.text.slice(0, 500)}`);
    return a.body;
  }

  /** A JSON merge patch. */
  mergePatch(path, patch, ok = [200]) {
    return this.send('PATCH', path, patch, { ok, contentType: 'application/merge-patch+json' });
  }

  /**
   * Watches `path` (a list path) from `resourceVersion`, calling `onEvent({type, object})` for each
   * event, until the server closes the stream (resolves with the last resourceVersion seen) or
   * `signal` aborts. A 410 Gone resolves with `undefined` (list again).
   * @param {string} path
   * @param {string} resourceVersion
   * @param {(e: {type: string, object: any}) => void} onEvent
   * @param {AbortSignal} [signal]
   * @returns {Promise<string | undefined>}
   */
  watch(path, resourceVersion, onEvent, signal) {
    const sep = path.includes('?') ? '&' : '?';
    const url = new URL(`${path}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${resourceVersion}&timeoutSeconds=300`, this.credentials.server);
    return new Promise((resolve, reject) => {
      let last = resourceVersion;
      const req = httpsRequest(url, { agent: this.agent, signal, headers: { Authorization: `Bearer ${this.credentials.token}`, Accept: 'application/json' } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          if (res.statusCode === 410) resolve(undefined);
          else reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          buffer += chunk;
          let nl;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (!line.trim()) continue;
            const event = JSON.parse(line);
            if (event.type === 'ERROR') {
              if (event.object?.code === 410) {
                res.destroy();
                resolve(undefined);
                return;
              }
              continue;
            }
            last = event.object?.metadata?.resourceVersion ?? last;
            if (event.type !== 'BOOKMARK') onEvent(event);
          }
        });
        res.on('end', () => resolve(last));
        res.on('error', () => resolve(last));
      });
      req.on('error', (e) => (signal?.aborted ? resolve(last) : reject(e)));
      req.end();
    });
  }

  /**
   * Lists `path` and then watches it for ever (until `signal` aborts), relisting on 410 and
   * reconnecting when the stream ends: an informer in a few lines. `onList(items)` gets every
   * full list, `onEvent` every change after it.
   */
  async inform(path, onList, onEvent, signal) {
    while (!signal?.aborted) {
      let list;
      try {
        list = await this.get(path);
      } catch (e) {
        if (signal?.aborted) return;
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      onList(list.items);
      let rv = list.metadata.resourceVersion;
      while (rv && !signal?.aborted) {
        try {
          rv = await this.watch(path, rv, onEvent, signal);
        } catch {
          if (signal?.aborted) return;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    }
  }
}
