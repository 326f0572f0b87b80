import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionOptions, findProblem, initialValues, meetingDate, submitLabel, toParams, validate } from './actionForms.ts';

// The configs of the six core actions as list_saved_actions returns them.
const SNOOZE = { default_days: 7, min_days: 1, max_days: 30, reason_required: true };
const SKIP = { reason_required: true, reasons: ['Not applicable', 'Already completed', 'Customer requested skip', 'Internal decision', 'Other'] };
const ESCALATE = { levels: ['manager', 'vp_cs', 'ceo'], default_level: 'manager', reason_required: true, notify: 'assignee_manager' };
const MEETING = { durations_minutes: [15, 30, 45, 60], default_duration_minutes: 30, date_required: true, attendees_allowed: true, creates_task_type: 'schedule_meeting' };
const TASK = { due_date_required: true, default_priority: 'medium', priorities: ['low', 'medium', 'high', 'urgent'], default_task_type: 'follow_up' };

describe('saved-action forms', () => {
  it('snooze defaults to 7 days, allows 1–30 and needs a reason', () => {
    const values = initialValues('snooze', SNOOZE);
    expect(values.days).toBe('7');
    expect(validate('snooze', values, SNOOZE)).toMatch(/reason/);
    expect(validate('snooze', { days: '31', reason: 'x' }, SNOOZE)).toMatch(/between 1 and 30/);
    expect(validate('snooze', { days: '0', reason: 'x' }, SNOOZE)).toMatch(/between 1 and 30/);
    expect(toParams('snooze', { days: '7', reason: ' travelling ' })).toEqual({ days: 7, reason: 'travelling' });
  });

  it('an organisation\'s snooze limits replace the core ones', () => {
    const narrowed = { ...SNOOZE, default_days: 5, max_days: 10 };
    expect(initialValues('snooze', narrowed).days).toBe('5');
    expect(validate('snooze', { days: '14', reason: 'x' }, narrowed)).toMatch(/between 1 and 10/);
  });

  it('a branch default or proposal outside limits an admin narrowed since opens within them', () => {
    const narrowed = { ...SNOOZE, default_days: 5, max_days: 10 };
    expect(initialValues('snooze', narrowed, { days: 30, reason: 'Quiet month' })).toEqual({ days: '10', reason: 'Quiet month' });
    expect(initialValues('snooze', narrowed, { days: 0 }).days).toBe('1');
    expect(initialValues('escalate', { ...ESCALATE, levels: ['manager', 'ceo'] }, { level: 'vp_cs' }).level).toBe('manager');
    expect(initialValues('schedule_meeting', { ...MEETING, durations_minutes: [20, 50], default_duration_minutes: 50 }, { duration_minutes: 45 }).duration_minutes).toBe('50');
    expect(initialValues('create_task', { ...TASK, priorities: ['high', 'urgent'], default_priority: 'urgent' }, { priority: 'medium' }).priority).toBe('urgent');
    expect(initialValues('skip', { ...SKIP, reasons: ['Other'] }, { reason: 'Not applicable' }).reason).toBe('');
    // Within the limits, the proposed value is what opens.
    expect(initialValues('escalate', ESCALATE, { level: 'vp_cs' }).level).toBe('vp_cs');
    expect(initialValues('snooze', SNOOZE, { days: 14 }).days).toBe('14');
  });

  it('skip only accepts a reason from the action\'s list', () => {
    expect(validate('skip', { reason: 'Because' }, SKIP)).not.toBeNull();
    expect(validate('skip', { reason: 'Customer requested skip' }, SKIP)).toBeNull();
    expect(validate('skip', { reason: 'Handled elsewhere' }, { ...SKIP, reasons: ['Handled elsewhere'] })).toBeNull();
  });

  it('escalation levels and their default come from the config, their words from the server\'s labels', () => {
    const labels = { manager: 'Manager', vp_cs: 'VP Customer Success', ceo: 'Chief Executive' };
    expect(actionOptions(ESCALATE, labels).escalationLevels.map((level) => level.label)).toEqual(['Manager', 'VP Customer Success', 'Chief Executive']);
    expect(actionOptions(ESCALATE).escalationLevels.map((level) => level.label)).toEqual(['manager', 'vp_cs', 'ceo']);
    const managerOnly = { ...ESCALATE, levels: ['manager'] };
    expect(actionOptions(managerOnly, labels).escalationLevels).toEqual([{ value: 'manager', label: 'Manager' }]);
    expect(validate('escalate', { level: 'ceo', reason: 'x' }, managerOnly)).toMatch(/whom/);
  });

  it('schedule meeting defaults to default_duration_minutes and sends a timestamp, a duration and the attendees', () => {
    expect(initialValues('schedule_meeting', { ...MEETING, default_duration_minutes: 45 }).duration_minutes).toBe('45');
    expect(validate('schedule_meeting', { date: '2026-12-01', duration_minutes: '20' }, MEETING)).toMatch(/lengths/);
    // A meeting that has ended is refused beside its date, one under way is not.
    const now = new Date('2026-12-06T12:00:00');
    expect(findProblem('schedule_meeting', { date: '2026-12-06', time: '11:00', duration_minutes: '30' }, MEETING, now))
      .toEqual({ field: 'date', message: expect.stringMatching(/^This time has passed/) });
    expect(findProblem('schedule_meeting', { date: '2026-12-06', time: '11:45', duration_minutes: '30' }, MEETING, now)).toBeNull();
    expect(findProblem('schedule_meeting', { date: '2026-12-07', duration_minutes: '30' }, MEETING, now)).toBeNull();
    const params = toParams('schedule_meeting', { date: '2026-12-01', time: '10:00', duration_minutes: '45', attendees: 'a@x.example, b@x.example' });
    expect(params.duration_minutes).toBe(45);
    expect(params.attendees).toEqual(['a@x.example', 'b@x.example']);
    expect(typeof params.scheduled_at).toBe('string');
    // Only the parameters the action takes (execute_action refuses any other key).
    expect(Object.keys(params).sort()).toEqual(['attendees', 'duration_minutes', 'scheduled_at']);
  });

  it('create task needs a title, a due date and an offered priority', () => {
    expect(validate('create_task', { title: '', due_date: '2026-12-01', priority: 'medium' }, TASK)).toMatch(/title/);
    expect(validate('create_task', { title: 'Call', due_date: '', priority: 'medium' }, TASK)).toMatch(/due date/);
    expect(validate('create_task', { title: 'Call', due_date: '2030-12-01', priority: 'high' }, TASK)).toBeNull();
    expect(initialValues('create_task', TASK).priority).toBe('medium');
  });

  it('create task says a due day gone beside the due date, and takes today (the server\'s rule)', () => {
    const now = new Date(2026, 11, 7, 15, 0);
    expect(findProblem('create_task', { title: 'Call', due_date: '2021-03-01', priority: 'high' }, TASK, now))
      .toEqual({ field: 'due_date', message: 'This day has passed: choose today or a later day.' });
    expect(findProblem('create_task', { title: 'Call', due_date: '2026-12-06', priority: 'high' }, TASK, now)?.field).toBe('due_date');
    expect(findProblem('create_task', { title: 'Call', due_date: '2026-12-07', priority: 'high' }, TASK, now)).toBeNull();
  });

  it('a proposal from the assistant pre-fills the form', () => {
    expect(initialValues('escalate', ESCALATE, { reason: 'Champion left', level: 'vp_cs' })).toMatchObject({ reason: 'Champion left', level: 'vp_cs' });
  });

  it('send email asks for resend only when the person ticked it', () => {
    expect(toParams('send_email', { artifact_id: 'a1' })).toEqual({ artifact_id: 'a1' });
    expect(toParams('send_email', { artifact_id: 'a1', resend: 'true' })).toEqual({ artifact_id: 'a1', resend: true });
  });
});

// A meeting is for before the renewal: a week out when the renewal is further, else the day
// before it, never before tomorrow (10:00 today may have passed). Before, always a week out:
// 14 Dec for a renewal on 12 Dec.
describe('the Schedule Meeting date it opens with', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('is the day before a near renewal, a week out otherwise, and never before tomorrow', () => {
    const today = new Date('2031-12-07T09:00:00Z');
    expect(meetingDate('2031-12-12', today)).toBe('2031-12-11');
    expect(meetingDate('2032-03-30', today)).toBe('2031-12-14');
    expect(meetingDate(null, today)).toBe('2031-12-14');
    expect(meetingDate('2031-12-08', today), 'the renewal tomorrow: tomorrow').toBe('2031-12-08');
    expect(meetingDate('2031-11-30', today), 'a renewal passed: as soon as may be').toBe('2031-12-08');
  });

  it('is what the form opens with, from the customer\'s renewal date', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-12-07T09:00:00Z'));
    expect(initialValues('schedule_meeting', MEETING, {}, { renewalDate: '2031-12-12' }).date).toBe('2031-12-11');
    expect(initialValues('schedule_meeting', MEETING, { date: '2031-12-09' }, { renewalDate: '2031-12-12' }).date, 'a proposal\'s date stands').toBe('2031-12-09');
  });
});

describe('what the submit button says', () => {
  const labels = { manager: 'Manager', vp_cs: 'VP Customer Success', ceo: 'CEO' };
  const options = actionOptions(ESCALATE, labels);

  it('names the level an escalation goes to when it is not the default one', () => {
    expect(submitLabel('escalate', 'Escalate to Manager', { level: 'vp_cs', reason: 'x' }, options)).toBe('Escalate to VP Customer Success');
    expect(submitLabel('escalate', 'Escalate to Manager', { level: 'ceo', reason: 'x' }, options)).toBe('Escalate to CEO');
  });

  it('is the action\'s name for the default level and for every other action', () => {
    expect(submitLabel('escalate', 'Escalate to Manager', { level: 'manager', reason: 'x' }, options)).toBe('Escalate to Manager');
    expect(submitLabel('snooze', 'Snooze Workflow', { days: '7' }, actionOptions(SNOOZE))).toBe('Snooze Workflow');
  });
});
