// Alerts outside the page, each behind its preference: a desktop notification when a new
// in-app notification arrives (`notifications.desktopNotifications`, after the browser's
// permission), and a short chime when the assistant finishes a reply while the tab is in the
// background (`chat.enableSoundNotifications`). Both use only browser APIs: no sound file.
import type { Notification as InAppNotification } from '../../lib/types.ts';

const SEEN_KEY = 'renubu-alerted-until';

/** Notifications that arrived after the last one we alerted about, oldest first. */
export function arrivedSince(items: InAppNotification[], since: string | null): InAppNotification[] {
  if (!since) return [];
  return items
    .filter((item) => !item.read_at && item.created_at > since)
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Reads and advances the per-person high-water mark, so a reload never re-alerts. */
export function takeArrivals(personId: string, items: InAppNotification[], now: Date = new Date()): InAppNotification[] {
  const key = `${SEEN_KEY}:${personId}`;
  let since: string | null = null;
  try { since = localStorage.getItem(key); } catch { /* storage unavailable: alert nothing */ }
  const arrived = arrivedSince(items, since);
  const newest = arrived.at(-1)?.created_at ?? since ?? now.toISOString();
  try { localStorage.setItem(key, newest); } catch { /* ignore */ }
  return arrived;
}

export function desktopPermission(): NotificationPermission | 'unsupported' {
  return typeof window.Notification === 'function' ? window.Notification.permission : 'unsupported';
}

/** Asks the browser once; true when desktop notifications may be shown. */
export async function requestDesktopPermission(): Promise<boolean> {
  if (typeof window.Notification !== 'function') return false;
  if (window.Notification.permission === 'granted') return true;
  if (window.Notification.permission === 'denied') return false;
  return (await window.Notification.requestPermission()) === 'granted';
}

/** At most three desktop notifications per poll; clicking one opens its subject. */
export function showDesktop(items: InAppNotification[], open: (item: InAppNotification) => void) {
  if (desktopPermission() !== 'granted') return;
  for (const item of items.slice(-3)) {
    const shown = new window.Notification(item.title, { body: item.body ?? undefined, tag: item.id });
    shown.onclick = () => { window.focus(); open(item); shown.close(); };
  }
}

/** The chime plays only when the person is looking elsewhere: a visible reply needs no sound. */
export function shouldChime(enabled: boolean, visibility: DocumentVisibilityState): boolean {
  return enabled && visibility === 'hidden';
}

let audio: AudioContext | null = null;
/** A 0.25 s two-note chime made with Web Audio. */
export function playChime() {
  const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Context) return;
  try {
    audio ??= new Context();
    const start = audio.currentTime;
    [880, 1320].forEach((frequency, index) => {
      const oscillator = audio!.createOscillator();
      const gain = audio!.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.08, start + index * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + index * 0.12 + 0.12);
      oscillator.connect(gain).connect(audio!.destination);
      oscillator.start(start + index * 0.12);
      oscillator.stop(start + index * 0.12 + 0.13);
    });
  } catch {
    // Audio can be blocked until the person interacts with the page; a chime is not worth an error.
  }
}
