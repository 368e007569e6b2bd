// @ts-check
// How a misbehaving pod answers through the pod proxy, on demand: a body that
// trickles or never ends, chunked and gzip bombs, resets before and during the
// body, a 429 with Retry-After. Used by the simulated cluster's `hostile`
// scenario and by the tests and benchmark that check deadlines and caps hold.
import { gzipSync } from 'node:zlib';

const TEXT = { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' };
const LINE = Buffer.from('controller_runtime_reconcile_total{controller="kustomization",result="success"} 1\n');
const MB = 1000 * 1000;

let bomb;
/** 200 MiB of metrics lines, gzipped once (about 0.6 MB). */
function gzipBomb() {
  bomb ??= gzipSync(Buffer.alloc(200 * 1024 * 1024, 'a 1\n'), { level: 9 });
  return bomb;
}

/** Writes `total` bytes of metrics lines (forever when Infinity), as fast as the client reads. */
function stream(req, res, total) {
  res.writeHead(200, TEXT);
  const chunk = Buffer.concat(Array.from({ length: Math.ceil(65536 / LINE.length) }, () => LINE));
  let sent = 0;
  let closed = false;
  req.on('close', () => (closed = true));
  res.on('close', () => (closed = true));
  const pump = () => {
    while (!closed && sent < total) {
      sent += chunk.length;
      if (!res.write(chunk)) return res.once('drain', pump);
    }
    if (!closed) res.end();
  };
  pump();
}

/** Answers a pod's /metrics as `mode` says; returns false for modes it does not know. */
export function hostile(mode, req, res, body, seen) {
  switch (mode) {
    case 'trickle': {
      // One byte a second, for ever: only the client's deadline ends it.
      res.writeHead(200, TEXT);
      res.write('# trickling\n');
      const timer = setInterval(() => res.write('#'), 1000);
      res.on('close', () => clearInterval(timer));
      return true;
    }
    case 'endless':
      stream(req, res, Infinity);
      return true;
    case 'chunked-bomb':
      stream(req, res, 200 * MB);
      return true;
    case 'gzip-bomb': {
      const gz = gzipBomb();
      res.writeHead(200, { ...TEXT, 'content-encoding': 'gzip', 'content-length': gz.length });
      res.end(gz);
      return true;
    }
    case 'reset':
      // The connection dies before any answer, every time.
      req.socket.destroy();
      return true;
    case 'reset-once':
      if (seen === 1) {
        req.socket.destroy();
        return true;
      }
      break;
    case 'reset-mid-body':
      // Headers and half of the body, then the connection dies.
      res.writeHead(200, { ...TEXT, 'content-length': Buffer.byteLength(body) });
      res.write(body.slice(0, body.length >> 1), () => req.socket.destroy());
      return true;
    case 'retry-after-once':
      if (seen === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'too many requests, please try again later', reason: 'TooManyRequests', code: 429 }));
        return true;
      }
      break;
    default:
      return false;
  }
  return false;
}
