// @vitest-environment happy-dom
// Moving a step with ↑ / ↓ keeps the focus on that step's button at its new place (its other
// arrow once it reaches an end), so pressing ↓ again moves the same step on; before, the focus
// stayed where the step was, on the arrow of the step that took its place.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { WorkflowEditor } from './WorkflowEditor.tsx';
import type { WorkflowDefinition } from './api.ts';

afterEach(cleanup);

const step = (key: string, title: string) => ({ key, title, type: 'review', prompt_template: '', expected_artifacts: [], branches: [] });
const DRAFT = { key: 'demo', name: 'Demo', steps: [step('a', 'Align'), step('b', 'Brief'), step('c', 'Close')] } as unknown as WorkflowDefinition;

function Editor() {
  const [draft, setDraft] = useState(DRAFT);
  return <WorkflowEditor draft={draft} onChange={setDraft} actions={[]} />;
}

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;
const titles = () => (screen.getAllByLabelText(/^Step \d title$/) as HTMLInputElement[]).map((input) => input.value);

describe('the workflow editor', () => {
  // Each step is headed by its title, its key after it in words ("key a"), never "(a)" alone.
  it('heads each step with its title and its key in words', () => {
    render(<Editor />);
    const headings = screen.getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);
    expect(headings).toEqual(['Step 1: Align key a', 'Step 2: Brief key b', 'Step 3: Close key c']);
  });

  it('keeps the focus with the step it moves', async () => {
    render(<Editor />);
    button('Move step 1 down').focus();
    fireEvent.click(button('Move step 1 down'));
    expect(titles()).toEqual(['Brief', 'Align', 'Close']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.activeElement).toBe(button('Move step 2 down'));
    // Down again: the same step goes on, to the end, where its ↓ is disabled and its ↑ has the focus.
    fireEvent.click(document.activeElement as HTMLButtonElement);
    expect(titles()).toEqual(['Brief', 'Close', 'Align']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(button('Move step 3 down').disabled).toBe(true);
    expect(document.activeElement).toBe(button('Move step 3 up'));
  });
});
