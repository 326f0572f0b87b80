// A task falls due today or later (docs/business-rules.md "Tasks"). The forms that set a due
// date (New task, the Create Task action) say a day gone beside the Due field before anything
// is sent; the server checks again (with a day of grace for time zones) and a refusal of the
// due date it names is said beside the same field.
import { ApiError, joinSentences } from '../../lib/errors.ts';
import { localDay } from '../../lib/format.ts';

/** What is wrong with a due day (YYYY-MM-DD) chosen on `now`, or null: a day gone is refused. */
export function dueDateProblem(day: string, now: Date = new Date()): string | null {
  return day && day < localDay(now) ? 'This day has passed: choose today or a later day.' : null;
}

/** The server's refusal of a due date (22023 naming due_date) in the form's words, or null for any other error. */
export function dueDateRefusal(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== '22023') return null;
  const named = /^(?:changes\.|params\.)?due_date\b\s*(.*)$/.exec(error.message);
  if (!named) return null;
  const message = `The due date ${named[1]}`.trim();
  return error.hint ? joinSentences(message, error.hint) : /[.!?]$/.test(message) ? message : `${message}.`;
}
