// A proposal's parameters in the words the rest of the app uses: a level, priority or task
// type by its label ("VP of Customer Success", not "vp_cs"), the email draft by its title (not
// its id), whom a task is for by name, a day as "10 Dec 2026" and a time as the app says
// times, a meeting's length in minutes. Before, the card showed the API's values ("artifact
// id: 6c1e…", "due date: 2026-12-10", "assigned to: a0000000-…"): a person approving a task
// the assistant proposed for a colleague could not tell whom it would go to.
import { formatCalendarDay, formatDateTime, humanize } from '../../lib/format.ts';

export interface ParamWords {
  /** key → label of the server's lookups (escalation levels, task priorities and types). */
  labels?: Record<string, string>;
  /** email draft id → its title, of the workflow's artifacts. */
  draftTitles?: Record<string, string>;
  /** person id → their name, of the team (list_team_members). */
  people?: Record<string, string>;
}

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function valueInWords(key: string, value: unknown, words: ParamWords): string {
  if (Array.isArray(value)) return value.map((each) => valueInWords(key, each, words)).join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  const text = String(value);
  if (key === 'artifact_id') return words.draftTitles?.[text] ? `“${words.draftTitles[text]}”` : 'an email draft of this workflow';
  if (key === 'assigned_to') return words.people?.[text] ?? 'a colleague';
  if (key === 'duration_minutes') return `${text} minutes`;
  if (key === 'resend') return value === true ? 'yes' : 'no';
  if (CALENDAR_DAY.test(text)) return formatCalendarDay(text);
  if (TIMESTAMP.test(text)) return formatDateTime(text);
  return words.labels?.[text] ?? text;
}

const KEY_WORDS: Record<string, string> = { artifact_id: 'draft', duration_minutes: 'length', scheduled_at: 'when', resend: 'send again' };

/** "days: 7 · reason: Holiday", empty parameters left out. */
export function describeParams(params: Record<string, unknown>, words: ParamWords = {}): string {
  return Object.entries(params)
    .filter(([, value]) => value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${KEY_WORDS[key] ?? humanize(key).toLowerCase()}: ${valueInWords(key, value, words)}`)
    .join(' · ');
}
