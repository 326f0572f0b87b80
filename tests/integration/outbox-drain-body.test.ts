// outbox-drain's body says what is wrong with it: max_messages out of its range or not whole
// is "a whole number from 1 to 100". Before, 0, 101 and 1.5 were all answered "max_messages
// must be a number" (zod gave each check without words of its own the type's words).
import { describe, expect, it } from 'vitest';
import { stack } from '../support/stack.ts';

async function drain(body: unknown) {
  const response = await fetch(`${stack.url}/functions/v1/outbox-drain`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${stack.serviceRoleKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; details: { path: string; message: string }[] } } };
}

describe('outbox-drain: max_messages', () => {
  it.each([0, 101, 1.5])('%s is 422 naming the rule', async (value) => {
    const answer = await drain({ max_messages: value });
    expect({ status: answer.status, error: answer.body.error }).toEqual({
      status: 422,
      error: { code: 'invalid_body', message: 'The request body is not valid.', details: [{ path: 'max_messages', message: 'max_messages must be a whole number from 1 to 100' }] },
    });
  });

  it('text is still not a number', async () => {
    const answer = await drain({ max_messages: '20' });
    expect(answer.body.error?.details).toEqual([{ path: 'max_messages', message: 'max_messages must be a number' }]);
  });
});
