// Where a refused save's problems belong. The server names the setting a 22023 problem is
// about at its start ("thresholds.risk_score_trigger must be a whole number from 0 to 100",
// "config.default_level must be one of config.levels"), so each problem can be shown beside
// the field it names instead of at the foot of the page; whatever names no field of the
// form stays a general error, shown as before.
import { ApiError } from '../../lib/errors.ts';

export interface PlacedErrors {
  /** A problem by the form's key for it: worded without the key when it names one field. */
  fields: Partial<Record<string, string>>;
  /** The rest (or the whole error when nothing could be placed), for the general error area. */
  general: unknown;
}

export const NO_ERRORS: PlacedErrors = { fields: {}, general: null };

/**
 * Splits `error` over the form's field keys. A key is a field ("snooze.min_days") or a
 * section ("snooze"): a problem naming an unknown setting of a section goes to the section.
 */
export function placeErrors(error: unknown, keys: readonly string[]): PlacedErrors {
  if (!error) return NO_ERRORS;
  if (!(error instanceof ApiError) || error.code !== '22023') return { fields: {}, general: error };
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const problem of problemsOf(error)) {
    const placed = placeProblem(problem, keys);
    if (!placed) unplaced.push(problem);
    else fields[placed.key] = fields[placed.key] ? `${fields[placed.key]} ${placed.text}` : placed.text;
  }
  if (Object.keys(fields).length === 0) return { fields, general: error };
  return { fields, general: unplaced.length > 0 ? new ApiError(unplaced.join('; '), { code: error.code, status: error.status }) : null };
}

/** The server lists every problem in `details` (one a line) when its message holds only the first few. */
function problemsOf(error: ApiError): string[] {
  const listed = typeof error.details === 'string' ? error.details.split('\n') : error.message.split('; ');
  return listed.map((line) => line.trim()).filter(Boolean);
}

function placeProblem(problem: string, keys: readonly string[]): { key: string; text: string } | null {
  const named = /^(?:config[. ])?([a-z_]+(?:\.[a-z_]+)*)(.*)$/.exec(problem);
  if (!named) return null;
  const [, name = '', rest = ''] = named;
  const plain = (text: string) => sentence(text.replace(/\bconfig\./g, ''));
  // The field's label names it already, so its problem reads "Must be …" beside it.
  if (keys.includes(name) && rest.startsWith(' ')) return { key: name, text: plain(rest) };
  const section = keys.filter((key) => name === key || name.startsWith(`${key}.`)).sort((a, b) => b.length - a.length)[0];
  return section ? { key: section, text: plain(problem.replace(/^config[. ]/, '')) } : null;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
