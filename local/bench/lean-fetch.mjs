// A small `fetch` for the load-generating supabase-js clients of the benchmarks.
//
// Why: the benchmarks run their clients on the same two cores as the database and the
// gateway. Node's built-in fetch (undici, WHATWG streams written in JavaScript) costs the
// load generator ~3 ms of CPU per queue request (measured with --cpu-prof: 45% of the client
// process in undici, 16% in WHATWG stream plumbing), CPU taken from the server being
// measured. A browser's fetch is native code. This one sends the same HTTP/1.1 request on
// a keep-alive node:http agent and hands supabase-js the whole body; supabase-js still
// builds the request, sends the JWT and parses the JSON response exactly as it does with
// any fetch (its documented `global.fetch` option). Set BENCH_UNDICI_FETCH=1 to measure
// with Node's fetch instead.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** A Response-shaped object with the parts supabase-js reads (ok, status, headers, text/json). */
class BufferedResponse {
  /** @param {import('node:http').IncomingMessage} res @param {Buffer} body */
  constructor(res, body) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) this.headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    this.url = '';
    this.redirected = false;
    this.type = 'basic';
    this.bodyUsed = false;
    this._body = body;
  }
  async text() { this.bodyUsed = true; return this._body.toString('utf8'); }
  async json() { return JSON.parse(await this.text()); }
  async arrayBuffer() { this.bodyUsed = true; return this._body.buffer.slice(this._body.byteOffset, this._body.byteOffset + this._body.byteLength); }
  async blob() { return new Blob([/** @type {BlobPart} */ (/** @type {unknown} */ (this._body))]); }
  clone() {
    const res = /** @type {import('node:http').IncomingMessage} */ (/** @type {unknown} */ ({ statusCode: this.status, statusMessage: this.statusText, headers: Object.fromEntries(this.headers) }));
    return new BufferedResponse(res, this._body);
  }
}

/**
 * @param {string | URL | Request} input
 * @param {RequestInit} [init]
 */
export function leanFetch(input, init = {}) {
  const url = typeof input === 'string' || input instanceof URL ? new URL(input) : new URL(input.url);
  /** @type {Record<string, string>} */
  const headers = {};
  new Headers(init.headers ?? {}).forEach((value, name) => { headers[name] = value; });
  const body = init.body == null ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(/** @type {ArrayBuffer} */ (init.body)) // the benchmarks send text or bytes;
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve(new BufferedResponse(res, Buffer.concat(chunks))));
      res.on('error', reject);
    });
    req.on('error', reject);
    init.signal?.addEventListener('abort', () => req.destroy(new DOMException('The operation was aborted.', 'AbortError')), { once: true });
    req.end(body);
  });
}

/** The fetch the benchmark clients use: the lean one unless BENCH_UNDICI_FETCH=1. */
export const benchFetch = process.env.BENCH_UNDICI_FETCH === '1' ? globalThis.fetch : leanFetch;
export const benchFetchName = process.env.BENCH_UNDICI_FETCH === '1' ? 'Node fetch (undici)' : 'lean node:http fetch';
