// @vitest-environment happy-dom
// An action's notice belongs to that action: the next one replaces it, an action that
// starts clears it, and the person can dismiss it.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ActionNotice, useActionNotice } from './ActionNotice.tsx';

afterEach(cleanup);

function Page() {
  const notice = useActionNotice();
  return (
    <>
      <button type="button" onClick={() => notice.show('Snoozed for 3 days.')}>Snooze</button>
      <button type="button" onClick={() => notice.show('Task created.')}>Create task</button>
      <button type="button" onClick={notice.clear}>Complete step</button>
      <button type="button" onClick={() => notice.show('Escalation withdrawn.', { takeFocus: true })}>Withdraw</button>
      <ActionNotice notice={notice} />
    </>
  );
}

describe('an action\'s notice', () => {
  it('is replaced by the next action\'s notice', () => {
    render(<Page />);
    fireEvent.click(screen.getByRole('button', { name: 'Snooze' }));
    expect(screen.getByRole('status').textContent).toContain('Snoozed for 3 days.');
    fireEvent.click(screen.getByRole('button', { name: 'Create task' }));
    expect(screen.getAllByRole('status')).toHaveLength(1);
    expect(screen.getByRole('status').textContent).toContain('Task created.');
    expect(screen.queryByText('Snoozed for 3 days.')).toBeNull();
  });

  it('is cleared when a later action starts', () => {
    render(<Page />);
    fireEvent.click(screen.getByRole('button', { name: 'Snooze' }));
    fireEvent.click(screen.getByRole('button', { name: 'Complete step' }));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('can be dismissed', () => {
    render(<Page />);
    fireEvent.click(screen.getByRole('button', { name: 'Create task' }));
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss this notice' }));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('takes the focus when asked, for an action whose own button goes away with it', () => {
    render(<Page />);
    fireEvent.click(screen.getByRole('button', { name: 'Snooze' }));
    expect(document.activeElement).not.toBe(screen.getByRole('status'));
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw' }));
    expect(document.activeElement).toBe(screen.getByRole('status'));
  });
});
