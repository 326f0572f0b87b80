// A workflow definition's problems (workflowDefinitionProblems: the schema's, by path, as the
// API says them: "steps[1].branches[0].label: must not be blank") in the editor's words: where
// it is ("Step 2, choice 1") and the field by its label in the editor ("Label"), then what is
// wrong — "Step 2, choice 1 · Label: must not be blank".
import { fieldLabel } from './editorWords.ts';

/** Where a path points ("Step 2, choice 1") and the field there ("Label"). */
function placeOf(path: string): { where: string; field: string } {
  const where: string[] = [];
  const fields: string[] = [];
  let on: 'step' | 'choice' | null = null;
  for (const part of path.match(/[a-z_]+|\[\d+\]/g) ?? []) {
    const index = /^\[(\d+)\]$/.exec(part);
    const last = fields.at(-1);
    if (index && (last === 'steps' || last === 'branches')) {
      fields.pop();
      on = last === 'steps' ? 'step' : 'choice';
      where.push(`${last === 'steps' ? (where.length ? 'step' : 'Step') : 'choice'} ${Number(index[1]) + 1}`);
    } else if (!index && part !== 'config') {
      fields.push(part);
    }
  }
  return { where: where.join(', '), field: fields.map((key) => fieldLabel(key, on)).join(' › ') };
}

/** One problem in the editor's words; one that names no path is kept as it is. */
export function definitionProblemWords(problem: string): string {
  const named = /^([a-z_]+(?:\.[a-z_]+|\[\d+\])*): (.*)$/.exec(problem);
  if (!named) return problem;
  const { where, field } = placeOf(named[1]!);
  return [where, field ? `${field}: ${named[2]}` : named[2]].filter(Boolean).join(' · ');
}
