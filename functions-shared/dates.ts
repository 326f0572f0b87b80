// How a calendar day is said to people, wherever Renubu says one: the web app's pages and the
// daily brief's sentences alike ("10 Dec 2026"), never the key the database sends ("2026-12-10").

const calendarDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "10 Dec 2026" for a calendar day ("2026-12-10"), the same day in every time zone. */
export function formatCalendarDay(value: unknown): string {
  const date = new Date(`${String(value).slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? String(value) : calendarDay.format(date);
}
