// Which web pages may talk to the MCP server. The Streamable HTTP transport says a server
// MUST validate the Origin header of every request, and answer 403 when one is present and
// not allowed (MCP specification, "Transports", Security Warning): without it a page the
// person visits could rebind its own host name to the server and drive it (DNS rebinding).
//
//   no Origin header   a client that is no browser (a desktop assistant, an IDE, a bot):
//                      allowed, and judged by its bearer token as before;
//   an Origin          allowed only when it is the web app's own address (RENUBU_SITE_URL,
//                      which invite-person reads too) or one listed in
//                      RENUBU_MCP_ALLOWED_ORIGINS (origins separated by commas or spaces,
//                      e.g. a browser-based MCP client the team uses). Nothing set: every
//                      browser origin is refused. `null` (a sandboxed frame, a file) never
//                      names a page and is refused.
// docs/agents.md "Browsers and the Origin header" says it for the people who set these.
import type { FunctionEnv } from '../http.ts';

/** An address as the Origin header spells it (`https://app.example.com`), or null if it is none. */
export function originOf(address: string): string | null {
  const trimmed = address.trim();
  if (!URL.canParse(trimmed)) return null;
  const { origin } = new URL(trimmed);
  // Only http(s) addresses have an origin a browser sends; `file:`, `data:` … give "null".
  return origin === 'null' ? null : origin;
}

/** The origins the MCP server answers, from the function's env (RENUBU_SITE_URL, RENUBU_MCP_ALLOWED_ORIGINS). */
export function allowedMcpOrigins(env: FunctionEnv): Set<string> {
  const listed = [env.RENUBU_SITE_URL ?? '', ...(env.RENUBU_MCP_ALLOWED_ORIGINS ?? '').split(/[\s,]+/)];
  const origins = new Set<string>();
  for (const entry of listed) {
    const origin = entry.trim() === '' ? null : originOf(entry);
    if (origin !== null) origins.add(origin);
  }
  return origins;
}

/**
 * Whether a request may go on: true without an Origin header (no browser sent it) or with one
 * of the allowed origins, compared as origins (scheme and host case, a default port), so
 * `HTTPS://App.example.com:443` is `https://app.example.com`.
 */
export function originAllowed(req: Request, allowed: ReadonlySet<string>): boolean {
  const sent = req.headers.get('origin');
  if (sent === null) return true;
  const origin = originOf(sent);
  return origin !== null && allowed.has(origin);
}
