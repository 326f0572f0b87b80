// @vitest-environment happy-dom
// A snoozed workflow offers no Snooze: the server refuses to snooze it again ("already snoozed
// until…"), and Wake now is there instead; every other action stays.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { ActionsBar } from './ActionsBar.tsx';
import type { SavedAction } from '../../lib/types.ts';

afterEach(cleanup);

const action = (key: string, type: string, name: string) => ({ key, type, name, config: {} }) as unknown as SavedAction;
const ACTIONS = [action('send_email', 'send_email', 'Send Email'), action('park_it', 'snooze', 'Park it'), action('skip', 'skip', 'Skip Step')];

const names = () => screen.getAllByRole('button').map((button) => button.textContent);

describe('the actions of a workflow', () => {
  it('offers no snooze, under any name, on a snoozed workflow', () => {
    render(<ActionsBar actions={ACTIONS} status="snoozed" onRun={() => {}} />);
    expect(names()).toEqual(['Send Email', 'Skip Step']);
  });

  it('offers them all on a workflow in progress', () => {
    render(<ActionsBar actions={ACTIONS} status="in_progress" onRun={() => {}} />);
    expect(names()).toEqual(['Send Email', 'Skip Step', 'Park it']);
  });
});
