// An Edge Function's request body is strict: a key the function does not take is a 422
// (`invalid_body`) naming it, never dropped in silence. A misspelt `idempotency_key` sent to
// execute-action was dropped and the action ran without a key, so a retry ran it again; a
// chat body's `system` or `model` looked as if it were obeyed. The body schemas are the
// functions' own (functions-shared/api/functions.ts), read through parseJsonBody as every
// function reads its body.
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { HttpError, parseJsonBody } from '../../functions-shared/http.ts';
import {
  ChatRequestBody, CompleteThreadRequestBody, DailyBriefRequestBody, ExecuteActionBody, ExtractContractRequestBody, InvitePersonBody,
} from '../../functions-shared/api/functions.ts';

const ID = '00000000-0000-4000-8000-000000000001';

const bodies: Array<[string, ZodType<unknown>, Record<string, unknown>, string]> = [
  ['chat', ChatRequestBody, { thread_id: ID, content: 'Hi', client_message_id: 'm1' }, 'system'],
  ['complete-thread', CompleteThreadRequestBody, { thread_id: ID }, 'summary'],
  ['execute-action', ExecuteActionBody, { action_key: 'snooze', execution_id: ID, params: { days: 3, reason: 'Holiday' } }, 'idempotency_kye'],
  ['extract-contract', ExtractContractRequestBody, { customer_id: ID, object_path: `${ID}/${ID}/msa.pdf` }, 'model'],
  ['invite-person', InvitePersonBody, { email: 'new@acme.test', full_name: 'New Person', role: 'csm' }, 'password'],
  ['daily-brief', DailyBriefRequestBody, { profile_id: ID }, 'at'],
];

function request(body: unknown): Request {
  return new Request('http://f/x', { method: 'POST', body: JSON.stringify(body) });
}

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected the body to be refused');
}

describe('function request bodies take only their own keys', () => {
  for (const [name, schema, valid, unknown] of bodies) {
    it(`${name}: a valid body parses, and one with "${unknown}" besides is 422 naming it`, async () => {
      await expect(parseJsonBody(request(valid), schema)).resolves.toMatchObject(valid);
      const error = await refusal(parseJsonBody(request({ ...valid, [unknown]: 'x' }), schema));
      expect(error.status).toBe(422);
      expect(error.code).toBe('invalid_body');
      expect((error.details as Array<{ message: string }>).map((issue) => issue.message)).toContain(`Unrecognized key: "${unknown}"`);
    });
  }
  it('a key sent with an override or a line break is named as one displayable line, never echoed as sent', async () => {
    const [, schema, valid] = bodies[0]!;
    const error = await refusal(parseJsonBody(request({ ...valid, 'sys\u202etem\nx': 'x' }), schema));
    const issues = error.details as Array<{ message: string; path: string }>;
    expect(issues.map((issue) => issue.message)).toContain('Unrecognized key: "system x"');
    expect(JSON.stringify(issues)).not.toMatch(/[\u202a-\u202e\u2066-\u2069]|\\n/u);
  });
});
