import { describe, expect, it } from 'vitest';
import { ApiError, messageOf } from './errors.ts';

describe('messageOf: every error in words a person can act on', () => {
  it('turns a failed fetch into a connection message, never "TypeError: Failed to fetch"', () => {
    expect(messageOf(new TypeError('Failed to fetch'))).toMatch(/could not reach the server/);
    // supabase-js wraps a network failure in an error object with the raw text as message
    expect(messageOf(new ApiError('TypeError: Failed to fetch', { code: '', status: 0 }))).toMatch(/could not reach the server/);
  });
  it('says the session ended on 401 and expired-token codes', () => {
    expect(messageOf(new ApiError('JWT expired', { code: 'PGRST303', status: 401 }))).toBe('Your session has ended. Sign in again to continue.');
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
