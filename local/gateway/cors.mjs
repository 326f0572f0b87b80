// @ts-check
// CORS as PostgREST's own middleware does it [PGRST v16.2 Cors.hs]: only when the request
// has an Origin; any origin; Authorization plus whatever the preflight asks for; Content-Range
// exposed, without which supabase-js in a browser cannot read `count`.

const METHODS = 'GET, POST, PATCH, PUT, DELETE, OPTIONS';
const EXPOSED =
  'Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit';

/**
 * Adds the CORS headers of an actual (non-preflight) response.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function addCorsHeaders(req, res) {
  if (!req.headers.origin) return;
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
}

/**
 * Answers a preflight (OPTIONS with Origin and Access-Control-Request-Method) and returns
 * true, or returns false when the request is not one.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function answerPreflight(req, res) {
  if (req.method !== 'OPTIONS' || !req.headers.origin) return false;
  if (!req.headers['access-control-request-method']) return false;
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(200, {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': METHODS,
    'Access-Control-Allow-Headers': requested ? `Authorization, ${requested}` : 'Authorization',
    'Access-Control-Expose-Headers': EXPOSED,
    'Access-Control-Max-Age': '86400',
  });
  res.end();
  return true;
}
