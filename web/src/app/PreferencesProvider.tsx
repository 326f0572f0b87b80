// Loads the caller's preferences, applies the ui ones to the page, and saves changes
// optimistically (rolled back, with the server's message, if the save fails).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useWorkspace } from '../lib/context.ts';
import { applyUi, watchSystemTheme } from '../lib/theme.ts';
import { DEFAULT_PREFERENCES, type Preferences } from '../lib/types.ts';

type Group = keyof Preferences;

interface PreferencesState {
  preferences: Preferences;
  loaded: boolean;
  loadError: unknown;
  update: <G extends Group>(group: G, changes: Partial<Preferences[G]>) => Promise<void>;
}

const PreferencesContext = createContext<PreferencesState>({
  preferences: DEFAULT_PREFERENCES, loaded: false, loadError: null, update: async () => undefined,
});

export function usePreferences(): PreferencesState {
  return useContext(PreferencesContext);
}

function merge(base: Preferences, incoming: Partial<Preferences> | null | undefined): Preferences {
  return {
    chat: { ...base.chat, ...incoming?.chat },
    notifications: { ...base.notifications, ...incoming?.notifications },
    ui: { ...base.ui, ...incoming?.ui },
    workflow: { ...base.workflow, ...incoming?.workflow },
  };
}

export function PreferencesProvider({ children }: { children: ReactNode }) {
  const { api } = useWorkspace();
  const [preferences, setPreferences] = useState<Preferences>(DEFAULT_PREFERENCES);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);

  useEffect(() => {
    let alive = true;
    api.getPreferences().then(
      (value) => { if (alive) { setPreferences(merge(DEFAULT_PREFERENCES, value)); setLoaded(true); } },
      (error: unknown) => { if (alive) { setLoadError(error); setLoaded(true); } },
    );
    return () => { alive = false; };
  }, [api]);

  useEffect(() => {
    applyUi(preferences.ui);
    if (preferences.ui.theme !== 'system') return undefined;
    return watchSystemTheme(() => applyUi(preferences.ui));
  }, [preferences.ui]);

  const update = useCallback(async <G extends Group>(group: G, changes: Partial<Preferences[G]>) => {
    let previous: Preferences = DEFAULT_PREFERENCES;
    setPreferences((current) => {
      previous = current;
      return { ...current, [group]: { ...current[group], ...changes } };
    });
    try {
      const saved = await api.updatePreferences({ [group]: changes } as Partial<{ [K in Group]: Partial<Preferences[K]> }>);
      setPreferences((current) => merge(current, saved));
    } catch (error) {
      setPreferences(previous);
      throw error;
    }
  }, [api]);

  const value = useMemo(() => ({ preferences, loaded, loadError, update }), [preferences, loaded, loadError, update]);
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}
