// @vitest-environment happy-dom
// A reason left empty (a manager's guidance, a cancellation's reason) is said beside its box,
// which takes the focus, and goes once something is typed; another field says its own problem (useNewAssignee).
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

  it('checks its other fields first, which say their own problem, and sends nothing', () => {
    let checked = 0;
    let sent = false;
    render(<ReasonDialog title="Resolve the escalation" label="Note for both of them" submitLabel="Reassign"
      check={() => { checked += 1; return false; }} onSubmit={async () => { sent = true; }} onClose={() => {}} />);
    fireEvent.change(screen.getByLabelText('Note for both of them'), { target: { value: 'Casey knows them' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign' }));
    expect(checked).toBe(1);
    expect(sent).toBe(false);
    expect(screen.queryByRole('alert'), 'nothing said at the foot, nor beside the note').toBeNull();
  });

  it('tells an empty reason what to write when given the words for it', () => {
    render(<ReasonDialog title="Complete with steps left?" label="Why the remaining steps are not needed" missingMessage="Say why the remaining steps are not needed."
      submitLabel="Skip 3 and complete" onSubmit={async () => {}} onClose={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Skip 3 and complete' }));
    expect(screen.getByRole('alert').textContent).toBe('Say why the remaining steps are not needed.');
  });
});
