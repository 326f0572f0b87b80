// A task falls due today or later, in the organisation's time zone (docs/business-rules.md
// "Tasks"): the team shares one calendar, the one the Tasks views and the server count in. The
// forms that set a due date (New task, the Create Task action) say a day gone beside the Due
// field before anything is sent and send the day alone (the server reads it as that day in the
// organisation's time zone); the server checks again by the same rule, and a refusal of the due
// date it names is said beside the same field.
import { ApiError, joinSentences } from '../../lib/errors.ts';
import { dayIn } from '../../lib/format.ts';

/** What is wrong with a due day (YYYY-MM-DD) chosen on `now` in `timeZone` (the organisation's), or null: a day gone is refused. */
export function dueDateProblem(day: string, timeZone: string, now: Date = new Date()): string | null {
  return day && day < dayIn(now, timeZone) ? 'This day has passed: choose today or a later day.' : null;
}

/** The server's refusal of a due date (22023 naming due_date) in the form's words, or null for any other error. */
export function dueDateRefusal(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== '22023') return null;
  const named = /^(?:changes\.|params\.)?due_date\b\s*(.*)$/.exec(error.message);
  if (!named) return null;
  const message = `The due date ${named[1]}`.trim();
  return error.hint ? joinSentences(message, error.hint) : /[.!?]$/.test(message) ? message : `${message}.`;
}
