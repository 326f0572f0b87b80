// The saved actions' parameters: defaults, choices and validation, kept apart from the
// form so they are easy to test. Every choice (skip reasons, escalation levels, meeting
// durations, task priorities, snooze limits) comes from the action's config as
// list_saved_actions returns it for the organisation — the same config execute_action
// enforces and admins change on the Actions page — never from constants here. The words
// shown for escalation levels and task priorities are the server's labels (lookups.ts),
// passed in as `labels`; without them the key is shown.
import { ACTION_TYPES, type ActionType } from '../../../../functions-shared/admin/saved-action-config.ts';
import { isEmailAddress } from '../../lib/emailAddress.ts';
import { dueDateProblem } from '../tasks/dueDate.ts';

export interface ActionOptions {
  snooze: { minDays: number; maxDays: number; defaultDays: number };
  skipReasons: string[];
  escalationLevels: { value: string; label: string }[];
  defaultLevel: string;
  meetingDurations: number[];
  defaultDuration: number;
  taskPriorities: { value: string; label: string }[];
  defaultPriority: string;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const numbers = (value: unknown): number[] => (Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : []);
const numberOr = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** The options of an action's form, read from its config; `labels` maps keys to the server's words. */
export function actionOptions(config: Record<string, unknown> = {}, labels: Record<string, string> = {}): ActionOptions {
  const labelled = (value: string) => ({ value, label: labels[value] ?? value });
  const minDays = numberOr(config.min_days, 1);
  const maxDays = numberOr(config.max_days, minDays);
  const levels = strings(config.levels);
  const durations = numbers(config.durations_minutes);
  const priorities = strings(config.priorities);
  return {
    snooze: { minDays, maxDays, defaultDays: numberOr(config.default_days, minDays) },
    skipReasons: strings(config.reasons),
    escalationLevels: levels.map(labelled),
    defaultLevel: typeof config.default_level === 'string' ? config.default_level : levels[0] ?? '',
    meetingDurations: durations,
    defaultDuration: numberOr(config.default_duration_minutes, durations[0] ?? 30),
    taskPriorities: priorities.map(labelled),
    defaultPriority: typeof config.default_priority === 'string' ? config.default_priority : priorities[0] ?? '',
  };
}

/**
 * What the dialog's submit button says: the action's name, except for an escalation to a level
 * other than its default, which says where it goes ("Escalate to VP Customer Success"), since
 * the name ("Escalate to Manager") names the default and would promise the wrong person.
 */
export function submitLabel(kind: ActionKind, actionName: string, values: FormValues, options: ActionOptions): string {
  if (kind !== 'escalate' || !values.level || values.level === options.defaultLevel) return actionName;
  const level = options.escalationLevels.find((entry) => entry.value === values.level);
  return level ? `Escalate to ${level.label}` : actionName;
}

/** The kinds of action a form exists for: the action types (functions-shared/admin/saved-action-config.ts). */
export type ActionKind = ActionType;

export type FormValues = Record<string, string>;

export function kindOf(type: string): ActionKind {
  return ACTION_TYPES.find((kind) => kind === type) ?? 'custom';
}

function isoDate(daysFromNow: number, from: Date = new Date()): string {
  const date = new Date(from.getTime() + daysFromNow * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/**
 * The day a new meeting is offered on: a week out, or the day before the customer's renewal
 * when that comes sooner — a meeting is to prepare it — but never before tomorrow (10:00 today
 * may have passed, and a renewal gone by is met as soon as may be).
 */
export function meetingDate(renewalDate: string | null | undefined, today: Date = new Date()): string {
  const weekOut = isoDate(7, today);
  const tomorrow = isoDate(1, today);
  if (!renewalDate) return weekOut;
  const dayBefore = isoDate(-1, new Date(`${renewalDate.slice(0, 10)}T00:00:00Z`));
  if (dayBefore >= weekOut) return weekOut;
  return dayBefore > tomorrow ? dayBefore : tomorrow;
}

/** What a form's defaults may depend on beyond the action: the workflow's customer. */
export interface FormContext { renewalDate?: string | null }

export function initialValues(kind: ActionKind, config: Record<string, unknown> = {}, proposed: Record<string, unknown> = {},
  context: FormContext = {}): FormValues {
  const options = actionOptions(config);
  const base: FormValues = ((): FormValues => {
    switch (kind) {
      case 'snooze': return { days: String(options.snooze.defaultDays), reason: '' };
      case 'skip': return { reason: '', note: '' };
      case 'escalate': return { level: options.defaultLevel, reason: '' };
      case 'schedule_meeting': return { duration_minutes: String(options.defaultDuration), date: meetingDate(context.renewalDate), time: '10:00', attendees: '' };
      case 'send_email': return { artifact_id: '' };
      case 'create_task': return { title: '', due_date: isoDate(3), priority: options.defaultPriority, description: '' };
      default: return {};
    }
  })();
  for (const [key, value] of Object.entries(proposed)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const fitted = withinLimits(kind, key, value, options);
    if (fitted !== null) base[key] = fitted;
  }
  return base;
}

/**
 * A proposed value (a branch's default, an AI proposal's param) as the form can offer it
 * under the action's current limits, which an admin may have narrowed since: a snooze
 * clamped into its days, a choice no longer offered left to the action's own default
 * (null). The server applies the same rule to a branch's defaults
 * (app.branch_defaults_within_limits).
 */
function withinLimits(kind: ActionKind, key: string, value: string | number, options: ActionOptions): string | null {
  const text = String(value);
  if (kind === 'snooze' && key === 'days') {
    const days = Number(value);
    return Number.isFinite(days) ? String(Math.min(options.snooze.maxDays, Math.max(options.snooze.minDays, Math.round(days)))) : null;
  }
  const offered: readonly string[] | null =
    kind === 'skip' && key === 'reason' ? options.skipReasons
      : kind === 'escalate' && key === 'level' ? options.escalationLevels.map((level) => level.value)
        : kind === 'schedule_meeting' && key === 'duration_minutes' ? options.meetingDurations.map(String)
          : kind === 'create_task' && key === 'priority' ? options.taskPriorities.map((priority) => priority.value)
            : null;
  return offered === null || offered.includes(text) ? text : null;
}

/** Send Email with exactly one approved draft: that draft is the one chosen. */
export function preselectOnlyDraft(kind: ActionKind, values: FormValues, approvedDrafts: readonly { id: string }[]): FormValues {
  if (kind !== 'send_email' || values.artifact_id || approvedDrafts.length !== 1) return values;
  return { ...values, artifact_id: approvedDrafts[0]!.id };
}

/** The meeting's start as chosen, in the browser's time zone (10:00 when no time is given). */
function meetingStart(values: FormValues): Date {
  return new Date(`${values.date}T${values.time || '10:00'}`);
}

/** The meeting's attendees as typed, comma separated, empty entries left out. */
function attendeesOf(values: FormValues): string[] {
  return (values.attendees ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
}

/** Whether `address` is among the attendees typed or picked (addresses compared without case). */
export function hasAttendee(values: FormValues, address: string): boolean {
  const wanted = address.trim().toLowerCase();
  return attendeesOf(values).some((entry) => entry.toLowerCase() === wanted);
}

/**
 * The attendees with a stakeholder picked (added at the end, once) or unpicked (every entry
 * of that address taken out); what was typed otherwise stays as it was.
 */
export function withAttendee(values: FormValues, address: string, picked: boolean): FormValues {
  const wanted = address.trim().toLowerCase();
  const others = attendeesOf(values).filter((entry) => entry.toLowerCase() !== wanted);
  const next = picked ? [...others, address.trim()] : others;
  return { ...values, attendees: next.join(', ') };
}

/** The first problem of a form and the field (its input's name) it is shown beside. */
export interface FieldProblem { field: string; message: string }

/**
 * Returns the first problem and its field, or null when the form can be sent (`now`: the time a
 * meeting must not have ended by; `timeZone`: the organisation's, which a due day is counted in).
 */
export function findProblem(kind: ActionKind, values: FormValues, config: Record<string, unknown> = {}, now: Date = new Date(), timeZone?: string): FieldProblem | null {
  const options = actionOptions(config);
  const at = (field: string, message: string): FieldProblem => ({ field, message });
  switch (kind) {
    case 'snooze': {
      const days = Number(values.days);
      const { minDays: min, maxDays: max } = options.snooze;
      if (!Number.isInteger(days) || days < min || days > max) return at('days', `Snooze for between ${min} and ${max} days.`);
      if (!values.reason?.trim()) return at('reason', 'Give a reason for snoozing.');
      return null;
    }
    case 'skip': return options.skipReasons.includes(values.reason ?? '') ? null : at('reason', 'Choose why this step is skipped.');
    case 'escalate':
      if (!options.escalationLevels.some((level) => level.value === values.level)) return at('level', 'Choose whom to escalate to.');
      return values.reason?.trim() ? null : at('reason', 'Say why you are escalating.');
    case 'schedule_meeting': {
      if (!options.meetingDurations.includes(Number(values.duration_minutes))) return at('duration_minutes', 'Choose one of the meeting lengths offered.');
      if (!values.date) return at('date', 'Choose a date for the meeting.');
      // The server's rule: a meeting that has ended before now is not scheduled.
      if (meetingStart(values).getTime() + Number(values.duration_minutes) * 60_000 < now.getTime()) {
        return at('date', 'This time has passed: choose a date and time from now on. To record a meeting that took place, log it as activity on the customer.');
      }
      const notAnAddress = attendeesOf(values).find((entry) => !isEmailAddress(entry));
      return notAnAddress === undefined ? null
        : at('attendees', `“${notAnAddress}” is not an email address. Separate addresses with commas, such as olivia@litware.example, sam@acme.example.`);
    }
    case 'send_email': return values.artifact_id ? null : at('artifact_id', 'Choose an approved email draft to send.');
    case 'create_task': {
      if (!values.title?.trim()) return at('title', 'Give the task a title.');
      if (!values.due_date) return at('due_date', 'Choose a due date.');
      const dayGone = dueDateProblem(values.due_date, timeZone ?? 'UTC', now);
      if (dayGone) return at('due_date', dayGone);
      if (!options.taskPriorities.some((priority) => priority.value === values.priority)) return at('priority', 'Choose one of the priorities offered.');
      return null;
    }
    default: return null;
  }
}

/** Returns a message for the first problem, or null when the form can be sent. */
export function validate(kind: ActionKind, values: FormValues, config: Record<string, unknown> = {}): string | null {
  return findProblem(kind, values, config)?.message ?? null;
}

/** The params object sent to execute_action. */
export function toParams(kind: ActionKind, values: FormValues): Record<string, unknown> {
  switch (kind) {
    case 'snooze': return { days: Number(values.days), reason: values.reason?.trim() };
    case 'skip': return { reason: values.reason, ...(values.note?.trim() ? { note: values.note.trim() } : {}) };
    case 'escalate': return { level: values.level, reason: values.reason?.trim() };
    case 'schedule_meeting': {
      const attendees = attendeesOf(values);
      const scheduledAt = meetingStart(values).toISOString();
      return { duration_minutes: Number(values.duration_minutes), scheduled_at: scheduledAt, attendees };
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
