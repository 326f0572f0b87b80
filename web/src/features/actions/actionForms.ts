// The saved actions' parameters: defaults, choices and validation, kept apart from the
// form so they are easy to test and match domain.md.
export const SKIP_REASONS = ['Not applicable', 'Already completed', 'Customer requested skip', 'Internal decision', 'Other'] as const;
export const ESCALATION_LEVELS = [
  { value: 'manager', label: 'Manager' },
  { value: 'vp_cs', label: 'VP Customer Success' },
  { value: 'ceo', label: 'CEO' },
] as const;
export const MEETING_DURATIONS = [15, 30, 45, 60] as const;
export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

export type ActionKind = 'snooze' | 'skip' | 'escalate' | 'schedule_meeting' | 'send_email' | 'create_task' | 'custom';

export type FormValues = Record<string, string>;

export function kindOf(type: string): ActionKind {
  return (['snooze', 'skip', 'escalate', 'schedule_meeting', 'send_email', 'create_task'] as const).find((kind) => kind === type) ?? 'custom';
}

function isoDate(daysFromNow: number): string {
  const date = new Date(Date.now() + daysFromNow * 86_400_000);
  return date.toISOString().slice(0, 10);
}

export function initialValues(kind: ActionKind, config: Record<string, unknown> = {}, proposed: Record<string, unknown> = {}): FormValues {
  const base: FormValues = ((): FormValues => {
    switch (kind) {
      case 'snooze': return { days: String(config.default_days ?? 7), reason: '' };
      case 'skip': return { reason: '' , note: '' };
      case 'escalate': return { level: 'manager', reason: '' };
      case 'schedule_meeting': return { duration_minutes: String(config.default_duration ?? 30), date: isoDate(7), time: '10:00', attendees: '' };
      case 'send_email': return { artifact_id: '' };
      case 'create_task': return { title: '', due_date: isoDate(3), priority: 'medium', description: '' };
      default: return {};
    }
  })();
  for (const [key, value] of Object.entries(proposed)) {
    if (typeof value === 'string' || typeof value === 'number') base[key] = String(value);
  }
  return base;
}

/** Returns a message for the first problem, or null when the form can be sent. */
export function validate(kind: ActionKind, values: FormValues, config: Record<string, unknown> = {}): string | null {
  switch (kind) {
    case 'snooze': {
      const days = Number(values.days);
      const min = Number(config.min_days ?? 1);
      const max = Number(config.max_days ?? 30);
      if (!Number.isInteger(days) || days < min || days > max) return `Snooze for between ${min} and ${max} days.`;
      if (!values.reason?.trim()) return 'Give a reason for snoozing.';
      return null;
    }
    case 'skip': return SKIP_REASONS.includes(values.reason as (typeof SKIP_REASONS)[number]) ? null : 'Choose why this step is skipped.';
    case 'escalate': return values.reason?.trim() ? null : 'Say why you are escalating.';
    case 'schedule_meeting': return values.date ? null : 'Choose a date for the meeting.';
    case 'send_email': return values.artifact_id ? null : 'Choose an approved email draft to send.';
    case 'create_task':
      if (!values.title?.trim()) return 'Give the task a title.';
      if (!values.due_date) return 'Choose a due date.';
      return null;
    default: return null;
  }
}

/** The params object sent to execute_action. */
export function toParams(kind: ActionKind, values: FormValues): Record<string, unknown> {
  switch (kind) {
    case 'snooze': return { days: Number(values.days), reason: values.reason?.trim() };
    case 'skip': return { reason: values.reason, ...(values.note?.trim() ? { note: values.note.trim() } : {}) };
    case 'escalate': return { level: values.level, reason: values.reason?.trim() };
    case 'schedule_meeting': {
      const attendees = (values.attendees ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
      const scheduledAt = new Date(`${values.date}T${values.time || '10:00'}`).toISOString();
      return { duration_minutes: Number(values.duration_minutes), date: values.date, scheduled_at: scheduledAt, attendees };
    }
    // A draft that was sent already goes again only when the person said so (resend).
    case 'send_email': return { artifact_id: values.artifact_id, ...(values.resend === 'true' ? { resend: true } : {}) };
    case 'create_task': return {
      title: values.title?.trim(), due_date: values.due_date, priority: values.priority,
      ...(values.description?.trim() ? { description: values.description.trim() } : {}),
    };
    default: return {};
  }
}
