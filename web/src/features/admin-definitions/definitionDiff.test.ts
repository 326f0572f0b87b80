import { describe, expect, it } from 'vitest';
import { diffDefinitions } from './definitionDiff.ts';
import type { WorkflowDefinition } from './api.ts';

const before: WorkflowDefinition = {
  steps: [
    { key: 'a', title: 'Review', type: 'review', prompt_template: 'Look.', artifact_types: ['summary'], branches: [{ key: 'go', label: 'Go on', type: 'fixed', response_text: 'Ok', next_step_key: 'b' }] },
    { key: 'b', title: 'Call', type: 'meeting', prompt_template: 'Call.', artifact_types: [], branches: [] },
  ],
};

describe('the diff of two definition versions', () => {
  it('says nothing changed when nothing did', () => {
    expect(diffDefinitions(before, before)).toEqual([]);
  });

  it('names edited, added, removed and moved steps and choices', () => {
    const after: WorkflowDefinition = {
      steps: [
        { key: 'b', title: 'Call', type: 'meeting', prompt_template: 'Call.', artifact_types: [], branches: [] },
        { key: 'a', title: 'Review the account', type: 'review', prompt_template: 'Look.', artifact_types: ['summary'], branches: [] },
        { key: 'c', title: 'Record', type: 'outcome', prompt_template: 'Write.', artifact_types: [], branches: [] },
      ],
    };
    expect(diffDefinitions(before, after)).toEqual([
      { kind: 'moved', where: 'Step 1 “Call”', before: 'position 2', after: 'position 1' },
      { kind: 'moved', where: 'Step 2 “Review the account”', before: 'position 1', after: 'position 2' },
      { kind: 'changed', where: 'Step 2 “Review the account”', field: 'Title', before: 'Review', after: 'Review the account' },
      { kind: 'removed', where: 'Step 2 “Review the account” › choice “Go on”' },
      { kind: 'added', where: 'Step 3 “Record”' },
    ]);
  });

  it("names a step or choice whose title is cleared by its saved one, each field and kind as the editor labels them, a step and an action by name", () => {
    const after: WorkflowDefinition = {
      steps: [
        { ...before.steps[0]!, title: '', branches: [{ key: 'go', label: ' ', type: 'saved_action', saved_action_key: 'snooze' }] },
        { ...before.steps[1]!, type: 'outcome', prompt_template: 'Call them.' },
      ],
    };
    expect(diffDefinitions(before, after, (key) => (key === 'snooze' ? 'Snooze Workflow' : key))).toEqual([
      { kind: 'changed', where: 'Step 1 “Review”', field: 'Title', before: 'Review', after: '—' },
      { kind: 'changed', where: 'Step 1 “Review” › choice “Go on”', field: 'Label', before: 'Go on', after: '—' },
      { kind: 'changed', where: 'Step 1 “Review” › choice “Go on”', field: 'Kind', before: 'Fixed answer', after: 'Saved action' },
      { kind: 'changed', where: 'Step 1 “Review” › choice “Go on”', field: 'Answer shown', before: 'Ok', after: '—' },
      { kind: 'changed', where: 'Step 1 “Review” › choice “Go on”', field: 'Then go to', before: '“Call”', after: '—' },
      { kind: 'changed', where: 'Step 1 “Review” › choice “Go on”', field: 'Action', before: '—', after: 'Snooze Workflow' },
      { kind: 'changed', where: 'Step 2 “Call”', field: 'Type', before: 'Meeting', after: 'Outcome' },
      { kind: 'changed', where: 'Step 2 “Call”', field: 'Prompt template', before: 'Call.', after: 'Call them.' },
    ]);
  });
});
