// Who a function acts for, read from the caller's access token: the one rule for every
// function that records who did something (chat, thread completion, contract extraction,
// execute-action's refusal log). The claims are read, not verified: use the id only AFTER an
// RPC made with that same token has succeeded or been refused by the database, which
// verified the token's signature (so its `sub` is the signed-in person). The service-side
// RPCs that take the id check again that this person may work on the row.
import { bearerClaims, HttpError } from './http.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The signed-in person's id from the request's access token; null without one. */
export function callerIdOrNull(req: Request): string | null {
  const sub = bearerClaims(req)?.sub;
  return typeof sub === 'string' && UUID.test(sub) ? sub : null;
}

/** The signed-in person's id; 401 when the request carries no person's token. */
export function verifiedCallerId(req: Request): string {
  const id = callerIdOrNull(req);
  if (id === null) throw new HttpError(401, 'unauthorized', 'Sign in to use this function.');
  return id;
}
