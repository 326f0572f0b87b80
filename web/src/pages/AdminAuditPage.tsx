// Admin → Audit: every administrative change, newest first: who, when, what it was made to
// and which fields changed, in words (auditWords.ts).
import { useMemo, useRef, useState } from 'react';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { AdminNav } from '../features/admin-people/AdminNav.tsx';
import { adminApi, type AuditEntry } from '../features/admin-people/api.ts';
import { adminDefinitionsApi } from '../features/admin-definitions/api.ts';
import { auditLines, auditLineText, auditSubject, type NameOf } from '../features/admin-people/auditWords.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { formatDateTime, humanize } from '../lib/format.ts';
import { useWorkspace } from '../lib/context.ts';
import { TableScroller } from '../components/TableScroller.tsx';
import { useFocusFirstNew } from '../hooks/useFocusFirstNew.ts';

// Who may not read it is told so before anything is asked of the server (which would refuse).
export function AdminAuditPage() {
  const { profile } = useWorkspace();
  if (profile.role !== 'admin') return <EmptyState title="Only admins read the audit log." />;
  return <AuditLog />;
}

function AuditLog() {
  const { api, profile } = useWorkspace();
  const admin = useMemo(() => adminApi(api), [api]);
  const [entity, setEntity] = useState('');
  const first = useAsync(() => admin.listAudit(null, entity || null), [admin, entity]);
  const [more, setMore] = useState<{ items: AuditEntry[]; next: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  // One page on its way at a time (a second press would append it twice); once it is in, its first row takes the focus.
  const [loadingMore, setLoadingMore] = useState(false);
  const table = useRef<HTMLTableElement>(null);
  const shownCount = (first.data?.items.length ?? 0) + (more?.items.length ?? 0);
  const pressedLoadMore = useFocusFirstNew(shownCount, loadingMore, (index) => table.current?.querySelectorAll<HTMLElement>('tbody tr')[index]?.focus());
  // People are named, not shown by id: the person changed, and a manager set or cleared.
  const people = useAsync(() => admin.listPeople(), [admin]);
  const nameOf: NameOf = useMemo(() => {
    const names = new Map((people.data ?? []).map((person) => [person.id, person.full_name]));
    return (id) => names.get(id);
  }, [people.data]);
  // A workflow switched on or off is named as the Workflows page names it.
  const definitions = useAsync(() => adminDefinitionsApi(api.client).listWorkflowDefinitions(), [api]);
  const workflowNameOf: NameOf = useMemo(() => {
    const names = new Map((definitions.data ?? []).map((definition) => [definition.key, definition.name]));
    return (key) => names.get(key);
  }, [definitions.data]);

  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : first.data?.next_cursor ?? null;

  return (
    <div className="page">
      <AdminNav />
      <div className="page-head">
        <div>
          <h1>Audit</h1>
          <p className="muted">Every change made from the Admin pages: who, when, and what it was before and after.</p>
        </div>
        <div className="page-head-actions">
          <label className="field-inline">Show
            <select value={entity} onChange={(event) => { setMore(null); setEntity(event.target.value); }} aria-label="Show changes to">
              <option value="">Everything</option>
              <option value="person">People</option>
              <option value="webhook_secret">Webhook secrets</option>
              <option value="workflow_definition">Workflow definitions</option>
              <option value="saved_action">Saved actions</option>
              <option value="organisation_settings">Settings</option>
            </select>
          </label>
        </div>
      </div>
      {first.loading && !first.data ? <LoadingState label="Loading the audit log…" rows={5} /> : null}
      {first.error ? <ErrorState error={first.error} title="The audit log could not be loaded" onRetry={() => void first.reload()} /> : null}
      {first.data && items.length === 0 ? <EmptyState title="No administrative change yet." /> : null}
      {items.length > 0 ? (
        <TableScroller label="Audit log">
          <table ref={table} className="admin-table" aria-label="Audit log">
            <thead><tr><th>When</th><th>Who</th><th>What</th><th>Change</th></tr></thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} tabIndex={-1}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.actor?.full_name ?? 'The system'}</td>
                  <td>{humanize(e.action)} {humanize(e.entity).toLowerCase()}<AuditSubject entry={e} nameOf={nameOf} workflowNameOf={workflowNameOf} /></td>
                  <td><AuditChange entry={e} nameOf={nameOf} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      ) : null}
      {next ? (
        <div className="list-foot">
          <span className="muted">{items.length} shown</span>
          <button type="button" className="btn" disabled={loadingMore} onClick={() => {
            pressedLoadMore();
            setLoadingMore(true);
            setMoreError(null);
            void admin.listAudit(next, entity || null).then(
              (page) => setMore((m) => ({ items: [...(m?.items ?? []), ...page.items], next: page.next_cursor })),
              setMoreError).finally(() => setLoadingMore(false));
          }}>{loadingMore ? 'Loading…' : 'Load more'}</button>
          <InlineError error={moreError} />
        </div>
      ) : null}
    </div>
  );
}

function AuditSubject({ entry, nameOf, workflowNameOf }: { entry: AuditEntry; nameOf: NameOf; workflowNameOf: NameOf }) {
  const subject = auditSubject(entry, nameOf, workflowNameOf);
  return subject ? <div className="sub">{subject}</div> : null;
}

function AuditChange({ entry, nameOf }: { entry: AuditEntry; nameOf: NameOf }) {
  const lines = auditLines(entry, nameOf);
  if (lines.length === 0) return <span className="muted">No field changed</span>;
  return <ul className="audit-change">{lines.map((line) => <li key={line.field}>{auditLineText(line)}</li>)}</ul>;
}
