// What a refused save means, in words: a conflict (someone saved a newer version while
// this admin was editing) is not a failure of theirs, and their edits are kept.
import { ApiError } from '../../lib/errors.ts';

export function staleSaveWords(error: unknown): string | null {
  if (!(error instanceof ApiError) || !error.isConflict) return null;
  const versions = /now at version (\d+), you edited version (\d+)/.exec(error.message);
  const which = versions ? `version ${versions[1]} replaced version ${versions[2]}, which you were editing` : 'a newer version exists';
  return `Someone saved this workflow while you were editing it: ${which}. Your changes are still here. `
    + 'Reload to see theirs, then apply yours again and save.';
}
