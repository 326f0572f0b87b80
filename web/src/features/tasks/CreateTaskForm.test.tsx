// @vitest-environment happy-dom
// The new-task form offers the priorities the server defines (list_task_options, read from
// the lookup table app.task_priorities), with their labels: a priority added on the server
// appears in the form with nothing changed in the web app. Runs against the test stack.
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import { lookupRows, withAddedLookupEntry } from '../actions/stackWorkspace.tsx';
import { CreateTaskForm } from './CreateTaskForm.tsx';

const added = withAddedLookupEntry('app.task_priorities', 'Hair on fire');

describe('the new-task form', () => {
  it('offers the server\'s priorities with their labels, a newly added one too', async () => {
    const expected = await lookupRows('app.task_priorities');
    render(<CreateTaskForm customer={{ id: 'c', name: 'Globex' }} onCreated={() => undefined} />, { wrapper: added.signedIn.SignedIn });
    const select = within(screen.getByRole('form', { name: 'New task' })).getByLabelText('Priority') as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(expected.length));
    expect(Array.from(select.options).map((option) => ({ key: option.value, label: option.textContent }))).toEqual(expected);
    expect(expected.at(-1)).toEqual({ key: added.key, label: 'Hair on fire' });
    expect(select.value).toBe('medium');
  });
});
