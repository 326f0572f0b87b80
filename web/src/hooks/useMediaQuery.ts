// Whether a media query matches, kept current as the window changes (a phone turned, a
// window narrowed, the system's dark mode), for what a stylesheet cannot decide alone (what
// starts folded, which theme applies). The browser is asked in one place: lib/mediaQuery.ts.
import { useEffect, useState } from 'react';
import { matchesMedia, watchMedia } from '../lib/mediaQuery.ts';

export function useMediaQuery(query: string): boolean {
  const [matching, setMatching] = useState(() => matchesMedia(query));
  useEffect(() => {
    setMatching(matchesMedia(query));
    return watchMedia(query, setMatching);
  }, [query]);
  return matching;
}
