// The `outbox-drain` Edge Function: delivers the outbox rows that are due (queued mail
// whose next attempt has come, and rows whose delivery lease expired), so mail never
// waits for a client to replay. A scheduler calls it with the service role key: a
// person's token is 403 and any other bearer 401 before anything runs (and the claim RPC
// is granted to service_role only, so the database refuses everyone else too). Each row is claimed (lease) before it is sent: drains running at the
// same time, or beside execute-action, never send one row twice.
import { z } from 'zod';
import { answer, envFrom, HttpError, jsonResponse, parseJsonBody, serviceCallerClient, type FunctionEnv } from '../http.ts';
import { mailSenderFromEnv, type MailTransport } from './mail.ts';
import { mailTransportFromEnv } from './transport.ts';
import { claimDueOutboxMessages, deliverClaimed, type OutboxState } from './outbox.ts';

const MAX_MESSAGES_RULE = 'max_messages must be a whole number from 1 to 100';

export const OutboxDrainBody = z.object({
  // Each check says the rule: zod gives a check without words of its own the type's words,
  // and 0 or 1.5 were answered "max_messages must be a number".
  max_messages: z.number({ message: 'max_messages must be a number' })
    .int({ message: MAX_MESSAGES_RULE }).min(1, { message: MAX_MESSAGES_RULE }).max(100, { message: MAX_MESSAGES_RULE }).default(20),
}).strict();
export type OutboxDrainBody = z.infer<typeof OutboxDrainBody>;

export interface OutboxDrainResult {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  messages: Pick<OutboxState, 'id' | 'status' | 'attempts' | 'next_attempt_at' | 'last_error'>[];
}

export interface OutboxDrainDeps {
  env: FunctionEnv;
  mail: MailTransport;
}

export function outboxDrainDepsFromEnv(source: Record<string, string | undefined>): OutboxDrainDeps {
  return { env: envFrom(source), mail: mailTransportFromEnv(source) };
}

export function handleOutboxDrain(req: Request, deps: OutboxDrainDeps): Promise<Response> {
  return answer(req, async () => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Drain the outbox with POST.');
    const db = serviceCallerClient(req, deps.env);
    const hasBody = Number(req.headers.get('content-length') ?? '1') > 0 && req.body !== null;
    const body = hasBody ? await parseJsonBody(req, OutboxDrainBody) : OutboxDrainBody.parse({});
    const claimed = await claimDueOutboxMessages(db, body.max_messages);
    const result: OutboxDrainResult = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0, messages: [] };
    // One at a time: a drain is a background worker, and one slow server should not
    // open a hundred connections at once.
    for (const message of claimed) {
      const done = await deliverClaimed(db, deps.mail, message, mailSenderFromEnv(deps.env));
      const o = done.outbox;
      if (o.status === 'sent' || o.status === 'delivered_to_sink') result.sent += 1;
      else if (o.status === 'queued') result.retrying += 1;
      else result.failed += 1;
      result.messages.push({ id: o.id, status: o.status, attempts: o.attempts, next_attempt_at: o.next_attempt_at, last_error: o.last_error });
    }
    return jsonResponse(result);
  });
}
