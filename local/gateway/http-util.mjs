// @ts-check
// Small HTTP helpers shared by the gateway's routes.

export { MAX_JSON_DEPTH, jsonTooDeep } from '../../functions-shared/json-depth.js';

// Body caps per route, checked before anything is buffered: well above the largest request
// the product sends (an ingest batch of 500 events through the service role is ~300 kB), far
// below what would hurt the process (a 400 MB body once grew the gateway to 1.3 GB).
export const BODY_LIMITS = { rest: 4 * 1024 * 1024, auth: 64 * 1024, functions: 8 * 1024 * 1024 };

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
export async function readBody(req, limit) {
  rejectDeclaredOversize(req, limit);
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) {
      req.resume(); // drain what is still coming, so the 413 reaches the client
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Decodes a percent-encoded path segment; a malformed one (`%`, `%E0%A4%A`) is the
 * client's error, never the server's.
 * @param {string} segment
 */
export function decodeSegment(segment) {
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
  const token = match?.[1].trim();
  return token ? token : null;
}
