// @vitest-environment happy-dom
// The team page asks who is looking before it loads anything: a CSM who opens /team is told
// it is for managers, and the browser sends no request the server would refuse.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { TeamPage } from './TeamPage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';

afterEach(cleanup);

describe('TeamPage', () => {
  it('tells a CSM it is for managers and asks the server nothing', async () => {
    const { wrap: Wrap, calls } = cannedWorkspace('csm', {});
    render(<Wrap><TeamPage /></Wrap>);
    expect(screen.getByText('The team overview is for managers and admins.')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([]);
  });

  it('loads the overview and the open escalations for a manager', async () => {
    const { wrap: Wrap, calls } = cannedWorkspace('manager', {});
    render(<Wrap><TeamPage /></Wrap>);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls.map((call) => call.name).sort()).toEqual(['get_team_overview', 'list_escalations']);
  });
});
