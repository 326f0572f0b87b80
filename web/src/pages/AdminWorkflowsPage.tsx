// Admin → Workflows: the organisation's catalogue (core definitions, its own and its
// versions of core ones), each with its version and an on/off switch; a row opens the editor.
import { useMemo, useState } from 'react';
import { WORKFLOW_SCOPE_WORDS } from '../features/admin-definitions/scopeWords.ts';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { Link } from '../components/Link.tsx';
import { AdminNav } from '../features/admin-people/AdminNav.tsx';
import { adminDefinitionsApi, type DefinitionSummary } from '../features/admin-definitions/api.ts';
import '../features/admin-definitions/admin-definitions.css';
import { useAsync } from '../hooks/useAsync.ts';
import { useWorkspace } from '../lib/context.ts';
import { paths } from '../lib/router.ts';
import { TableScroller } from '../components/TableScroller.tsx';
import { labelsOf, useWorkflowTypes } from '../features/actions/lookups.ts';
import { humanize } from '../lib/format.ts';

export function AdminWorkflowsPage() {
  const { api, profile } = useWorkspace();
  const admin = useMemo(() => adminDefinitionsApi(api.client), [api]);
  const list = useAsync(() => admin.listWorkflowDefinitions(), [admin]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // A type is named as the queue's Type filter names it (the lookup); one not in it, in words.
  const workflowTypes = useWorkflowTypes();
  const typeLabels = useMemo(() => labelsOf(workflowTypes.data ?? undefined), [workflowTypes.data]);

  if (profile.role !== 'admin') return <EmptyState title="Only admins change workflow definitions." />;

  async function toggle(definition: DefinitionSummary, enabled: boolean) {
    setError(null);
    setSaved(null);
    try {
      const updated = await admin.setWorkflowEnabled(definition.key, enabled);
      list.setData((rows) => rows?.map((row) => (row.key === updated.key ? updated : row)));
      setSaved(`${definition.name} is ${enabled ? 'on' : 'off'}${enabled ? '' : ': no new executions will be opened'}.`);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <div className="page">
      <AdminNav />
      <div className="page-head"><h1>Workflows</h1></div>
      <p className="muted" aria-live="polite">{saved ?? 'Editing a definition creates a new version: work already open keeps its steps, new work gets the new ones. Your version of a core workflow never changes the core one.'}</p>
      <InlineError error={error} />
      {list.error ? <ErrorState error={list.error} onRetry={() => void list.reload()} /> : null}
      {list.loading && !list.data ? <LoadingState rows={6} /> : null}
      {list.data ? (
        <TableScroller label="Workflow definitions">
          <table className="admin-table">
            <thead><tr><th>Workflow</th><th>Type</th><th>Kind</th><th>Version</th><th>Steps</th><th>On</th></tr></thead>
            <tbody>
              {list.data.map((definition) => (
                <tr key={definition.key}>
                  <td><Link href={paths.adminWorkflow(definition.key)}>{definition.name}</Link><div className="small muted">{definition.key}</div></td>
                  <td>{typeLabels[definition.type] ?? humanize(definition.type)}</td>
                  <td><span className={`badge${definition.scope === 'core' ? '' : ' badge-info'}`}>{WORKFLOW_SCOPE_WORDS[definition.scope]}</span></td>
                  <td>v{definition.version}</td>
                  <td>{definition.step_count}</td>
                  <td>
                    <label className="check">
                      <input type="checkbox" checked={definition.enabled} onChange={(event) => void toggle(definition, event.target.checked)}
                        aria-label={`${definition.name} is on`} />
                      <span className="small">{definition.enabled ? 'On' : 'Off'}</span>
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      ) : null}
    </div>
  );
}
