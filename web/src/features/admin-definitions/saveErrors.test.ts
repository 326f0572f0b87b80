import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/errors.ts';
import { staleSaveWords } from './saveErrors.ts';

describe('a refused save, in words', () => {
  it('explains a stale base version and keeps the edits', () => {
    const error = new ApiError('This workflow was changed since you opened it: it is now at version 3, you edited version 2', { code: 'PT409', status: 409 });
    expect(staleSaveWords(error)).toBe('Someone saved this workflow while you were editing it: version 3 replaced version 2, which you were editing. '
      + 'Your changes are still here. Reload to see theirs, then apply yours again and save.');
  });

  it('leaves other errors to the ordinary message', () => {
    expect(staleSaveWords(new ApiError('The workflow definition is not valid: …', { code: '22023', status: 400 }))).toBeNull();
    expect(staleSaveWords(new Error('offline'))).toBeNull();
  });
});
