// Number, money and date formatting in one place so every screen reads the same.
import { formatCalendarDay } from '../../../functions-shared/dates.ts';

const currency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const compactCurrency = new Intl.NumberFormat('en-US', {
  style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1,
});
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * The day `date` falls on in `timeZone` (IANA, e.g. the organisation's from get_my_profile), or
 * in the browser's when none is given, as a date field holds it (YYYY-MM-DD).
 */
export function dayIn(date: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** The day `date` falls on in the browser's time zone, as a date field holds it (YYYY-MM-DD). */
export function localDay(date: Date): string {
  return dayIn(date);
}

export function formatMoney(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(Number(value)) ? '—' : currency.format(Number(value));
}

export function formatMoneyCompact(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(Number(value)) ? '—' : compactCurrency.format(Number(value));
}

/**
 * A gain or a loss of money with its sign: "+$12K", "−$3,000"; nothing at all is "$0"
 * (never "−$0" or "+$0"). `value` is the amount moved, itself positive.
 */
export function formatMoneyChange(value: number | null | undefined, direction: 'up' | 'down', compact = false): string {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  const amount = Math.abs(Number(value));
  const shown = (compact ? compactCurrency : currency).format(amount);
  // Rounding can make a tiny amount read as $0: no sign on it either.
  if (amount === 0 || /^\$0(\.0+)?$/.test(shown)) return currency.format(0);
  return `${direction === 'up' ? '+' : '−'}${shown}`;
}

/** A whole number with a real minus sign: "−4", "317"; never "-4" nor "−0". */
export function formatWhole(value: number): string {
  const rounded = Math.round(value);
  return rounded < 0 ? `−${-rounded}` : String(Math.abs(rounded));
}

/**
 * A range in words, both ends written by `format`: "−4 to 317", "1 to 30", "Dec 2026 to Feb 2027";
 * one value when both ends read the same ("171").
 * Every range on a screen reads this way (never "-4–317", where a hyphen and a dash meet).
 */
export function formatRange<T>(from: T, to: T, format: (value: T) => string = formatWhole as unknown as (value: T) => string): string {
  const [first, last] = [format(from), format(to)];
  // Ends that read the same are one value: "Average priority (171)", never "(171 to 171)".
  return first === last ? first : `${first} to ${last}`;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  // A calendar day ("2027-01-29": a renewal, a notice deadline, a due day) is that day wherever
  // the browser is; read as a moment (midnight UTC), it was the day before west of Greenwich.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatCalendarDay(value);
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : dateFormat.format(date);
}

// "10 Dec 2026" for a calendar day: one rule with the daily brief's sentences (imported above).
export { formatCalendarDay };

const fieldDay = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const fieldDayTime = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC',
});
/**
 * A date field's value in the app's words: "Thu, 10 Dec 2026" for "2026-12-10", "Thu, 10 Dec
 * 2026, 14:30" for a "2026-12-10T14:30" of a date-and-time field (as typed, no time zone
 * moved); "" for an empty or unfinished value.
 */
export function formatFieldDate(value: string | null | undefined): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(value ?? '');
  if (!match) return '';
  const date = new Date(`${match[1]}T${match[2] ?? '00:00'}:00Z`);
  if (Number.isNaN(date.getTime())) return '';
  return (match[2] ? fieldDayTime : fieldDay).format(date);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : dateTimeFormat.format(date);
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
/** "14 Jan 2027 at 09:30": a moment chosen by day and time (a meeting's start), in local time. */
export function formatDayAndTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : `${dateFormat.format(date)} at ${timeFormat.format(date)}`;
}

/** "in 12 days", "today", "3 days overdue". */
export function formatDaysUntil(days: number | null | undefined): string {
  if (days === null || days === undefined) return '—';
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days > 0) return `in ${days} days`;
  return days === -1 ? '1 day overdue' : `${-days} days overdue`;
}

/**
 * How long ago `value` was, in whole units counted down (21 min 50 s is "21 min"): "under a
 * minute", "21 min", "3 h", "2 days". The one wording of a time gone by: a notification's "…
 * ago" (formatAge) and an escalation's "waiting …" say the same of the same moment.
 */
export function formatElapsed(value: string, now: Date = new Date()): string {
  const minutes = Math.floor((now.getTime() - new Date(value).getTime()) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** "under a minute ago", "5 min ago", "2 days ago" (formatElapsed), a date past 60 days: how fresh a piece of data is. */
export function formatAge(value: string | null | undefined, now: Date = new Date()): string {
  if (!value) return 'no data';
  const then = new Date(value);
  if (Number.isNaN(then.getTime())) return 'no data';
  if (now.getTime() - then.getTime() >= 60 * 86_400_000) return formatDate(value);
  return `${formatElapsed(value, now)} ago`;
}

/** A count and its noun, the noun plural unless one: "1 customer", "3 customers" (nouns plural with an s). */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Parts with " · " between them, only between two that are present: "a · b", never "· b". */
export function joinPresent(parts: readonly (string | null | undefined | false)[]): string {
  return parts.filter(Boolean).join(' · ');
}

/** A name that owns something: "Contoso Retail’s", "Wingtip Toys’" (the apostrophe alone after an s). */
export function possessive(name: string): string {
  return /s$/i.test(name.trim()) ? `${name.trim()}’` : `${name.trim()}’s`;
}

export function humanize(key: string): string {
  const spaced = key.replace(/[_-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function newId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
