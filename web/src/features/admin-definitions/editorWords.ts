// The workflow editor's words for a definition's fields and kinds, in one place: the editor's
// labels and lists, its problems before saving (problemWords.ts) and the list of changes
// (definitionDiff.ts) all name a field and a kind the same way.
import { humanize } from '../../lib/format.ts';
import type { WorkflowBranch } from './api.ts';

/** The editor's labels of a definition's fields, by their keys. */
const FIELD_LABELS: Record<string, string> = {
  title: 'Title', label: 'Label', key: 'Key', type: 'Kind', name: 'Name', description: 'Description',
  prompt_template: 'Prompt', response_text: 'Answer shown', next_step_key: 'Then go to', return_step_key: 'Then return to',
  saved_action_key: 'Action', defaults: 'Default params', config: 'Default params', artifact_types: 'Expected artifacts',
  base_score: 'Base score', trigger: 'Trigger', allow_off_script: 'Allow questions off the script', steps: 'Steps', branches: 'Choices',
};

// Where a step's label differs from a choice's for the same key.
const STEP_FIELD_LABELS: Record<string, string> = { type: 'Type', prompt_template: 'Prompt template' };
const CHOICE_FIELD_LABELS: Record<string, string> = { prompt_template: 'Prompt for the assistant' };

/** A field by the editor's label, on a step or a choice ("prompt_template" → "Prompt template", "Prompt for the assistant"). */
export function fieldLabel(key: string, on: 'step' | 'choice' | null = null): string {
  const own = on === 'step' ? STEP_FIELD_LABELS : on === 'choice' ? CHOICE_FIELD_LABELS : {};
  return own[key] ?? FIELD_LABELS[key] ?? humanize(key);
}

/** The kinds of choice the editor offers, each by its label. */
export const BRANCH_TYPES: { value: WorkflowBranch['type']; label: string }[] = [
  { value: 'fixed', label: 'Fixed answer' }, { value: 'llm', label: 'AI chat' },
  { value: 'saved_action', label: 'Saved action' }, { value: 'rag', label: 'Ask the history' },
];

/** A step's kind as the editor's list says it ("review" → "Review"). */
export function stepTypeLabel(type: string): string {
  return humanize(type);
}

/** A choice's kind as the editor's list says it ("saved_action" → "Saved action"). */
export function branchTypeLabel(type: string): string {
  return BRANCH_TYPES.find((entry) => entry.value === type)?.label ?? humanize(type);
}
