// An action's description is written by admins and may name things by their keys ("from an
// email_draft artifact", "create a schedule_meeting task"). Dialogs show it in words: a key
// the lookups know by its label, any other key with its underscores as spaces, and the
// internal word "artifact" after one dropped. The CSM's action dialog and Admin → Actions show
// it alike (usePlainWords).
import { labelsOf, useEscalationLevels, useTaskOptions } from './lookups.ts';

const KEY = /\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b( artifacts?\b)?/g;

export function plainWords(text: string, labels: Readonly<Record<string, string>> = {}): string {
  return text.replace(KEY, (_match, key: string) => (labels[key] ?? key.replace(/_/g, ' ')).toLowerCase());
}

/** plainWords with the lookups' labels (escalation levels, task types): how every screen shows a description. */
export function usePlainWords(): (text: string) => string {
  const levels = useEscalationLevels();
  const taskOptions = useTaskOptions();
  const labels = labelsOf(levels.data, taskOptions.data?.task_types);
  return (text) => plainWords(text, labels);
}
