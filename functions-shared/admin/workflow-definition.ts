// The workflow definition document an admin edits: its one schema.
//
// Direction: this zod schema is the source. The JSON Schema (workflowDefinitionJsonSchema)
// is generated from it; the database enforces the same rules in
// app.workflow_definition_problems (supabase/migrations/20261204001200_admin.sql),
// and tests/integration/admin-definition-rules-agree.test.ts runs one set of valid and
// invalid fixtures through both, and compares the vocabularies, so they cannot drift.
// Rules that need an organisation's data (a saved_action branch names an action the
// organisation has, its default params fit that action's limits) are checked by the
// database only (app.workflow_definition_org_problems).
//
// JSON null counts as "absent" for optional fields on both sides.
import { z } from 'zod';
import { isBlankText, quotedBriefly } from '../text.ts';
import { displayable } from '../api/displayable.ts';

export const WORKFLOW_TYPES = ['renewal', 'strategic', 'risk', 'opportunity', 'custom'] as const;
export const TRIGGER_KINDS = ['manual', 'renewal_stage', 'schedule', 'score'] as const;
export const RENEWAL_STAGES = ['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor'] as const;
export const SCHEDULE_EVERY = ['month', 'quarter'] as const;
export const PLANS = ['invest', 'expand', 'manage', 'monitor'] as const;
export const SCORE_FIELDS = ['risk_score', 'opportunity_score'] as const;
export const STEP_TYPES = ['review', 'analysis', 'draft', 'meeting', 'action', 'outcome'] as const;
export const ARTIFACT_TYPES = [
  'email_draft', 'contract_analysis', 'meeting_notes', 'proposal_draft', 'recommendation',
  'assessment', 'action_plan', 'summary', 'custom',
] as const;
export const BRANCH_TYPES = ['fixed', 'llm', 'saved_action', 'rag'] as const;

export const LIMITS = {
  name: 120, description: 2000, change_note: 500, steps: 30, title: 200, prompt_template: 8000,
  branches: 12, label: 200, response_text: 4000, key: 64, sources: 10, defaults: 10, default_text: 500,
  base_score: 1000,
} as const;

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SNAKE = /^[a-z0-9]+(_[a-z0-9]+)*$/;

const kebabKey = z.string().max(LIMITS.key).regex(KEBAB, 'a key of lowercase words joined by hyphens');
const snakeKey = z.string().max(LIMITS.key).regex(SNAKE, 'a key of lowercase words joined by underscores');
/** Required text: not blank (the database's rule, app.trimmed: text.ts), at most `max` characters, of several lines. */
const text = (max: number) => displayable(z.string().max(max).refine((value) => !isBlankText(value), 'must not be blank'), { multiLine: true });
/** A required name, title or label: text on one line (app.definition_text_problem's rule). */
const line = (max: number) => displayable(z.string().max(max).refine((value) => !isBlankText(value), 'must not be blank'));
/** Optional text: absent or null, or a string of at most `max` characters, of several lines. */
const optionalText = (max: number) => displayable(z.string().max(max), { multiLine: true }).nullish();
const distinct = <T>(values: readonly T[]) => new Set(values.map((value) => JSON.stringify(value))).size === values.length;

export const Trigger = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('manual') }),
  z.strictObject({ kind: z.literal('renewal_stage'), stage: z.enum(RENEWAL_STAGES) }),
  z.strictObject({
    kind: z.literal('schedule'),
    every: z.enum(SCHEDULE_EVERY),
    plans: z.array(z.enum(PLANS)).min(1).refine(distinct, 'plans must be distinct').nullish(),
  }),
  z.strictObject({
    kind: z.literal('score'),
    field: z.enum(SCORE_FIELDS),
    min: z.number().int().min(0).max(100).nullish(),
  }),
]);

// A null value counts as absent (as everywhere in the document).
const defaultParam = z.union([z.string().max(LIMITS.default_text), z.number(), z.boolean()]).nullable();

export const FixedBranch = z.strictObject({
  key: kebabKey, label: line(LIMITS.label), type: z.literal('fixed'),
  response_text: text(LIMITS.response_text),
  next_step_key: kebabKey.nullish(),
});
export const LlmBranch = z.strictObject({
  key: kebabKey, label: line(LIMITS.label), type: z.literal('llm'),
  prompt_template: text(LIMITS.prompt_template),
  allow_off_script: z.boolean().nullish(),
});
export const RagBranch = z.strictObject({
  key: kebabKey, label: line(LIMITS.label), type: z.literal('rag'),
  prompt_template: optionalText(LIMITS.prompt_template),
  allow_off_script: z.boolean().nullish(),
  config: z.strictObject({ sources: z.array(snakeKey).max(LIMITS.sources).nullish() }).nullish(),
});
export const SavedActionBranch = z.strictObject({
  key: kebabKey, label: line(LIMITS.label), type: z.literal('saved_action'),
  saved_action_key: snakeKey,
  return_step_key: kebabKey.nullish(),
  config: z.strictObject({
    defaults: z.record(z.string().regex(SNAKE), defaultParam)
      .refine((defaults) => Object.keys(defaults).length <= LIMITS.defaults, `at most ${LIMITS.defaults} default params`)
      .nullish(),
  }).nullish(),
});
export const Branch = z.discriminatedUnion('type', [FixedBranch, LlmBranch, RagBranch, SavedActionBranch]);

export const Step = z.strictObject({
  key: kebabKey,
  title: line(LIMITS.title),
  type: z.enum(STEP_TYPES),
  prompt_template: text(LIMITS.prompt_template),
  artifact_types: z.array(z.enum(ARTIFACT_TYPES)).refine(distinct, 'artifact types must be distinct').nullish(),
  branches: z.array(Branch).max(LIMITS.branches).nullish(),
});

export const WorkflowDefinition = z.strictObject({
  name: line(LIMITS.name).nullish(),
  description: optionalText(LIMITS.description),
  type: z.enum(WORKFLOW_TYPES).nullish(),
  trigger: Trigger.nullish(),
  base_score: z.number().min(0).max(LIMITS.base_score).nullish(),
  steps: z.array(Step).min(1).max(LIMITS.steps),
  change_note: optionalText(LIMITS.change_note),
}).superRefine((definition, ctx) => {
  if (definition.trigger?.kind === 'renewal_stage' && definition.type != null && definition.type !== 'renewal') {
    ctx.addIssue({ code: 'custom', path: ['trigger'], message: 'a renewal_stage trigger needs type renewal' });
  }
  const stepKeys = new Set<string>();
  definition.steps.forEach((step, index) => {
    if (stepKeys.has(step.key)) ctx.addIssue({ code: 'custom', path: ['steps', index, 'key'], message: `"${quotedBriefly(step.key)}" is used by an earlier step` });
    stepKeys.add(step.key);
  });
  definition.steps.forEach((step, stepIndex) => {
    const branchKeys = new Set<string>();
    (step.branches ?? []).forEach((branch, branchIndex) => {
      const path = ['steps', stepIndex, 'branches', branchIndex];
      if (branchKeys.has(branch.key)) ctx.addIssue({ code: 'custom', path: [...path, 'key'], message: `"${quotedBriefly(branch.key)}" is used by an earlier branch of this step` });
      branchKeys.add(branch.key);
      const target = branch.type === 'fixed' ? branch.next_step_key : branch.type === 'saved_action' ? branch.return_step_key : null;
      const field = branch.type === 'fixed' ? 'next_step_key' : 'return_step_key';
      if (target != null && !stepKeys.has(target)) {
        ctx.addIssue({ code: 'custom', path: [...path, field], message: `"${quotedBriefly(target)}" is not a step of this workflow` });
      }
    });
  });
});

export type WorkflowDefinition = z.infer<typeof WorkflowDefinition>;
export type WorkflowStep = z.infer<typeof Step>;
export type WorkflowBranch = z.infer<typeof Branch>;
export type WorkflowTrigger = z.infer<typeof Trigger>;

/**
 * The same document as a JSON Schema (draft 2020-12), for editors and integrations. The
 * cross-field rules (unique keys, next/return steps that exist) are not expressible in it:
 * they are in the zod refinement above and in the database.
 */
export function workflowDefinitionJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(WorkflowDefinition, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** Readable problems ("steps[1].branches[0].next_step_key: …") or an empty list. */
export function workflowDefinitionProblems(value: unknown): string[] {
  const parsed = WorkflowDefinition.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${formatPath(issue.path)}${formatPath(issue.path) ? ': ' : ''}${issue.message}`);
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}
