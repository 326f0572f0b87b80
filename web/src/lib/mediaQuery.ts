// The one place the app asks the browser about a media query: whether it matches now, and
// telling a caller when that changes. React components use hooks/useMediaQuery.ts on top of
// it; code that runs before React (the cached theme at boot) calls matchesMedia directly.

/** The phone's width, where the top bar stops being sticky and pages read as one column (styles.css). */
export const NARROW_SCREEN = '(max-width: 760px)';
/** A phone or a tablet held upright (up to 1 000 px; an iPad Pro's 1 024 is a laptop's width): where a long brief above the queue starts folded. */
export const TABLET_OR_NARROWER = '(max-width: 1000px)';
export const PREFERS_DARK = '(prefers-color-scheme: dark)';
export const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

function mediaList(query: string): MediaQueryList | null {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(query) : null;
}

export function matchesMedia(query: string): boolean {
  return mediaList(query)?.matches ?? false;
}

/** Calls onChange whenever the query starts or stops matching; returns the way to stop. */
export function watchMedia(query: string, onChange: (matches: boolean) => void): () => void {
  const list = mediaList(query);
  if (!list) return () => undefined;
  const update = () => onChange(list.matches);
  // Safari before 14 knows only addListener on a MediaQueryList.
  if (typeof list.addEventListener === 'function') {
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }
  list.addListener(update);
  return () => list.removeListener(update);
}
