// The words Admin → Settings (and the Snooze action on Admin → Actions) shows for the
// organisation's settings, in one place: the pages label their fields with them and the audit
// log (features/admin-people/auditWords.ts) names a changed setting by them, so an admin finds
// in the log the words they changed.
import type { SnoozeDayKey } from './snoozeLimits.ts';

/** The snooze limits, the same three on Settings and on the Snooze action. */
export const SNOOZE_DAY_LABELS: Record<SnoozeDayKey, string> = {
  min_days: 'Fewest days', default_days: 'Default days', max_days: 'Most days',
};

/** The section of the orchestrator's thresholds, and each threshold. */
export const THRESHOLDS_HEADING = 'When work is opened';
export const THRESHOLD_LABELS = {
  risk_score_trigger: 'Risk assessment from risk score',
  opportunity_score_trigger: 'Opportunity from opportunity score',
  renewal_overdue_cutoff_days: 'No renewal work after (days overdue)',
} as const;

/** The Organisation section's fields, by their setting's path. */
export const ORGANISATION_LABELS = { time_zone: 'Time zone', 'brief.time': 'Daily brief at', 'llm.model': 'Assistant model' } as const;
