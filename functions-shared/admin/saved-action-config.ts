// A saved action's config per action type: the options its form offers and the limits
// execute_action enforces (snooze days, skip reasons, escalation levels, meeting
// durations, task priorities).
//
// Direction: these zod schemas are the source; the database enforces the same rules in
// app.saved_action_config_problems (supabase/migrations/20261204001200_admin.sql)
// and tests/integration/admin-definition-rules-agree.test.ts runs one set of fixtures
// through both. The web app's action forms read the options from the config that
// list_saved_actions returns (web/src/features/actions/actionForms.ts), never from constants.
//
// Task types, task priorities and escalation levels are not listed here: their one source
// is the database's lookup tables (app.task_types, app.task_priorities, app.escalation_levels;
// supabase/migrations/20261204000700_tasks.sql).
// The schemas that need them take them as `ConfigLookups`: what list_task_options and
// list_escalation_levels return.
import { z } from 'zod';
import { isBlankText } from '../text.ts';
import { LookupEntries } from '../api/shapes.ts';

export const ACTION_TYPES = ['snooze', 'skip', 'escalate', 'schedule_meeting', 'send_email', 'create_task', 'custom'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** A lookup's entries, in order: what list_escalation_levels returns (the API module's shape). */
export { LookupEntries };
/** What list_task_options returns: the task types and priorities (least urgent first), with labels. */
export const TaskOptions = z.object({ task_types: LookupEntries, priorities: LookupEntries });
export type TaskOptions = z.infer<typeof TaskOptions>;
/** The lookups a config is checked against. */
export type ConfigLookups = TaskOptions & { escalation_levels: LookupEntries };
const oneOf = (entries: LookupEntries, what: string) =>
  z.string().refine((key) => entries.some((entry) => entry.key === key), `must be ${what}`);

const distinct = <T>(values: readonly T[]) => new Set(values).size === values.length;
const wholeDays = z.number().int();

export const SnoozeConfig = z.strictObject({
  default_days: wholeDays, min_days: wholeDays, max_days: wholeDays,
  reason_required: z.literal(true),
}).refine((c) => c.min_days >= 1 && c.min_days <= c.default_days && c.default_days <= c.max_days && c.max_days <= 365,
  { message: 'snooze days must satisfy 1 ≤ min_days ≤ default_days ≤ max_days ≤ 365' });

export const SkipConfig = z.strictObject({
  reasons: z.array(z.string().max(80).refine((reason) => !isBlankText(reason), 'must not be blank')).min(1).max(20).refine(distinct, 'reasons must be distinct'),
  reason_required: z.literal(true),
});

export const escalateConfig = (lookups: ConfigLookups) => z.strictObject({
  levels: z.array(oneOf(lookups.escalation_levels, 'an escalation level')).min(1).refine(distinct, 'levels must be distinct'),
  default_level: z.string(),
  reason_required: z.literal(true),
  notify: z.literal('assignee_manager'),
}).refine((c) => c.levels.includes(c.default_level), { message: 'default_level must be one of levels', path: ['default_level'] });

export const ScheduleMeetingConfig = z.strictObject({
  durations_minutes: z.array(z.number().int().min(5).max(480)).min(1).max(12).refine(distinct, 'durations must be distinct'),
  default_duration_minutes: z.number(),
  date_required: z.boolean(),
  attendees_allowed: z.boolean(),
  creates_task_type: z.literal('schedule_meeting'),
}).refine((c) => c.durations_minutes.includes(c.default_duration_minutes),
  { message: 'default_duration_minutes must be one of durations_minutes', path: ['default_duration_minutes'] });

/** Fixed: whether a draft needs approval is the organisation's setting (email.require_approval). */
export const SendEmailConfig = z.strictObject({
  artifact_type: z.literal('email_draft'),
  requires_approval: z.literal('organisation_setting'),
  approval_setting: z.literal('require_email_approval'),
});

export const createTaskConfig = (lookups: ConfigLookups) => z.strictObject({
  due_date_required: z.literal(true),
  default_priority: z.string(),
  priorities: z.array(oneOf(lookups.priorities, 'a task priority')).min(1).refine(distinct, 'priorities must be distinct'),
  default_task_type: oneOf(lookups.task_types, 'a task type'),
}).refine((c) => c.priorities.includes(c.default_priority), { message: 'default_priority must be one of priorities', path: ['default_priority'] });

export const CustomConfig = z.record(z.string().regex(/^[a-z0-9]+(_[a-z0-9]+)*$/), z.union([z.string().max(500), z.number(), z.boolean()]))
  .refine((c) => Object.keys(c).length <= 20, 'at most 20 settings');

export const actionConfigSchemas = (lookups: ConfigLookups) => ({
  snooze: SnoozeConfig,
  skip: SkipConfig,
  escalate: escalateConfig(lookups),
  schedule_meeting: ScheduleMeetingConfig,
  send_email: SendEmailConfig,
  create_task: createTaskConfig(lookups),
  custom: CustomConfig,
}) satisfies Record<ActionType, z.ZodType>;

/** Readable problems with an action's full config, or an empty list. */
export function actionConfigProblems(actionType: string, config: unknown, lookups: ConfigLookups): string[] {
  const schema = (actionConfigSchemas(lookups) as Record<string, z.ZodType | undefined>)[actionType];
  if (!schema) return [`action_type must be one of ${ACTION_TYPES.join(', ')}`];
  const parsed = schema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
}
