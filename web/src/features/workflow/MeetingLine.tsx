// One meeting of a workflow: its title, when, how long, and what became of its invite, in the
// words an action's result uses ("saved with the meeting, not sent to the attendees"); before,
// the line ended in the database's "invite stored".
import { formatDateTime } from '../../lib/format.ts';
import type { Meeting } from '../../lib/types.ts';

const INVITE_WORDS: Record<string, string> = {
  pending: 'invite being prepared',
  stored: 'invite saved with the meeting, not sent to the attendees',
  failed: 'the invite could not be made',
};

export function MeetingLine({ meeting }: { meeting: Meeting }) {
  const invite = meeting.invite_status ? INVITE_WORDS[meeting.invite_status] ?? `invite ${meeting.invite_status}` : null;
  return (
    <li>
      <span aria-hidden="true">📅 </span><strong>{meeting.title ?? 'Meeting'}</strong>{' '}
      <span className="muted small">{formatDateTime(meeting.scheduled_at)} · {meeting.duration_minutes} min{invite ? ` · ${invite}` : ''}</span>
    </li>
  );
}
