// Starts the workspace: reads /renubu-config.json, builds the supabase-js client, then
// hands over to the session gate. One build therefore works against any stack.
import { useMemo } from 'react';
import { createClient } from '@supabase/supabase-js';
import { createApi, type RenubuClient } from '../lib/api.ts';
import { createSessionFetch } from '../lib/sessionFetch.ts';
import { loadRuntimeConfig, type RuntimeConfig } from '../lib/config.ts';
import type { Database } from '../lib/database.types.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { ErrorState, LoadingState } from '../components/States.tsx';
import { SessionGate } from './SessionGate.tsx';

export function Boot() {
  const config = useAsync(() => loadRuntimeConfig(), []);
  if (config.error) {
    return (
      <main className="boot">
        <ErrorState error={config.error} title="Renubu could not start" onRetry={() => void config.reload()} />
      </main>
    );
  }
  if (!config.data) return <main className="boot"><LoadingState label="Starting Renubu…" /></main>;
  return <Connected config={config.data} />;
}

function Connected({ config }: { config: RuntimeConfig }) {
  const api = useMemo(() => {
    const session = createSessionFetch();
    const client: RenubuClient = createClient<Database>(config.supabaseUrl, config.supabaseAnonKey, {
      auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false, storageKey: 'renubu-auth' },
      global: { fetch: session.fetch },
    });
    // A session ending anywhere (here, another tab, a refused refresh) stops its calls too.
    client.auth.onAuthStateChange((_event, live) => (live ? session.open() : session.close()));
    return createApi(client, config, session);
  }, [config]);
  return <SessionGate api={api} config={config} />;
}
