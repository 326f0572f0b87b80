// What a snooze of so many days means on the calendar, said in the snooze form: the day the
// workflow comes back (the server sets snoozed_until = now + days), and a warning when that
// misses the renewal decision, which the default 7 days did for a renewal deciding in 5.
import { formatCalendarDay, formatFieldDate, localDay } from '../../lib/format.ts';

const DAY_MS = 86_400_000;
const dayNumber = (isoDay: string) => Date.parse(`${isoDay.slice(0, 10)}T00:00:00Z`) / DAY_MS;
const isoDayAfter = (isoDay: string, days: number) => new Date((dayNumber(isoDay) + days) * DAY_MS).toISOString().slice(0, 10);

/** The day (YYYY-MM-DD, the browser's calendar) a snooze of `days` from `now` ends. */
export function snoozeEndDay(days: number, now: Date = new Date()): string {
  return isoDayAfter(localDay(now), days);
}

/** "Back in the queue on Tue, 15 Dec 2026." */
export function snoozeBackWords(days: number, now: Date = new Date()): string {
  return `Back in the queue on ${formatFieldDate(snoozeEndDay(days, now))}.`;
}

/**
 * Null when the workflow is back before `decisionDay` (the notice deadline, else the renewal
 * date); otherwise why the snooze is too long and how many days would still fit.
 */
export function snoozeMissesDecision(days: number, decisionDay: string | null | undefined, minDays: number, now: Date = new Date()): string | null {
  if (!decisionDay || !Number.isInteger(days)) return null;
  const today = localDay(now);
  const decision = formatCalendarDay(decisionDay.slice(0, 10));
  const daysLeft = dayNumber(decisionDay) - dayNumber(today);
  if (daysLeft < 0) return `That is after the renewal decision on ${decision}, which is already overdue.`;
  if (days < daysLeft) return null;
  const opening = days === daysLeft ? `That is the day of the renewal decision, ${decision}.` : `That is after the renewal decision on ${decision}.`;
  const fits = daysLeft - 1;
  return fits >= minDays
    ? `${opening} Snooze for ${fits === 1 ? '1 day' : `${fits} days`} or fewer to have it back before then.`
    : `${opening} No snooze brings it back before then.`;
}
