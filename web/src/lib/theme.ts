// Applies the ui preferences to the document: theme (light / dark / system) and density.
import type { Preferences } from './types.ts';
import { matchesMedia, PREFERS_DARK } from './mediaQuery.ts';

const CACHE_KEY = 'renubu-ui';

export function resolveTheme(theme: Preferences['ui']['theme'], prefersDark: boolean): 'light' | 'dark' {
  if (theme === 'system') return prefersDark ? 'dark' : 'light';
  return theme;
}

/**
 * Sets the theme and density on the page. The system's dark mode is read now; a component
 * that follows it live passes what useMediaQuery(PREFERS_DARK) says (PreferencesProvider).
 */
export function applyUi(ui: Pick<Preferences['ui'], 'theme' | 'compactMode'>, root: HTMLElement = document.documentElement,
  systemDark: boolean = matchesMedia(PREFERS_DARK)) {
  root.dataset.theme = resolveTheme(ui.theme, systemDark);
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
