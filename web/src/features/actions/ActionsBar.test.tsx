// @vitest-environment happy-dom
// A snoozed workflow offers no Snooze: the server refuses to snooze it again ("already snoozed
// until…"), and Wake now is there instead. A step is skipped only while the workflow is in
// progress (action_skip refuses it queued or snoozed); every other action stays.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { ActionsBar } from './ActionsBar.tsx';
import type { SavedAction } from '../../lib/types.ts';

afterEach(cleanup);

const action = (key: string, type: string, name: string) => ({ key, type, name, config: {} }) as unknown as SavedAction;
const ACTIONS = [action('send_email', 'send_email', 'Send Email'), action('park_it', 'snooze', 'Park it'), action('skip', 'skip', 'Skip Step')];

const names = () => screen.getAllByRole('button').map((button) => button.textContent);

describe('the actions of a workflow', () => {
  it('offers no snooze, under any name, on a snoozed workflow, nor a skip', () => {
    render(<ActionsBar actions={ACTIONS} status="snoozed" onRun={() => {}} />);
    expect(names()).toEqual(['Send Email']);
  });

  it('offers no skip, under any name, on a workflow not started: there is no step under way to skip', () => {
    // The server refuses it ("Cannot skip a step: the workflow is still in the queue"): offered,
    // the CSM chose a reason and pressed it for nothing.
    render(<ActionsBar actions={[...ACTIONS, action('pass_step', 'skip', 'Pass')]} status="queued" onRun={() => {}} />);
    expect(names()).toEqual(['Send Email', 'Park it']);
  });

  it('offers them all on a workflow in progress', () => {
    render(<ActionsBar actions={ACTIONS} status="in_progress" onRun={() => {}} />);
    expect(names()).toEqual(['Send Email', 'Skip Step', 'Park it']);
  });
});
