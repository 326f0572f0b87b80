// A workflow definition's problems (workflowDefinitionProblems: the schema's, by path, as the
// API says them: "steps[1].branches[0].label: must not be blank") in the editor's words: where
// it is ("Step 2, choice 1") and the field by its label in the editor ("Label"), then what is
// wrong — "Step 2, choice 1 · Label: must not be blank".
import { humanize } from '../../lib/format.ts';

/** The editor's labels of a definition's fields, by their keys. */
const FIELD_LABELS: Record<string, string> = {
  title: 'Title', label: 'Label', key: 'Key', type: 'Kind', name: 'Name', description: 'Description',
  prompt_template: 'Prompt', response_text: 'Answer shown', next_step_key: 'Then go to', return_step_key: 'Then return to',
  saved_action_key: 'Action', defaults: 'Default params', artifact_types: 'Expected artifacts', base_score: 'Base score',
  trigger: 'Trigger', allow_off_script: 'Allow questions off the script', steps: 'Steps', branches: 'Choices',
};

/** Where a path points ("Step 2, choice 1") and the field there ("Label"). */
function placeOf(path: string): { where: string; field: string } {
  const where: string[] = [];
  const fields: string[] = [];
  for (const part of path.match(/[a-z_]+|\[\d+\]/g) ?? []) {
    const index = /^\[(\d+)\]$/.exec(part);
    const last = fields.at(-1);
    if (index && (last === 'steps' || last === 'branches')) {
      fields.pop();
      where.push(`${last === 'steps' ? (where.length ? 'step' : 'Step') : 'choice'} ${Number(index[1]) + 1}`);
    } else if (!index && part !== 'config') {
      fields.push(part);
    }
  }
  return { where: where.join(', '), field: fields.map((key) => FIELD_LABELS[key] ?? humanize(key)).join(' › ') };
}

/** One problem in the editor's words; one that names no path is kept as it is. */
export function definitionProblemWords(problem: string): string {
  const named = /^([a-z_]+(?:\.[a-z_]+|\[\d+\])*): (.*)$/.exec(problem);
  if (!named) return problem;
  const { where, field } = placeOf(named[1]!);
  return [where, field ? `${field}: ${named[2]}` : named[2]].filter(Boolean).join(' · ');
}
