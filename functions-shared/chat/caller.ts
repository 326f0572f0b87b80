// Who the function acts for, read from the caller's access token. Only use it AFTER an
// RPC made with that same token has succeeded (post_chat_message, complete_chat_thread):
// the database verified the token's signature then, so its `sub` is the signed-in person.
// The service-side RPCs that take it check again that this person may work on the thread.
import { HttpError } from '../http.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function verifiedCallerId(req: Request): string {
  const token = (req.headers.get('Authorization') ?? '').replace(/^Bearer\s+/i, '');
  let sub: unknown = null;
  try {
    const part = token.split('.')[1] ?? '';
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    sub = (JSON.parse(atob(base64)) as { sub?: unknown }).sub;
  } catch {
    sub = null;
  }
  if (typeof sub !== 'string' || !UUID.test(sub)) throw new HttpError(401, 'unauthorized', 'Sign in to use this function.');
  return sub;
}
