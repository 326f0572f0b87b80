// Preferences that take effect at once: theme, density, the customer panel, how the chat
// sends, scrolls and chimes, desktop notifications and how a workflow moves between steps;
// and the account: the password, and signing out every device.
import { useState, type ReactNode } from 'react';
import { Preferences as PreferencesSchema } from '../../../functions-shared/api/index.ts';
import { humanize } from '../lib/format.ts';
import { usePreferences } from '../app/PreferencesProvider.tsx';
import { ErrorState, InlineError } from '../components/States.tsx';
import type { Preferences } from '../lib/types.ts';
import { desktopPermission, requestDesktopPermission } from '../features/notifications/alerts.ts';
import { ChangePassword } from '../features/account/ChangePassword.tsx';
import { SignOutEverywhere } from '../features/account/SignOutEverywhere.tsx';
import { useWorkspace } from '../lib/context.ts';

// The choices are the API's (the Preferences schema), not a list of the page's.
const THEMES = PreferencesSchema.shape.ui.shape.theme.options;
const EMAIL_DIGESTS = PreferencesSchema.shape.notifications.shape.emailDigest.options;

/** The yes/no preferences of a group. */
type YesNo<G extends keyof Preferences> = { [K in keyof Preferences[G]]: Preferences[G][K] extends boolean ? K : never }[keyof Preferences[G]];

interface CheckProps {
  checked: boolean;
  disabled: boolean;
  onChange: (on: boolean) => void;
}

function Check({ checked, disabled, onChange, children }: CheckProps & { children: ReactNode }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(event) => onChange(event.target.checked)} />
      <span>{children}</span>
    </label>
  );
}

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

  /** A checkbox's props for a yes/no preference, saved when changed. */
  function toggle<G extends keyof Preferences>(group: G, field: YesNo<G>, label: string): CheckProps {
    return {
      checked: preferences[group][field] as boolean,
      disabled: !loaded,
      onChange: (on) => void change(group, { [field]: on } as Partial<Preferences[G]>, label),
    };
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
          {THEMES.map((theme) => (
            <label key={theme} className="radio">
              <input type="radio" name="theme" value={theme} checked={preferences.ui.theme === theme} disabled={!loaded}
                onChange={() => void change('ui', { theme }, 'Theme')} />
              <span>{theme === 'system' ? 'Match my system' : humanize(theme)}</span>
            </label>
          ))}
        </fieldset>
        <Check {...toggle('ui', 'compactMode', 'Compact mode')}>Compact mode <span className="muted">— denser tables and panels</span></Check>
        <Check {...toggle('ui', 'sidebarCollapsed', 'Customer panel')}>Collapse the customer panel beside a workflow <span className="muted">— more room for the chat; open it with one click</span></Check>
      </section>

      <section className="panel" aria-labelledby="pref-chat">
        <h2 id="pref-chat">Assistant chat</h2>
        <Check {...toggle('chat', 'shiftEnterToSubmit', 'Send shortcut')}>Send with <kbd>Shift</kbd>+<kbd>Enter</kbd> <span className="muted">— <kbd>Enter</kbd> adds a new line</span></Check>
        <Check {...toggle('chat', 'autoScrollToBottom', 'Auto-scroll')}>Scroll to the newest message as the assistant writes</Check>
        <Check {...toggle('chat', 'enableSoundNotifications', 'Reply sound')}>Play a sound when the assistant finishes a reply while I am in another tab</Check>
      </section>

      <section className="panel" aria-labelledby="pref-notifications">
        <h2 id="pref-notifications">Notifications</h2>
        <Check {...toggle('notifications', 'inAppNotifications', 'In-app notifications')}>Show notifications in the workspace</Check>
        <Check checked={preferences.notifications.desktopNotifications} disabled={!loaded || !preferences.notifications.inAppNotifications}
          onChange={(on) => void changeDesktop(on)}>
          Also show them as desktop notifications <span className="muted">— the browser asks for permission first</span>
        </Check>
        <label className="field field-inline">
          <span>Email digest</span>
          <select value={preferences.notifications.emailDigest} disabled={!loaded}
            onChange={(event) => void change('notifications', { emailDigest: event.target.value as Preferences['notifications']['emailDigest'] }, 'Email digest')}>
            {EMAIL_DIGESTS.map((digest) => <option key={digest} value={digest}>{humanize(digest)}</option>)}
          </select>
        </label>
      </section>

      <section className="panel" aria-labelledby="pref-workflow">
        <h2 id="pref-workflow">Workflows</h2>
        <Check {...toggle('workflow', 'showCompletedTasks', 'Completed tasks')}>Show completed tasks in a workflow</Check>
        <Check {...toggle('workflow', 'autoAdvanceSteps', 'Auto-advance')}>Open the next step as soon as I complete one <span className="muted">— otherwise the finished step stays open with a link to the next</span></Check>
      </section>

      <ChangePassword client={useWorkspace().api.client} />
      <SignOutEverywhere />
    </div>
  );
}
