import { describe, expect, it } from 'vitest';
import { plainWords } from './plainWords.ts';

describe('an action description in words', () => {
  it('puts keys in words and drops the internal "artifact"', () => {
    expect(plainWords('Queue an email from an email_draft artifact in the outbox; it must be approved when the organisation requires approval.'))
      .toBe('Queue an email from an email draft in the outbox; it must be approved when the organisation requires approval.');
  });
  it('uses the lookup\'s label for a key it knows', () => {
    expect(plainWords('Add a follow-up meeting to the workflow and create a schedule_meeting task.', { schedule_meeting: 'Meeting prep' }))
      .toBe('Add a follow-up meeting to the workflow and create a meeting prep task.');
  });
  it('leaves ordinary words, hyphens and sentences alone', () => {
    expect(plainWords('Snooze the follow-up for a few days.')).toBe('Snooze the follow-up for a few days.');
  });
});
