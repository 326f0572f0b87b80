// @vitest-environment happy-dom
// A reason left empty (a manager's guidance, a cancellation's reason) is said beside its box,
// which takes the focus, and goes once something is typed; another field's problem stays general.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ReasonDialog } from './ReasonDialog.tsx';

afterEach(cleanup);

describe('a reason dialog', () => {
  it('says an empty reason beside its box, which takes the focus, until something is typed', () => {
    let sent: string | null = null;
    render(<ReasonDialog title="Resolve the escalation" label="Guidance for the assignee" submitLabel="Return with guidance"
      onSubmit={async (reason) => { sent = reason; }} onClose={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Return with guidance' }));
    const box = screen.getByLabelText('Guidance for the assignee');
    const message = screen.getByRole('alert');
    expect(message.textContent).toBe('Guidance for the assignee is required.');
    expect(box.getAttribute('aria-describedby')).toBe(message.id);
    expect(document.activeElement).toBe(box);
    fireEvent.change(box, { target: { value: 'Offer the 2-year price' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(sent).toBeNull();
  });

  it('says a problem with its other fields first, as before', async () => {
    render(<ReasonDialog title="Resolve the escalation" label="Note for both of them" submitLabel="Reassign"
      check={() => 'Choose who takes the workflow over.'} onSubmit={async () => {}} onClose={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Reassign' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Choose who takes the workflow over.');
    expect(screen.getByLabelText('Note for both of them').getAttribute('aria-invalid')).toBeNull();
  });

  it('tells an empty reason what to write when given the words for it', () => {
    render(<ReasonDialog title="Complete with steps left?" label="Why the remaining steps are not needed" missingMessage="Say why the remaining steps are not needed."
      submitLabel="Skip 3 and complete" onSubmit={async () => {}} onClose={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Skip 3 and complete' }));
    expect(screen.getByRole('alert').textContent).toBe('Say why the remaining steps are not needed.');
  });
});
