// The snooze limits a form may send: the rule is the saved-action config schema's
// (SnoozeConfig: whole days, 1 ≤ fewest ≤ default ≤ most ≤ 365, the same rule as the
// server's), checked before sending so a wrong order is named beside the fields and no
// request goes out. The server still checks it.
import { SnoozeConfig } from '../../../../functions-shared/admin/saved-action-config.ts';

export interface SnoozeDays { min_days: number; default_days: number; max_days: number }
export type SnoozeDayKey = keyof SnoozeDays;

interface SnoozeProblem { message: string; fields: SnoozeDayKey[] }

const inRange = (value: number) => Number.isInteger(value) && value >= 1 && value <= 365;

/** What is wrong with the days and which of them it concerns; null when they may be sent. */
function findProblem(days: SnoozeDays): SnoozeProblem | null {
  if (SnoozeConfig.safeParse({ ...days, reason_required: true }).success) return null;
  const { min_days: fewest, default_days: usual, max_days: most } = days;
  const outOfRange = (Object.keys(days) as SnoozeDayKey[]).filter((key) => !inRange(days[key]));
  if (outOfRange.length > 0) return { message: 'Each number of days must be a whole number from 1 to 365.', fields: outOfRange };
  if (fewest > usual) return { message: `The default (${usual} days) must not be fewer than the fewest days (${fewest}).`, fields: ['min_days', 'default_days'] };
  return { message: `The default (${usual} days) must not be more than the most days (${most}).`, fields: ['default_days', 'max_days'] };
}

/** What is wrong with the days, in words; null when they may be sent. */
export function snoozeLimitsProblem(days: SnoozeDays): string | null {
  return findProblem(days)?.message ?? null;
}

/** The fields a problem of the days concerns (the one out of range, the two out of order), to mark those and not the rest. */
export function snoozeDaysAtFault(days: SnoozeDays): SnoozeDayKey[] {
  return findProblem(days)?.fields ?? [];
}

/** Where a form keeps the problems of the snooze days: each day's own and the three's together. */
export type SnoozeProblemKeys = Record<SnoozeDayKey | 'together', string>;

/**
 * The problems a form still shows once one of the days is changed to make `days`: the changed
 * day's own problem goes (the next save checks again), and the problem of the three together
 * goes once they may be sent, or else says what is wrong with them now. Answers `fields`
 * itself when nothing changes.
 */
export function snoozeProblemsAfterChange<T extends Partial<Record<string, string>>>(
  fields: T, changed: SnoozeDayKey, days: SnoozeDays, keys: SnoozeProblemKeys,
): T {
  const together = fields[keys.together] ? snoozeLimitsProblem(days) : fields[keys.together];
  if (!fields[keys[changed]] && together === fields[keys.together]) return fields;
  const kept: Partial<Record<string, string>> = { ...fields };
  delete kept[keys[changed]];
  if (together) kept[keys.together] = together;
  else delete kept[keys.together];
  return kept as T;
}
