import { describe, expect, it } from 'vitest';
import { ApiError, fromFunctionResponse, messageOf } from './errors.ts';

describe('messageOf: every error in words a person can act on', () => {
  it('turns a failed fetch into a connection message, never "TypeError: Failed to fetch"', () => {
    expect(messageOf(new TypeError('Failed to fetch'))).toMatch(/could not reach the server/);
    // supabase-js wraps a network failure in an error object with the raw text as message
    expect(messageOf(new ApiError('TypeError: Failed to fetch', { code: '', status: 0 }))).toMatch(/could not reach the server/);
  });
  it('says the session ended on 401 and expired-token codes', () => {
    expect(messageOf(new ApiError('JWT expired', { code: 'PGRST303', status: 401 }))).toBe('Your session has ended. Sign in again to continue.');
  });
  it('says the session ended for the gateway\'s own 401 in front of a function (a token it refused)', async () => {
    // The gateway answers an expired or forged token before the function runs, in its own
    // shape, not the house one; since it carries CORS the browser can read it
    // (tests/hardening/gateway-answers-carry-cors.test.ts), so it must read as a session that ended.
    for (const msg of ['Invalid JWT', 'Error: Missing authorization header']) {
      const refused = await fromFunctionResponse(new Response(JSON.stringify({ msg }), { status: 401, headers: { 'Content-Type': 'application/json' } }));
      expect(messageOf(refused)).toBe('Your session has ended. Sign in again to continue.');
    }
  });
  it('asks to wait on rate limiting', () => {
    expect(messageOf(new ApiError('Request rate limit reached', { code: 'over_request_rate_limit', status: 429 }))).toMatch(/Wait a few seconds/);
  });
  it('explains a server failure without its internals', () => {
    const message = messageOf(new ApiError('connection terminated unexpectedly', { code: '502', status: 502 }));
    expect(message).toMatch(/HTTP 502/);
    expect(message).not.toMatch(/connection terminated/);
  });
  it('keeps the house messages and hints, which are already written for people', () => {
    expect(messageOf(new ApiError('You may not run actions on this workflow', { code: '42501', status: 403, hint: 'Only its assigned CSM can.' })))
      .toBe('You may not run actions on this workflow. Only its assigned CSM can.');
    expect(messageOf(new ApiError('You may not approve your own draft', { code: '42501', status: 403, hint: 'Ask a manager or a colleague to approve it.' })))
      .toBe('You may not approve your own draft. Ask a manager or a colleague to approve it.');
    // A message that ends its sentence already gets no second full stop.
    expect(messageOf(new ApiError('Choose a date.', { code: '22023', hint: 'The meeting needs one.' }))).toBe('Choose a date. The meeting needs one.');
    expect(messageOf(new ApiError('This workflow changed meanwhile', { code: 'PT409', status: 409 }))).toBe('This workflow changed meanwhile');
  });
  it('never shows a bare "Error:" prefix or nothing at all', () => {
    expect(messageOf(new Error('Error: the draft is empty'))).toBe('the draft is empty');
    expect(messageOf(new TypeError("Cannot read properties of undefined (reading 'id')"))).toMatch(/Reload it/);
    expect(messageOf('weird')).toBe('Something went wrong. Try again in a moment.');
  });
});

describe('fromFunctionResponse: an Edge Function refusal says what to do, as an RPC refusal does', () => {
  const refusal = (error: Record<string, unknown>, status = 409) => new Response(JSON.stringify({ error }), { status, headers: { 'Content-Type': 'application/json' } });

  it('shows the words a function sends in details as the hint (the database hint it passed on)', async () => {
    // execute-action's skip on a workflow not started: the hint was dropped, leaving no way on.
    const error = await fromFunctionResponse(refusal({ code: 'PT409', message: 'Cannot skip a step: the workflow is still in the queue, not started', details: 'Start the workflow first.' }));
    expect(error.hint).toBe('Start the workflow first.');
    expect(messageOf(error)).toBe('Cannot skip a step: the workflow is still in the queue, not started. Start the workflow first.');
  });

  it('keeps details that are no sentence (a list of body problems, a code word) out of the message', async () => {
    const listed = await fromFunctionResponse(refusal({ code: 'invalid_body', message: 'The body is not valid.', details: [{ path: ['title'] }] }, 422));
    expect(messageOf(listed)).toBe('The body is not valid.');
    expect(listed.details).toEqual([{ path: ['title'] }]);
    const codeWord = await fromFunctionResponse(refusal({ code: 'PT409', message: 'That person already belongs to an organisation', details: 'person_exists' }));
    expect(messageOf(codeWord)).toBe('That person already belongs to an organisation');
  });
});
