// Admin → Actions: the saved actions a CSM runs on a workflow, with the limits and choices
// each offers. Changing a core action's limits gives the organisation its own version of
// it (the core one is untouched); the forms CSMs see and execute_action follow at once.
import { useMemo } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../components/States.tsx';
import { AdminNav } from '../features/admin-people/AdminNav.tsx';
import { adminDefinitionsApi } from '../features/admin-definitions/api.ts';
import { ActionLimits } from '../features/admin-definitions/ActionLimits.tsx';
import '../features/admin-definitions/admin-definitions.css';
import { useAsync } from '../hooks/useAsync.ts';
import { useWorkspace } from '../lib/context.ts';

export function AdminActionsPage() {
  const { api, profile } = useWorkspace();
  const admin = useMemo(() => adminDefinitionsApi(api.client), [api]);
  const list = useAsync(() => admin.listSavedActions(), [admin]);
  if (profile.role !== 'admin') return <EmptyState title="Only admins change saved actions." />;
  return (
    <div className="page page-narrow">
      <AdminNav />
      <div className="page-head"><h1>Actions</h1></div>
      <p className="muted">The choices and limits of each action CSMs run on a workflow. The forms they see and the checks on the server use exactly these.</p>
      {list.error ? <ErrorState error={list.error} onRetry={() => void list.reload()} /> : null}
      {list.loading && !list.data ? <LoadingState rows={4} /> : null}
      {(list.data ?? []).map((action) => (
        // Keyed by the action alone: a save's answer updates the form in place, which keeps its
        // "Saved." and the focus on Save (a new key per version remounted it, losing both).
        <ActionLimits key={action.key} action={action}
          onSaved={(updated) => list.setData((rows) => rows?.map((row) => (row.key === updated.key ? updated : row)))} />
      ))}
    </div>
  );
}
