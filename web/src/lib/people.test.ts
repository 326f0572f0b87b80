import { describe, expect, it } from 'vitest';
import { choiceName } from './people.ts';

describe('a person as a picker of whom to hand work to names them', () => {
  it('marks someone invited who has not joined yet, as list_team_members or list_people says it', () => {
    expect(choiceName({ full_name: 'Dana New', invited: true })).toBe('Dana New (invited)');
    expect(choiceName({ full_name: 'Dana New', status: 'invited' })).toBe('Dana New (invited)');
    expect(choiceName({ full_name: 'Casey Junior', invited: false })).toBe('Casey Junior');
    expect(choiceName({ full_name: 'Casey Junior', status: 'active' })).toBe('Casey Junior');
  });
});
