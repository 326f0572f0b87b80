// @ts-check
// Small HTTP helpers shared by the gateway's routes.

/**
 * Reads a whole request body (only for the routes that parse JSON; functions stream instead).
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
export async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
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
