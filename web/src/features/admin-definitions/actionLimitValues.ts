// A saved action's editable limits as form values (text) and back, by action type.
import type { AdminSavedAction } from './api.ts';
import { snoozeLimitsProblem } from './snoozeLimits.ts';

export type LimitValues = Record<string, string>;

/** The editable settings of an action as form values (text), by type. */
export function toValues(action: AdminSavedAction): LimitValues {
  const c = action.config;
  const list = (value: unknown) => (Array.isArray(value) ? value.join(', ') : '');
  switch (action.type) {
    case 'snooze': return { min_days: String(c.min_days ?? ''), default_days: String(c.default_days ?? ''), max_days: String(c.max_days ?? '') };
    case 'skip': return { reasons: Array.isArray(c.reasons) ? c.reasons.join('\n') : '' };
    case 'escalate': return { levels: list(c.levels), default_level: String(c.default_level ?? '') };
    case 'schedule_meeting': return { durations_minutes: list(c.durations_minutes), default_duration_minutes: String(c.default_duration_minutes ?? '') };
    case 'create_task': return { priorities: list(c.priorities), default_priority: String(c.default_priority ?? '') };
    default: return {};
  }
}

/** Form values back to the config changes save_saved_action takes. */
export function toChanges(type: string, values: LimitValues): Record<string, unknown> {
  const words = (text = '') => text.split(',').map((part) => part.trim()).filter(Boolean);
  switch (type) {
    case 'snooze': return { min_days: Number(values.min_days), default_days: Number(values.default_days), max_days: Number(values.max_days) };
    case 'skip': return { reasons: (values.reasons ?? '').split('\n').map((line) => line.trim()).filter(Boolean) };
    case 'escalate': return { levels: words(values.levels), default_level: values.default_level };
    case 'schedule_meeting': return { durations_minutes: words(values.durations_minutes).map(Number), default_duration_minutes: Number(values.default_duration_minutes) };
    case 'create_task': return { priorities: words(values.priorities), default_priority: values.default_priority };
    default: return {};
  }
}

/** The config keys a problem of save_saved_action may name, as its form shows them, by type. */
export const LIMIT_KEYS: Record<string, readonly string[]> = {
  snooze: ['snooze', 'min_days', 'default_days', 'max_days'],
  skip: ['reasons'],
  escalate: ['levels', 'default_level'],
  schedule_meeting: ['durations_minutes', 'default_duration_minutes'],
  create_task: ['priorities', 'default_priority'],
};

/** What the form itself can tell before sending (the server checks again). */
export function limitsProblem(type: string, values: LimitValues): Partial<Record<string, string>> | null {
  if (type !== 'snooze') return null;
  const { min_days, default_days, max_days } = toChanges(type, values) as { min_days: number; default_days: number; max_days: number };
  const problem = snoozeLimitsProblem({ min_days, default_days, max_days });
  return problem ? { snooze: problem } : null;
}
