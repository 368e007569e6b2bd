// A loopback server for the browser tests that load the package's build: `/dist/*.js` and
// `/pkg/*.js|.wasm` from the repository, and the test's own `pages` (path -> [content type, body or
// (origin) => body]); everything else is 404. Resolves to its origin and close().
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

export async function serveBuild(pages) {
  let origin;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const page = pages[path];
    if (page) {
      const [type, body] = page;
      return res.writeHead(200, { 'content-type': type }).end(typeof body === 'function' ? body(origin) : body);
    }
    const m = /^\/(dist|pkg)\/[\w./-]+(\.js|\.wasm)$/.exec(path);
    if (m && !path.includes('..')) {
      try {
        return res.writeHead(200, { 'content-type': TYPES[m[2]] }).end(await readFile(root + path.slice(1)));
      } catch {
        // fall through to 404
      }
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
