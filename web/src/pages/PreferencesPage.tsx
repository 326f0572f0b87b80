// Preferences that take effect at once: theme, density, the customer panel, how the chat
// sends, scrolls and chimes, desktop notifications and how a workflow moves between steps.
import { useState } from 'react';
import { usePreferences } from '../app/PreferencesProvider.tsx';
import { ErrorState, InlineError } from '../components/States.tsx';
import type { Preferences } from '../lib/types.ts';
import { desktopPermission, requestDesktopPermission } from '../features/notifications/alerts.ts';
import { ChangePassword } from '../features/account/ChangePassword.tsx';
import { useWorkspace } from '../lib/context.ts';

export function PreferencesPage() {
  const { preferences, loaded, loadError, update } = usePreferences();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function change<G extends keyof Preferences>(group: G, changes: Partial<Preferences[G]>, label: string) {
    setError(null);
    setSaved(null);
    try {
      await update(group, changes);
      setSaved(`${label} saved.`);
    } catch (caught) {
      setError(caught);
    }
  }

  async function changeDesktop(enabled: boolean) {
    // The browser asks first; a refusal leaves the preference off and says how to undo it.
    if (enabled && !(await requestDesktopPermission())) {
      setSaved(null);
      setError(new Error(desktopPermission() === 'unsupported'
        ? 'This browser cannot show desktop notifications.'
        : 'The browser blocks notifications from Renubu. Allow them in the site settings (the icon left of the address), then try again.'));
      return;
    }
    await change('notifications', { desktopNotifications: enabled }, 'Desktop notifications');
  }

  if (loadError) return <div className="page"><h1>Preferences</h1><ErrorState error={loadError} title="Your preferences could not be loaded" /></div>;

  return (
    <div className="page page-narrow">
      <div className="page-head"><h1>Preferences</h1></div>
      <p className="muted" aria-live="polite">{saved ?? (loaded ? 'Changes apply immediately and follow you to any device.' : 'Loading your preferences…')}</p>
      <InlineError error={error} />

      <section className="panel" aria-labelledby="pref-appearance">
        <h2 id="pref-appearance">Appearance</h2>
        <fieldset className="radio-group">
          <legend>Theme</legend>
          {(['light', 'dark', 'system'] as const).map((theme) => (
            <label key={theme} className="radio">
              <input type="radio" name="theme" value={theme} checked={preferences.ui.theme === theme} disabled={!loaded}
                onChange={() => void change('ui', { theme }, 'Theme')} />
              <span>{theme === 'system' ? 'Match my system' : theme === 'light' ? 'Light' : 'Dark'}</span>
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={preferences.ui.compactMode} disabled={!loaded}
            onChange={(event) => void change('ui', { compactMode: event.target.checked }, 'Compact mode')} />
          <span>Compact mode <span className="muted">— denser tables and panels</span></span>
        </label>
        <label className="check">
          <input type="checkbox" checked={preferences.ui.sidebarCollapsed} disabled={!loaded}
            onChange={(event) => void change('ui', { sidebarCollapsed: event.target.checked }, 'Customer panel')} />
          <span>Collapse the customer panel beside a workflow <span className="muted">— more room for the chat; open it with one click</span></span>
        </label>
      </section>

      <section className="panel" aria-labelledby="pref-chat">
        <h2 id="pref-chat">Assistant chat</h2>
        <label className="check">
          <input type="checkbox" checked={preferences.chat.shiftEnterToSubmit} disabled={!loaded}
            onChange={(event) => void change('chat', { shiftEnterToSubmit: event.target.checked }, 'Send shortcut')} />
          <span>Send with <kbd>Shift</kbd>+<kbd>Enter</kbd> <span className="muted">— <kbd>Enter</kbd> adds a new line</span></span>
        </label>
        <label className="check">
          <input type="checkbox" checked={preferences.chat.autoScrollToBottom} disabled={!loaded}
            onChange={(event) => void change('chat', { autoScrollToBottom: event.target.checked }, 'Auto-scroll')} />
          <span>Scroll to the newest message as the assistant writes</span>
        </label>
        <label className="check">
          <input type="checkbox" checked={preferences.chat.enableSoundNotifications} disabled={!loaded}
            onChange={(event) => void change('chat', { enableSoundNotifications: event.target.checked }, 'Reply sound')} />
          <span>Play a sound when the assistant finishes a reply while I am in another tab</span>
        </label>
      </section>

      <section className="panel" aria-labelledby="pref-notifications">
        <h2 id="pref-notifications">Notifications</h2>
        <label className="check">
          <input type="checkbox" checked={preferences.notifications.inAppNotifications} disabled={!loaded}
            onChange={(event) => void change('notifications', { inAppNotifications: event.target.checked }, 'In-app notifications')} />
          <span>Show notifications in the workspace</span>
        </label>
        <label className="check">
          <input type="checkbox" checked={preferences.notifications.desktopNotifications} disabled={!loaded || !preferences.notifications.inAppNotifications}
            onChange={(event) => void changeDesktop(event.target.checked)} />
          <span>Also show them as desktop notifications <span className="muted">— the browser asks for permission first</span></span>
        </label>
        <label className="field field-inline">
          <span>Email digest</span>
          <select value={preferences.notifications.emailDigest} disabled={!loaded}
            onChange={(event) => void change('notifications', { emailDigest: event.target.value as Preferences['notifications']['emailDigest'] }, 'Email digest')}>
            <option value="off">Off</option>
            <option value="daily">Daily</option>
            <option value="weekly">Weekly</option>
          </select>
        </label>
      </section>

      <section className="panel" aria-labelledby="pref-workflow">
        <h2 id="pref-workflow">Workflows</h2>
        <label className="check">
          <input type="checkbox" checked={preferences.workflow.showCompletedTasks} disabled={!loaded}
            onChange={(event) => void change('workflow', { showCompletedTasks: event.target.checked }, 'Completed tasks')} />
          <span>Show completed tasks in a workflow</span>
        </label>
        <label className="check">
          <input type="checkbox" checked={preferences.workflow.autoAdvanceSteps} disabled={!loaded}
            onChange={(event) => void change('workflow', { autoAdvanceSteps: event.target.checked }, 'Auto-advance')} />
          <span>Open the next step as soon as I complete one <span className="muted">— otherwise the finished step stays open with a link to the next</span></span>
        </label>
      </section>

      <ChangePassword client={useWorkspace().api.client} />
    </div>
  );
}
