// @vitest-environment happy-dom
// A workflow's meeting under "Tasks and meetings" says what became of its invite in the words an
// action's result uses, never the database's "invite stored".
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { WorkflowExecution } from '../../lib/types.ts';
import { WorkSection } from './WorkflowExtras.tsx';

afterEach(cleanup);

function withMeeting(invite: string) {
  const execution = {
    tasks: [],
    meetings: [{ id: 'm1', title: 'Follow-up: Contoso', task_id: null, attendees: [], scheduled_at: '2026-12-13T10:00:00Z', duration_minutes: 30, invite_status: invite, invite_ics: null, created_at: '2026-12-06T10:00:00Z' }],
  } as unknown as WorkflowExecution;
  render(<WorkSection execution={execution} showCompletedTasks={false} />);
  return screen.getByText('Follow-up: Contoso').closest('li')!;
}

describe('a workflow\'s meeting', () => {
  it('says its invite is saved with the meeting, not sent, rather than "invite stored"', () => {
    const line = withMeeting('stored');
    expect(line.textContent).toMatch(/· 30 min · invite saved with the meeting, not sent to the attendees$/);
    expect(line.textContent).not.toMatch(/invite stored/);
  });

  it('keeps the calendar sign out of what a screen reader says', () => {
    const line = withMeeting('failed');
    expect(line.querySelector('[aria-hidden="true"]')?.textContent?.trim()).toBe('📅');
    expect(line.textContent).toMatch(/· the invite could not be made$/);
  });
});
