// Applies the ui preferences to the document: theme (light / dark / system) and density.
import type { Preferences } from './types.ts';

const CACHE_KEY = 'renubu-ui';

export function resolveTheme(theme: Preferences['ui']['theme'], prefersDark: boolean): 'light' | 'dark' {
  if (theme === 'system') return prefersDark ? 'dark' : 'light';
  return theme;
}

function prefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export function applyUi(ui: Pick<Preferences['ui'], 'theme' | 'compactMode'>, root: HTMLElement = document.documentElement) {
  root.dataset.theme = resolveTheme(ui.theme, prefersDark());
  root.dataset.density = ui.compactMode ? 'compact' : 'comfortable';
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify({ theme: ui.theme, compactMode: ui.compactMode }));
  } catch {
    // Storage can be unavailable (private mode); the preference still applies now.
  }
}

/** Applies the last known ui preferences before they are fetched, so the page does not flash. */
export function applyCachedUi() {
  try {
    const cached = JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null') as Preferences['ui'] | null;
    if (cached) applyUi(cached);
  } catch {
    // Ignore a corrupt cache.
  }
}

/** Follows the operating system's setting while the theme is "system". */
export function watchSystemTheme(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => undefined;
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener?.('change', onChange);
  return () => query.removeEventListener?.('change', onChange);
}
