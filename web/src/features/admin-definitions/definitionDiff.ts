// What changed between two versions of a workflow definition, in words an admin reads:
// steps added, removed, moved or edited, and the same for each step's branches.
// A field is named by the editor's label and a kind by the editor's list (editorWords.ts); a
// step or choice whose title is cleared in the draft is named by its saved title.
import { isBlankText } from '../../../../functions-shared/text.ts';
import { humanize } from '../../lib/format.ts';
import type { WorkflowBranch, WorkflowDefinition, WorkflowStep } from './api.ts';
import { branchTypeLabel, fieldLabel, stepTypeLabel } from './editorWords.ts';

export interface Change {
  kind: 'added' | 'removed' | 'changed' | 'moved';
  where: string;
  field?: string;
  before?: string;
  after?: string;
}

const STEP_FIELDS = ['title', 'type', 'prompt_template', 'artifact_types'] as const;
const BRANCH_FIELDS = ['label', 'type', 'response_text', 'next_step_key', 'prompt_template', 'allow_off_script', 'saved_action_key', 'return_step_key', 'config'] as const;
function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null) || (show(a) === '—' && show(b) === '—');
}

type On = 'step' | 'choice' | null;

/** Names for the keys a choice points at: a step by its title, a saved action by its name. */
interface Names { step: (key: string) => string; action: (key: string) => string }

/** A field's value as the editor shows it: a kind by its label, a step or action by its name, blank text as none. */
function valueWords(field: string, value: unknown, on: On, names: Names): string {
  if (typeof value !== 'string') return show(value);
  if (isBlankText(value)) return '—';
  if (field === 'type') return on === 'step' ? stepTypeLabel(value) : branchTypeLabel(value);
  if (field === 'next_step_key' || field === 'return_step_key') return names.step(value);
  if (field === 'saved_action_key') return names.action(value);
  return value;
}

function fieldChanges(where: string, before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[], on: On, names: Names): Change[] {
  return fields.filter((field) => !same(before[field], after[field]))
    .map((field) => ({ kind: 'changed' as const, where, field: fieldLabel(field, on),
      before: valueWords(field, before[field], on, names), after: valueWords(field, after[field], on, names) }));
}

/** A title or label as the list names it: the draft's, else (cleared) the saved one's. */
function titled(draft: string, saved: string | undefined): string {
  return `“${isBlankText(draft) && saved !== undefined ? saved : draft}”`;
}

function branchChanges(stepWhere: string, before: WorkflowBranch[], after: WorkflowBranch[], names: Names): Change[] {
  const beforeByKey = new Map(before.map((branch) => [branch.key, branch]));
  const afterKeys = new Set(after.map((branch) => branch.key));
  const changes: Change[] = [];
  for (const branch of before) {
    if (!afterKeys.has(branch.key)) changes.push({ kind: 'removed', where: `${stepWhere} › choice “${branch.label}”` });
  }
  for (const branch of after) {
    const old = beforeByKey.get(branch.key);
    const where = `${stepWhere} › choice ${titled(branch.label, old?.label)}`;
    if (!old) changes.push({ kind: 'added', where });
    else changes.push(...fieldChanges(where, old as Record<string, unknown>, branch as Record<string, unknown>, BRANCH_FIELDS, 'choice', names));
  }
  return changes;
}

/** The changes from `before` to `after`, in step order; `actionName` names a saved action by its key, as the editor's list does. */
export function diffDefinitions(before: WorkflowDefinition | null | undefined, after: WorkflowDefinition,
  actionName: (key: string) => string = humanize): Change[] {
  if (!before) return after.steps.map((step) => ({ kind: 'added' as const, where: `Step “${step.title}”` }));
  const titles = new Map([...before.steps, ...after.steps].filter((step) => !isBlankText(step.title)).map((step) => [step.key, step.title]));
  const names: Names = { step: (key) => `“${titles.get(key) ?? key}”`, action: actionName };
  const changes = fieldChanges('Workflow', before as Record<string, unknown>, after as Record<string, unknown>, ['name', 'description', 'base_score'], null, names);
  const beforeSteps = new Map(before.steps.map((step, index) => [step.key, { step, index }]));
  const afterKeys = new Set(after.steps.map((step) => step.key));
  before.steps.forEach((step) => {
    if (!afterKeys.has(step.key)) changes.push({ kind: 'removed', where: `Step “${step.title}”` });
  });
  after.steps.forEach((step: WorkflowStep, index) => {
    const old = beforeSteps.get(step.key);
    const where = `Step ${index + 1} ${titled(step.title, old?.step.title)}`;
    if (!old) {
      changes.push({ kind: 'added', where });
      return;
    }
    if (old.index !== index) changes.push({ kind: 'moved', where, before: `position ${old.index + 1}`, after: `position ${index + 1}` });
    changes.push(...fieldChanges(where, old.step as Record<string, unknown>, step as Record<string, unknown>, STEP_FIELDS, 'step', names));
    changes.push(...branchChanges(where, old.step.branches ?? [], step.branches ?? [], names));
  });
  return changes;
}
