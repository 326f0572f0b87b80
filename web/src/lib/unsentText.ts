// Text typed and not yet sent (a chat message), kept for the tab under who typed it and where
// (sessionStorage), so leaving the page mid-sentence and coming back, or a reload, loses
// nothing. Forgotten once sent, and all of it at sign-out, as the requests left unanswered
// are (lib/pendingKeys.ts), so the next person at this browser finds none of it.
const PREFIX = 'renubu:unsent:';

/** The text kept under `key`, or nothing (no key, or storage refused). */
export function keptText(key: string | undefined): string {
  if (!key) return '';
  try { return window.sessionStorage.getItem(PREFIX + key) ?? ''; } catch { return ''; }
}

/** Keeps `text` under `key` for the tab; an empty text keeps nothing. */
export function keepText(key: string | undefined, text: string): void {
  if (!key) return;
  try {
    if (text) window.sessionStorage.setItem(PREFIX + key, text);
    else window.sessionStorage.removeItem(PREFIX + key);
  } catch {
    // Storage full or refused (a private window): the box still works, its text just is not kept.
  }
}

/** Forgets every text kept: called once a sign-out has gone through. */
export function forgetUnsentText(): void {
  try {
    for (const name of Object.keys(window.sessionStorage)) {
      if (name.startsWith(PREFIX)) window.sessionStorage.removeItem(name);
    }
  } catch {
    // Storage unavailable: nothing was kept.
  }
}
