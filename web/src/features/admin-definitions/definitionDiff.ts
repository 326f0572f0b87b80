// What changed between two versions of a workflow definition, in words an admin reads:
// steps added, removed, moved or edited, and the same for each step's branches.
import type { WorkflowBranch, WorkflowDefinition, WorkflowStep } from './api.ts';

export interface Change {
  kind: 'added' | 'removed' | 'changed' | 'moved';
  where: string;
  field?: string;
  before?: string;
  after?: string;
}

const STEP_FIELDS = ['title', 'type', 'prompt_template', 'artifact_types'] as const;
const BRANCH_FIELDS = ['label', 'type', 'response_text', 'next_step_key', 'prompt_template', 'allow_off_script', 'saved_action_key', 'return_step_key', 'config'] as const;
const FIELD_WORDS: Record<string, string> = {
  title: 'title', type: 'type', prompt_template: 'prompt template', artifact_types: 'expected artifacts', label: 'label',
  response_text: 'response', next_step_key: 'next step', allow_off_script: 'off-script questions', saved_action_key: 'action',
  return_step_key: 'return step', config: 'default params', name: 'name', description: 'description', base_score: 'score',
};

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null) || (show(a) === '—' && show(b) === '—');
}

function fieldChanges(where: string, before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[]): Change[] {
  return fields.filter((field) => !same(before[field], after[field]))
    .map((field) => ({ kind: 'changed' as const, where, field: FIELD_WORDS[field] ?? field, before: show(before[field]), after: show(after[field]) }));
}

function branchChanges(stepWhere: string, before: WorkflowBranch[], after: WorkflowBranch[]): Change[] {
  const beforeByKey = new Map(before.map((branch) => [branch.key, branch]));
  const afterKeys = new Set(after.map((branch) => branch.key));
  const changes: Change[] = [];
  for (const branch of before) {
    if (!afterKeys.has(branch.key)) changes.push({ kind: 'removed', where: `${stepWhere} › choice “${branch.label}”` });
  }
  for (const branch of after) {
    const old = beforeByKey.get(branch.key);
    if (!old) changes.push({ kind: 'added', where: `${stepWhere} › choice “${branch.label}”` });
    else changes.push(...fieldChanges(`${stepWhere} › choice “${branch.label}”`, old as Record<string, unknown>, branch as Record<string, unknown>, BRANCH_FIELDS));
  }
  return changes;
}

/** The changes from `before` to `after`, in step order. */
export function diffDefinitions(before: WorkflowDefinition | null | undefined, after: WorkflowDefinition): Change[] {
  if (!before) return after.steps.map((step) => ({ kind: 'added' as const, where: `Step “${step.title}”` }));
  const changes = fieldChanges('Workflow', before as Record<string, unknown>, after as Record<string, unknown>, ['name', 'description', 'base_score']);
  const beforeSteps = new Map(before.steps.map((step, index) => [step.key, { step, index }]));
  const afterKeys = new Set(after.steps.map((step) => step.key));
  before.steps.forEach((step) => {
    if (!afterKeys.has(step.key)) changes.push({ kind: 'removed', where: `Step “${step.title}”` });
  });
  after.steps.forEach((step: WorkflowStep, index) => {
    const old = beforeSteps.get(step.key);
    const where = `Step ${index + 1} “${step.title}”`;
    if (!old) {
      changes.push({ kind: 'added', where });
      return;
    }
    if (old.index !== index) changes.push({ kind: 'moved', where, before: `position ${old.index + 1}`, after: `position ${index + 1}` });
    changes.push(...fieldChanges(where, old.step as Record<string, unknown>, step as Record<string, unknown>, STEP_FIELDS));
    changes.push(...branchChanges(where, old.step.branches ?? [], step.branches ?? []));
  });
  return changes;
}
