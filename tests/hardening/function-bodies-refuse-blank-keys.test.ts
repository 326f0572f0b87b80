// A key made only of whitespace or invisible characters is blank: execute-action's
// idempotency_key and chat's client_message_id of a tab, a zero-width space (U+200B) or a
// byte-order mark are 422 `invalid_body`, as an empty one is, and a chat message of a
// zero-width space is empty. Before, `min(1)` and JavaScript's trim() let them through
// (the database's rule, app.check_request_key and app.trimmed, is the one mirrored:
// functions-shared/text.ts).
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { HttpError, parseJsonBody } from '../../functions-shared/http.ts';
import { ChatRequestBody, ExecuteActionBody } from '../../functions-shared/api/functions.ts';

const ID = '00000000-0000-4000-8000-000000000001';
const BLANKS = ['\t', '\u200b', '\ufeff', ' \u00a0\n', '\u2800'];

function request(body: unknown): Request {
  return new Request('http://f/x', { method: 'POST', body: JSON.stringify(body) });
}

async function refusal(schema: ZodType<unknown>, body: unknown): Promise<HttpError> {
  try {
    await parseJsonBody(request(body), schema);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be refused`);
}

const action = { action_key: 'snooze', execution_id: ID, params: { days: 3, reason: 'Holiday' } };
const chat = { thread_id: ID, content: 'Hi', client_message_id: 'm1' };

describe('function bodies refuse blank keys', () => {
  for (const blank of BLANKS) {
    it(`execute-action: an idempotency_key of ${JSON.stringify(blank)} is 422`, async () => {
      const error = await refusal(ExecuteActionBody, { ...action, idempotency_key: blank });
      expect(error.status).toBe(422);
      expect(error.code).toBe('invalid_body');
      expect(JSON.stringify(error.details)).toContain('idempotency_key must not be only whitespace');
    });
    it(`chat: a client_message_id or a message of ${JSON.stringify(blank)} is 422`, async () => {
      expect((await refusal(ChatRequestBody, { ...chat, client_message_id: blank })).status).toBe(422);
      expect(JSON.stringify((await refusal(ChatRequestBody, { ...chat, content: blank })).details)).toContain('content must not be empty');
    });
  }
  it('a key with visible characters is taken as sent', async () => {
    await expect(parseJsonBody(request({ ...action, idempotency_key: ' k-1\t' }), ExecuteActionBody))
      .resolves.toMatchObject({ idempotency_key: ' k-1\t' });
    await expect(parseJsonBody(request({ ...chat, client_message_id: '\u200bm-1' }), ChatRequestBody))
      .resolves.toMatchObject({ client_message_id: '\u200bm-1' });
  });
});
