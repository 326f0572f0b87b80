// What the step panel says after a branch was followed, from choose_chat_branch's answer.
import { describe, expect, it } from 'vitest';
import { describeRoute, type BranchChoice } from './branchApi.ts';

const titles: Record<string, string> = { 'review-health': 'Review health', 'update-plan': 'Update the plan' };
const titleOf = (key: string) => titles[key] ?? key;

function choice(status: string, route: Partial<NonNullable<BranchChoice['route']>> | null, type = 'saved_action'): BranchChoice {
  return {
    branch: { key: 'skip-step', type, label: 'Skip this step' },
    step_key: 'update-plan',
    response_text: null,
    action: null,
    route: route === null ? null : { moved: false, direction: 'stay', skipped: [], ...route },
    replayed: false,
    execution: { status },
  } as unknown as BranchChoice;
}

describe('describeRoute', () => {
  it('says where the workflow moved and which steps were jumped over', () => {
    expect(describeRoute(choice('in_progress', { moved: true, to: 'update-plan', skipped: ['review-health'] }), titleOf))
      .toBe('Now at “Update the plan”. Skipped as not applicable: Review health.');
  });

  it('says the workflow is complete when the last step finished it', () => {
    expect(describeRoute(choice('completed_with_pending_tasks', {}), titleOf)).toBe('The workflow is complete.');
  });

  it('says the workflow was skipped when its last step was skipped and none was done', () => {
    expect(describeRoute(choice('skipped', {}), titleOf)).toBe('The workflow is closed as skipped: none of its steps was done.');
  });
});
