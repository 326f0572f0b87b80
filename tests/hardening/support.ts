// Raw HTTP for the hardening tests: requests a browser or supabase-js would never send
// (a bare `%` in the path, a body larger than it says), so node:http, not fetch.
import http from 'node:http';
import { SignJWT } from 'jose';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with exactly this path, headers and body; resolves with the answer. */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string | number>; body?: Buffer | string | (() => AsyncIterable<Buffer>) },
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    // A server that answers before the upload ends may close the socket under it: the
    // answer already received is what counts.
    req.on('error', reject);
    const { body } = options;
    if (typeof body === 'function') {
      (async () => {
        try {
          for await (const chunk of body()) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
          req.end();
        } catch { /* the server hung up: its answer decides */ }
      })();
    } else {
      req.end(body);
    }
  });
}

/** A token signed with the stack's secret, carrying whatever claims an attacker chooses. */
export function forgedToken(secret: string, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}
