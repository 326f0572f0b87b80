// An escalation level in words: the server's label (list_escalation_levels, e.g. "VP
// Customer Success"), and until it has loaded a readable form of the key ("VP CS", not "Vp cs").
import { labelsOf, useEscalationLevels } from '../actions/lookups.ts';

export function levelName(key: string, labels: Readonly<Record<string, string>> = {}): string {
  if (labels[key]) return labels[key]!;
  const words = key.split(/[_\s-]+/).filter(Boolean).map((word) => (word.length <= 3 ? word.toUpperCase() : word));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** key → the level's name, for every screen that shows a level. */
export function useLevelName(): (key: string) => string {
  const labels = labelsOf(useEscalationLevels().data);
  return (key) => levelName(key, labels);
}
