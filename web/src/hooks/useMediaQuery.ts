// Whether a media query matches, kept current as the window changes (a phone turned, a
// window narrowed), for what a stylesheet cannot decide alone (what starts folded).
import { useEffect, useState } from 'react';

function matches(query: string): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
}

export function useMediaQuery(query: string): boolean {
  const [matching, setMatching] = useState(() => matches(query));
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return undefined;
    const list = window.matchMedia(query);
    const update = () => setMatching(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matching;
}

/** The phone's width, where the top bar stops being sticky and pages read as one column (styles.css). */
export const NARROW_SCREEN = '(max-width: 760px)';
