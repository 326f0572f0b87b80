// The snooze limits a form may send: the rule is the saved-action config schema's
// (SnoozeConfig: whole days, 1 ≤ fewest ≤ default ≤ most ≤ 365, the same rule as the
// server's), checked before sending so a wrong order is named beside the fields and no
// request goes out. The server still checks it.
import { SnoozeConfig } from '../../../../functions-shared/admin/saved-action-config.ts';

export interface SnoozeDays { min_days: number; default_days: number; max_days: number }

/** What is wrong with the days, in words; null when they may be sent. */
export function snoozeLimitsProblem(days: SnoozeDays): string | null {
  if (SnoozeConfig.safeParse({ ...days, reason_required: true }).success) return null;
  const { min_days: fewest, default_days: usual, max_days: most } = days;
  if (![fewest, usual, most].every((value) => Number.isInteger(value) && value >= 1 && value <= 365)) {
    return 'Each number of days must be a whole number from 1 to 365.';
  }
  if (fewest > usual) return `The default (${usual} days) must not be fewer than the fewest days (${fewest}).`;
  return `The default (${usual} days) must not be more than the most days (${most}).`;
}
