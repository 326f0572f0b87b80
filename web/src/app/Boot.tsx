// Starts the workspace: reads /renubu-config.json, connects the API (lib/api.ts `connectApi`: the
// supabase-js client and its session-scoped fetch), then hands over to the session gate. One
// build therefore works against any stack.
import { useMemo } from 'react';
import { connectApi } from '../lib/api.ts';
import { loadRuntimeConfig, type RuntimeConfig } from '../lib/config.ts';
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
  const api = useMemo(() => connectApi(config), [config]);
  return <SessionGate api={api} config={config} />;
}
