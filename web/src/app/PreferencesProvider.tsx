// Loads the caller's preferences, applies the ui ones to the page, and saves changes
// optimistically (rolled back, with the server's message, if the save fails).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useWorkspace } from '../lib/context.ts';
import { applyUi } from '../lib/theme.ts';
import { PREFERS_DARK } from '../lib/mediaQuery.ts';
import { useMediaQuery } from '../hooks/useMediaQuery.ts';
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

  // "Match my system" follows the operating system live: the query is watched the app's one way.
  const systemDark = useMediaQuery(PREFERS_DARK);
  useEffect(() => { applyUi(preferences.ui, document.documentElement, systemDark); }, [preferences.ui, systemDark]);

  // Which change last set each field ("ui.compactMode"): a save's answer or its failure
  // settles only the fields no later change has set since. Before, the answer to Dark, arriving
  // after Compact mode was ticked, put Compact mode back (the whole answer was merged), and a
  // failure restored the whole set of preferences as they were before it.
  const lastChange = useRef(new Map<string, number>());
  const changeCount = useRef(0);

  const update = useCallback(async <G extends Group>(group: G, changes: Partial<Preferences[G]>) => {
    const mine = ++changeCount.current;
    const fields = Object.keys(changes) as (keyof Preferences[G])[];
    for (const field of fields) lastChange.current.set(`${group}.${String(field)}`, mine);
    let before: Preferences[G] = DEFAULT_PREFERENCES[group];
    setPreferences((current) => {
      before = current[group];
      return { ...current, [group]: { ...current[group], ...changes } };
    });
    /** Sets this change's fields that no later change has set, each as `value` gives it. */
    const settle = (value: (field: keyof Preferences[G]) => unknown) => setPreferences((current) => {
      const own = fields.filter((field) => lastChange.current.get(`${group}.${String(field)}`) === mine);
      return own.length === 0 ? current
        : { ...current, [group]: { ...current[group], ...Object.fromEntries(own.map((field) => [field, value(field)])) } };
    });
    try {
      const saved = merge(DEFAULT_PREFERENCES, await api.updatePreferences({ [group]: changes } as Partial<{ [K in Group]: Partial<Preferences[K]> }>));
      settle((field) => saved[group][field]);
    } catch (error) {
      settle((field) => before[field]);
      throw error;
    }
  }, [api]);

  const value = useMemo(() => ({ preferences, loaded, loadError, update }), [preferences, loaded, loadError, update]);
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}
