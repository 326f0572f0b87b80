// @ts-check
// Small HTTP helpers shared by the gateway's routes.

export { MAX_JSON_DEPTH, jsonTooDeep } from '../../functions-shared/json-depth.js';

// Body caps per route, checked before anything is buffered: well above the largest request
// the product sends (an ingest batch of 500 events through the service role is ~300 kB), far
// below what would hurt the process (a 400 MB body once grew the gateway to 1.3 GB).
// Storage takes files: hosted's global object limit on the Free plan, 50 MB (docs/supabase-protocol.md §8);
// a bucket's own file_size_limit is checked below that.
export const BODY_LIMITS = { rest: 4 * 1024 * 1024, auth: 64 * 1024, functions: 8 * 1024 * 1024, storage: 50 * 1024 * 1024 };

// How long, and how much more, a refused upload is read and dropped before its connection is
// closed (nginx's lingering close): a client still sending gets to read the refusal
// instead of failing with EPIPE / ECONNRESET, and nobody holds a connection open forever.
const LINGER_MS = 3000;
const LINGER_BYTES = 16 * 1024 * 1024;

/**
 * Reads the rest of a request body the server will not use and drops it, for at most
 * LINGER_MS and LINGER_BYTES; past either the connection is closed. A body that ends in
 * time leaves the connection usable for the client's next request.
 * @param {import('node:http').IncomingMessage} req
 */
export function discardRestOfBody(req) {
  if (req.complete || req.destroyed) return;
  let seen = 0;
  const cut = () => req.socket?.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.on('data', (chunk) => {
    seen += chunk.length;
    if (seen > LINGER_BYTES) {
      done();
      cut();
    }
  });
  req.on('end', done);
  req.on('close', done);
  req.resume();
}

/**
 * Ends a refusal sent before the body was read (413, a bad path). The rest of the upload is
 * read through the HTTP parser and dropped, up to LINGER_BYTES / LINGER_MS, so a client
 * still writing can finish and read the answer instead of failing with EPIPE, and a
 * kept-alive connection stays in step (the parser consumes exactly the declared length).
 * An upload declared larger than that is not waited for: the answer says the connection
 * ends with it.
 * @param {import('node:http').IncomingMessage} req
 * @param {(headers: Record<string, string>) => void} send writes the answer with these extra headers
 */
export function refuseUnreadBody(req, send) {
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLongToWaitFor = Number.isFinite(declared) && declared > LINGER_BYTES;
  send(tooLongToWaitFor && !req.complete ? { Connection: 'close' } : {});
  if (!tooLongToWaitFor) discardRestOfBody(req);
}

/** A request the gateway refuses before any route runs (413 too large, 400 too deep). */
export class RequestRejected extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** @param {number} limit */
function tooLarge(limit) {
  return new RequestRejected(413, 'PGRST413', `The request body is larger than ${limit} bytes`);
}

/**
 * The declared length past `limit` (a 413 before reading a byte), else nothing.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} limit
 */
export function rejectDeclaredOversize(req, limit) {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
}

/**
 * Reads a whole request body (only for the routes that parse JSON; functions stream
 * instead), never holding more than `limit` bytes: a declared or streamed excess is a 413,
 * and the rest of the upload is discarded, not buffered.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} limit
 * @returns {Promise<Buffer>}
 */
export function readBody(req, limit) {
  rejectDeclaredOversize(req, limit);
  // Listeners rather than `for await`: leaving that loop early destroys the request and
  // with it the socket, so the 413 would never reach the client.
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    /** @param {Buffer} chunk */
    function onData(chunk) {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // The rest is dropped as it comes (the 413 handler lingers), never buffered.
      stop();
      reject(tooLarge(limit));
    }
    function onEnd() {
      stop();
      resolve(Buffer.concat(chunks));
    }
    /** @param {Error} err */
    function onError(err) {
      stop();
      reject(err);
    }
    function onClose() {
      stop();
      reject(new Error('aborted'));
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Decodes a percent-encoded path segment; a malformed one (`%`, `%E0%A4%A`) is the
 * client's error, never the server's.
 * @param {string} segment
 */
export function decodeSegment(segment) {
  // Nothing to decode without a percent sign (the usual case).
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RequestRejected(400, 'PGRST100', 'The request path is not valid percent-encoding');
  }
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * The bearer token of an `Authorization` value; the scheme is case-insensitive and an empty
 * token counts as none [PGRST Auth.hs].
 * @param {string | undefined} authorization
 * @returns {string | null}
 */
export function bearerToken(authorization) {
  const match = /^bearer\s+(.*)$/i.exec(authorization ?? '');
  const token = match?.[1]?.trim();
  return token ? token : null;
}
