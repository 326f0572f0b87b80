// Admin → Workflows → one definition: edit its steps and branches, see the steps as a CSM
// will, and what changes against the saved version, then save it as a new version. A save
// from a version someone else has replaced meanwhile is refused and said in words.
import { useEffect, useMemo, useRef, useState } from 'react';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { Link } from '../components/Link.tsx';
import { FormButtons } from '../components/FormButtons.tsx';
import { AdminNav } from '../features/admin-people/AdminNav.tsx';
import { adminDefinitionsApi, type DefinitionDetail, type WorkflowDefinition } from '../features/admin-definitions/api.ts';
import { humanize } from '../lib/format.ts';
import { diffDefinitions } from '../features/admin-definitions/definitionDiff.ts';
import { DefinitionDiff } from '../features/admin-definitions/DefinitionDiff.tsx';
import { StepsPreview } from '../features/admin-definitions/StepsPreview.tsx';
import { WorkflowEditor } from '../features/admin-definitions/WorkflowEditor.tsx';
import '../features/admin-definitions/admin-definitions.css';
import { useAsync } from '../hooks/useAsync.ts';
import { useWorkspace } from '../lib/context.ts';
import { staleSaveWords } from '../features/admin-definitions/saveErrors.ts';
import { definitionProblemWords } from '../features/admin-definitions/problemWords.ts';
import { paths } from '../lib/router.ts';
// The editor-side check: the same zod schema the server's rules are tested against. A plain
// import: the editor's lists of step and artifact types bring this module into the app's
// chunk anyway, so loading it apart only left the page without its check for a moment.
import { workflowDefinitionProblems } from '../../../functions-shared/admin/workflow-definition.ts';

export function AdminWorkflowPage({ workflowKey }: { workflowKey: string }) {
  const { api, profile } = useWorkspace();
  const admin = useMemo(() => adminDefinitionsApi(api.client), [api]);
  const detail = useAsync(() => admin.getWorkflowDefinition(workflowKey), [admin, workflowKey]);
  const actions = useAsync(() => admin.listSavedActions(), [admin]);
  const [draft, setDraft] = useState<WorkflowDefinition | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // Saved, the Save button stays disabled (nothing left to save): what the save did takes the focus.
  const savedLine = useRef<HTMLParagraphElement>(null);
  useEffect(() => { if (saved) savedLine.current?.focus(); }, [saved]);
  const [busy, setBusy] = useState(false);
  const [paramsProblems, setParamsProblems] = useState<string[]>([]);
  // Discard changes draws the editor anew, so what was typed and refused goes with the changes.
  const [editorRound, setEditorRound] = useState(0);

  const loaded: DefinitionDetail | undefined = detail.data;
  useEffect(() => {
    if (loaded) setDraft(loaded.definition);
  }, [loaded]);

  if (profile.role !== 'admin') return <EmptyState title="Only admins change workflow definitions." />;
  if (detail.error) return <div className="page"><AdminNav /><ErrorState error={detail.error} onRetry={() => void detail.reload()} /></div>;
  if (!loaded || !draft) return <div className="page"><AdminNav /><LoadingState rows={6} /></div>;

  const { change_note: _note, ...savedDoc } = loaded.definition;
  const { change_note: _draftNote, ...draftDoc } = draft;
  // A choice's action is named as the editor's list names it.
  const actionName = (key: string) => actions.data?.find((action) => action.key === key)?.name ?? humanize(key);
  const pending = diffDefinitions(savedDoc, draftDoc, actionName);
  // Against the version before it; a first version has none to differ from (against nothing, every step would read as added).
  const history = loaded.previous ? diffDefinitions(loaded.previous.definition, loaded.definition, actionName) : [];
  // What the schema finds, in the editor's words, and default params typed that are no JSON
  // (kept out of the draft, so Save would otherwise send the old ones).
  const problems = [...workflowDefinitionProblems(draft).map(definitionProblemWords), ...paramsProblems];

  async function save() {
    if (!loaded || !draft) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const answer = await admin.saveWorkflowDefinition(workflowKey, { ...draft, change_note: note.trim() || null }, loaded.version);
      detail.setData(answer);
      setNote('');
      setSaved(`Saved as version ${answer.version}. New executions get these steps; open ones keep theirs.`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const conflict = staleSaveWords(error);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <div className="wf-crumbs"><Link href={paths.adminWorkflows}>← All workflows</Link></div>
          <h1>{loaded.name}</h1>
          <p className="muted">{loaded.key} · version {loaded.version} · {loaded.scope === 'core' ? 'core definition (saving makes your organisation’s own version)' : loaded.scope === 'override' ? 'your organisation’s version of a core workflow' : 'your organisation’s own workflow'}{loaded.enabled ? '' : ' · switched off'}</p>
        </div>
      </div>
      <AdminNav />
      <div className="editor-layout">
        <div>
          <WorkflowEditor key={editorRound} draft={draft} onChange={(next) => { setDraft(next); setSaved(null); }}
            actions={actions.data ?? []} onParamsProblems={setParamsProblems} />
        </div>
        <div>
          <section className="panel" aria-labelledby="save-heading">
            <h2 id="save-heading">Save</h2>
            <label className="field"><span>What changed <span className="field-hint">(optional, kept with the version)</span></span>
              <input value={note} onChange={(event) => setNote(event.target.value)} maxLength={500} /></label>
            {problems.length > 0 ? (
              <ul className="problems" aria-label="Problems to fix before saving">{problems.slice(0, 8).map((problem) => <li key={problem}>{problem}</li>)}</ul>
            ) : null}
            <FormButtons className="form-buttons-spaced"
              cancel={<button type="button" className="btn btn-ghost" disabled={busy || pending.length === 0} onClick={() => { setDraft(loaded.definition); setEditorRound((round) => round + 1); }}>Discard changes</button>}>
              <button type="button" className="btn btn-primary" disabled={busy || pending.length === 0 || problems.length > 0} onClick={() => void save()}>
                {busy ? 'Saving…' : `Save as version ${loaded.version + 1}`}
              </button>
            </FormButtons>
            <p ref={savedLine} tabIndex={-1} className="muted" aria-live="polite">{saved}</p>
            {conflict ? (
              <div className="notice notice-warning" role="alert">
                <p>{conflict}</p>
                <button type="button" className="btn btn-small" onClick={() => { setError(null); void detail.reload(); }}>Reload the saved version</button>
              </div>
            ) : <InlineError error={error} />}
          </section>
          <section className="panel" aria-labelledby="diff-heading">
            <h2 id="diff-heading">{pending.length > 0 ? `Your changes to version ${loaded.version}` : loaded.previous ? `Version ${loaded.version} against version ${loaded.previous.version}${loaded.previous.scope === 'core' && loaded.scope !== 'core' ? ' (core)' : ''}` : 'Changes'}</h2>
            {pending.length > 0
              ? <DefinitionDiff changes={pending} empty="" />
              : <DefinitionDiff changes={history} empty={loaded.previous ? 'No difference.' : 'This is the first version.'} />}
          </section>
          <section className="panel" aria-labelledby="preview-heading">
            <h2 id="preview-heading">As a CSM will see it</h2>
            <StepsPreview definition={draft} />
          </section>
        </div>
      </div>
    </div>
  );
}
