// The bell in the top bar: unread count, a panel with the latest notifications, mark read.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { usePreferences } from '../../app/PreferencesProvider.tsx';
import { formatAge } from '../../lib/format.ts';
import { navigate, paths } from '../../lib/router.ts';
import type { Notification } from '../../lib/types.ts';
import { InlineError, Spinner } from '../../components/States.tsx';
import { showDesktop, takeArrivals } from './alerts.ts';

const POLL_MS = 30_000;
const unreadBadge = (count: number) => (count > 9 ? '9+' : String(count));

export function NotificationBell() {
  const { api, profile } = useWorkspace();
  const { preferences, loaded: preferencesLoaded } = usePreferences();
  const desktop = preferences.notifications.desktopNotifications;
  const [items, setItems] = useState<Notification[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  // A desktop notification can be clicked long after the render that showed it.
  const openSubjectRef = useRef<(item: Notification) => void>(() => undefined);

  const load = useCallback(async () => {
    try {
      const latest = await api.listNotifications(false, 20);
      setItems(latest);
      setError(null);
      // Until the preferences are in, "desktop off" is only the default: decide nothing yet.
      if (preferencesLoaded) {
        const arrived = takeArrivals(profile.id, latest);
        if (desktop) showDesktop(arrived, (item) => openSubjectRef.current(item));
      }
    } catch (caught) {
      setError(caught);
    }
  }, [api, profile.id, desktop, preferencesLoaded]);

  useEffect(() => {
    if (!preferences.notifications.inAppNotifications) return undefined;
    void load();
    const timer = window.setInterval(() => { if (document.visibilityState === 'visible') void load(); }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [load, preferences.notifications.inAppNotifications]);

  useEffect(() => {
    if (!open) return undefined;
    const onDown = (event: MouseEvent) => { if (!root.current?.contains(event.target as Node)) setOpen(false); };
    const onKey = (event: KeyboardEvent) => { if (event.key === 'Escape') { setOpen(false); button.current?.focus(); } };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => { document.removeEventListener('mousedown', onDown); document.removeEventListener('keydown', onKey); };
  }, [open]);

  if (!preferences.notifications.inAppNotifications) return null;
  const unread = (items ?? []).filter((item) => !item.read_at);

  async function markRead(ids: string[]) {
    if (ids.length === 0) return;
    const now = new Date().toISOString();
    setItems((current) => current?.map((item) => (ids.includes(item.id) ? { ...item, read_at: item.read_at ?? now } : item)) ?? null);
    try {
      await api.markNotificationsRead(ids);
    } catch (caught) {
      setError(caught);
      void load();
    }
  }

  openSubjectRef.current = openSubject;
  function openSubject(item: Notification) {
    void markRead([item.id]);
    setOpen(false);
    const target = notificationTarget(item.data);
    if (target) navigate(target);
  }

  return (
    <div className="bell" ref={root}>
      <button ref={button} type="button" className="icon-btn" aria-expanded={open} aria-controls={panelId}
        // The visible count starts the name (WCAG 2.5.3, label in name): "1 unread notification", "3 unread notifications".
        aria-label={unread.length > 0 ? `${unreadBadge(unread.length)} unread notification${unread.length === 1 ? '' : 's'}` : 'Notifications'}
        onClick={() => { setOpen((value) => !value); if (!open) void load(); }}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" /></svg>
        {unread.length > 0 ? <span className="bell-count" data-testid="unread-count">{unreadBadge(unread.length)}</span> : null}
      </button>
      {open ? (
        <div id={panelId} className="popover bell-panel" role="region" aria-label="Notifications">
          <div className="popover-head">
            <strong>Notifications</strong>
            {unread.length > 0 ? <button type="button" className="btn btn-ghost btn-small" onClick={() => void markRead(unread.map((item) => item.id))}>Mark all read</button> : null}
          </div>
          <InlineError error={error} />
          {items === null ? <div className="popover-body"><Spinner /></div> : null}
          {items !== null && items.length === 0 ? <p className="popover-body muted">Nothing new. Escalations and assignments appear here.</p> : null}
          {items !== null && items.length > 0 ? (
            <ul className="notification-list">
              {items.map((item) => (
                <li key={item.id} className={item.read_at ? 'is-read' : 'is-unread'}>
                  <button type="button" className="notification" onClick={() => openSubject(item)}>
                    <span className="notification-title">{item.read_at ? null : <span className="dot" aria-label="Unread" />}{item.title}</span>
                    {item.body ? <span className="notification-body">{item.body}</span> : null}
                    <span className="notification-time">{formatAge(item.created_at)}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Where a notification leads: its workflow, the tasks, or for a hand-over (one notice for many
 * items, reassign_customer and hand_over_work) the customer handed over, else the queue where
 * the work now is; null when it names nothing to open.
 */
export function notificationTarget(data: Notification['data']): string | null {
  if (typeof data.execution_id === 'string') return paths.workflow(data.execution_id);
  if (typeof data.task_id === 'string') return paths.tasks;
  if (typeof data.customer_id === 'string') return paths.customer(data.customer_id);
  if (data.hand_over) return paths.queue;
  return null;
}
