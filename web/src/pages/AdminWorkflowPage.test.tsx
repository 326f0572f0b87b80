// @vitest-environment happy-dom
// Admin → Workflows → one definition: its save form ends as a dialog does, the way out
// (Discard changes) first and the action that goes on (Save as version N) last.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminWorkflowPage } from './AdminWorkflowPage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';

afterEach(cleanup);

const step = { key: 'a', title: 'Align', type: 'review', prompt_template: '', expected_artifacts: [], branches: [] };
const definition = { key: 'demo', name: 'Demo', steps: [step] };
const skipChoice = { key: 'skip-step', label: 'Skip this step', type: 'saved_action', saved_action_key: 'snooze', config: { defaults: { days: 7 } } };
// A definition the schema takes, so that only what a test changes is a problem.
const validStep = { key: 'a', title: 'Align', type: 'review', prompt_template: 'Review {{customer.name}}.' };
const withChoice = { name: 'Demo', steps: [{ ...validStep, branches: [skipChoice] }, { ...validStep, key: 'b', title: 'Book' }] };

function openDefinition(doc: unknown) {
  const { wrap } = cannedWorkspace('admin', {
    get_workflow_definition: () => ({ key: 'demo', name: 'Demo', version: 3, scope: 'org', enabled: true, definition: doc, previous: null }),
    list_saved_actions: () => [{ key: 'snooze', name: 'Snooze Workflow', type: 'snooze', config: {} }],
  });
  render(<AdminWorkflowPage workflowKey="demo" />, { wrapper: wrap });
}

describe('a workflow definition page', () => {
  it('says a definition with no earlier version is the first, rather than listing each of its steps as added', async () => {
    openDefinition(withChoice);
    const changes = await screen.findByRole('region', { name: 'Changes' });
    expect(changes.textContent).toBe('ChangesThis is the first version.');
    expect(within(changes).queryByText('Added')).toBeNull();
    // Once something is typed, the list says what it is.
    fireEvent.change(screen.getByLabelText('Step 2 title'), { target: { value: 'Book the call' } });
    const pending = screen.getByRole('region', { name: 'Your changes to version 3' });
    expect(within(pending).getAllByRole('listitem').length).toBe(1);
  });

  it('puts the focus on what a save did ("Saved as version 4. …"), its Save button disabled with nothing left to save', async () => {
    const { wrap } = cannedWorkspace('admin', {
      get_workflow_definition: () => ({ key: 'demo', name: 'Demo', version: 3, scope: 'org', enabled: true, definition: withChoice, previous: null }),
      list_saved_actions: () => [{ key: 'snooze', name: 'Snooze Workflow', type: 'snooze', config: {} }],
      save_workflow_definition: (args) => ({ key: 'demo', name: 'Demo', version: 4, scope: 'org', enabled: true, definition: args.definition, previous: { version: 3, scope: 'org', definition: withChoice } }),
    });
    render(<AdminWorkflowPage workflowKey="demo" />, { wrapper: wrap });
    fireEvent.change(await screen.findByLabelText('Step 2 title'), { target: { value: 'Book the call' } });
    const save = screen.getByRole('button', { name: 'Save as version 4' });
    save.focus();
    fireEvent.click(save);
    const said = await screen.findByText(/^Saved as version 4\./);
    await waitFor(() => expect(document.activeElement).toBe(said));
  });

  it('puts Discard changes before Save as version N', async () => {
    const { wrap } = cannedWorkspace('admin', {
      get_workflow_definition: () => ({ key: 'demo', name: 'Demo', version: 3, scope: 'org', enabled: true, definition, previous: null }),
      list_saved_actions: () => [],
    });
    render(<AdminWorkflowPage workflowKey="demo" />, { wrapper: wrap });
    const save = await screen.findByRole('region', { name: 'Save' });
    expect(within(save).getAllByRole('button').map((button) => button.textContent)).toEqual(['Discard changes', 'Save as version 4']);
  });

  it('says what to fix before saving in the editor\'s words, never the schema\'s paths ("steps[0].title")', async () => {
    openDefinition(withChoice);
    fireEvent.change(await screen.findByLabelText('Step 2 title'), { target: { value: '  ' } });
    const problems = screen.getByRole('list', { name: 'Problems to fix before saving' });
    expect(within(problems).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['Step 2 · Title: must not be blank']);
    expect((screen.getByRole('button', { name: 'Save as version 4' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says default params that are no JSON beside their field, in the app\'s words, and saves nothing until they are', async () => {
    openDefinition(withChoice);
    const params = await screen.findByLabelText(/Default params/);
    fireEvent.change(params, { target: { value: '{days: 7' } });
    fireEvent.blur(params);
    const said = screen.getByText('Write the params as JSON, e.g. {"days": 7}.');
    expect(params.getAttribute('aria-describedby')).toContain(said.id);
    expect(params.getAttribute('aria-invalid')).toBe('true');
    expect((params as HTMLInputElement).validationMessage ?? '').toBe('');
    const problems = screen.getByRole('list', { name: 'Problems to fix before saving' });
    expect(within(problems).getByText('Step 1, choice 1 · Default params: write them as JSON, e.g. {"days": 7}')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save as version 4' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(params, { target: { value: '{"days": 3}' } });
    fireEvent.blur(params);
    expect(screen.queryByText('Write the params as JSON, e.g. {"days": 7}.')).toBeNull();
    expect((screen.getByRole('button', { name: 'Save as version 4' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('lists the changes in the editor\'s words: a step cleared of its title by its saved one, a field by its label', async () => {
    openDefinition(withChoice);
    fireEvent.change(await screen.findByLabelText('Step 2 title'), { target: { value: '' } });
    fireEvent.change(screen.getAllByLabelText(/Prompt template/)[1]!, { target: { value: '' } });
    const changes = screen.getByRole('region', { name: 'Your changes to version 3' });
    const lines = within(changes).getAllByRole('listitem').map((item) => item.textContent);
    expect(lines[0]).toMatch(/^Changed Step 2 “Book” — Title/);
    expect(lines[1]).toMatch(/^Changed Step 2 “Book” — Prompt template/);
    const problems = screen.getByRole('list', { name: 'Problems to fix before saving' });
    expect(within(problems).getAllByRole('listitem').map((item) => item.textContent))
      .toEqual(['Step 2 · Title: must not be blank', 'Step 2 · Prompt template: must not be blank']);
  });
});
