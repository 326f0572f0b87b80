import { describe, expect, it } from 'vitest';
import { initialValues, toParams, validate } from './actionForms.ts';

describe('saved-action forms', () => {
  it('snooze defaults to 7 days, allows 1–30 and needs a reason', () => {
    const values = initialValues('snooze', { default_days: 7, min_days: 1, max_days: 30 });
    expect(values.days).toBe('7');
    expect(validate('snooze', values)).toMatch(/reason/);
    expect(validate('snooze', { days: '31', reason: 'x' })).toMatch(/between 1 and 30/);
    expect(validate('snooze', { days: '0', reason: 'x' })).toMatch(/between 1 and 30/);
    expect(toParams('snooze', { days: '7', reason: ' travelling ' })).toEqual({ days: 7, reason: 'travelling' });
  });

  it('skip only accepts a reason from the list', () => {
    expect(validate('skip', { reason: 'Because' })).not.toBeNull();
    expect(validate('skip', { reason: 'Customer requested skip' })).toBeNull();
  });

  it('schedule meeting sends a timestamp, a duration and the attendees as a list', () => {
    const params = toParams('schedule_meeting', { date: '2026-12-01', time: '10:00', duration_minutes: '45', attendees: 'a@x.example, b@x.example' });
    expect(params.duration_minutes).toBe(45);
    expect(params.attendees).toEqual(['a@x.example', 'b@x.example']);
    expect(typeof params.scheduled_at).toBe('string');
  });

  it('create task needs a title and a due date', () => {
    expect(validate('create_task', { title: '', due_date: '2026-12-01' })).toMatch(/title/);
    expect(validate('create_task', { title: 'Call', due_date: '' })).toMatch(/due date/);
    expect(validate('create_task', { title: 'Call', due_date: '2026-12-01', priority: 'high' })).toBeNull();
  });

  it('a proposal from the assistant pre-fills the form', () => {
    expect(initialValues('escalate', {}, { reason: 'Champion left', level: 'vp_cs' })).toMatchObject({ reason: 'Champion left', level: 'vp_cs' });
  });

  it('send email asks for resend only when the person ticked it', () => {
    expect(toParams('send_email', { artifact_id: 'a1' })).toEqual({ artifact_id: 'a1' });
    expect(toParams('send_email', { artifact_id: 'a1', resend: 'true' })).toEqual({ artifact_id: 'a1', resend: true });
  });
});
