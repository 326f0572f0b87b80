// @vitest-environment happy-dom
// Admin → People says when each person last signed in, in words ("last signed in 7 Dec 2026"),
// not the clipped "last in 7 Dec 2026".
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { AdminPeoplePage } from './AdminPeoplePage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';

afterEach(cleanup);

const PERSON = {
  id: 'p1', full_name: 'Casey Junior', email: 'casey.csm@acme.test', role: 'csm', manager_id: null, title: null, experience_level: null,
  status: 'active', invited_at: null, last_sign_in_at: '2026-12-07T09:15:00Z', open_workflows: 0, open_tasks: 0,
};

describe('the people of the organisation', () => {
  it('says when each person last signed in', async () => {
    const { wrap } = cannedWorkspace('admin', { list_people: () => [PERSON] });
    render(<AdminPeoplePage />, { wrapper: wrap });
    expect((await screen.findByText(/last signed in/)).textContent).toBe('last signed in 7 Dec 2026');
  });
});
