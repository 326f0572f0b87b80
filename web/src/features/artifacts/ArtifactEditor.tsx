// Edits an artifact against the version it was opened at. If someone changed it in the
// meantime the server answers a conflict, and the CSM decides: keep their own edits (save
// over the latest) or take the latest.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { ApiError } from '../../lib/errors.ts';
import type { Artifact } from '../../lib/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { InlineError } from '../../components/States.tsx';
import { FormField } from '../../components/FieldError.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';
import { isBlankText } from '../../../../functions-shared/text.ts';
import { ArtifactContent } from './ArtifactContent.tsx';
import { readBody, readEmail, writeEmail, type EmailContent } from './emailContent.ts';
import { keepEdits, keptEditsKey, readKeptEdits } from './keptEdits.ts';

interface Props {
  artifact: Artifact;
  onClose: () => void;
  onSaved: (artifact: Artifact) => void;
}

type Mode = 'email' | 'text' | 'json';

function modeOf(artifact: Artifact): Mode {
  if (artifact.artifact_type === 'email_draft') return 'email';
  return readBody(artifact.content ?? {}) !== null || Object.keys(artifact.content ?? {}).length === 0 ? 'text' : 'json';
}

/** The same JSON value, whatever order an object's keys come in (jsonb keeps its own). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => key in right && sameJson(left[key], right[key]));
}

function textKey(content: Record<string, unknown>): string {
  return ['body', 'text', 'markdown', 'summary', 'content', 'notes'].find((key) => typeof content[key] === 'string') ?? 'body';
}

/** The editor's fields as an artifact fills them: what it opens on, and what Use the latest version takes. */
function formOf(artifact: Artifact) {
  return {
    title: artifact.title,
    email: readEmail(artifact.content ?? {}, artifact.title),
    text: readBody(artifact.content ?? {}) ?? '',
    json: JSON.stringify(artifact.content ?? {}, null, 2),
  };
}

export function ArtifactEditor({ artifact, onClose, onSaved }: Props) {
  const { api, profile } = useWorkspace();
  const mode = modeOf(artifact);
  // Edits left unsaved by a reload come back, to be saved against the version they were made on.
  const keepKey = keptEditsKey(profile.id, artifact.id);
  const [kept] = useState(() => readKeptEdits(keepKey));
  const [base, setBase] = useState<Artifact>(() => (kept ? { ...artifact, version: kept.version } : artifact));
  const [title, setTitle] = useState(() => (kept ?? formOf(artifact)).title);
  const [email, setEmail] = useState<EmailContent>(() => (kept ?? formOf(artifact)).email);
  const [text, setText] = useState(() => (kept ?? formOf(artifact)).text);
  const [json, setJson] = useState(() => (kept ?? formOf(artifact)).json);
  // Kept as they change; a form that says what the version it edits says keeps nothing (opening
  // Edit alone, or Use the latest version).
  useEffect(() => {
    const edits = { title, email, text, json };
    keepEdits(keepKey, JSON.stringify(edits) === JSON.stringify(formOf(base)) ? null : { version: base.version, ...edits });
  }, [title, email, text, json, base]); // eslint-disable-line react-hooks/exhaustive-deps -- the form's values and its version
  /** Closed by the person (saved, Cancel, ×, Escape): the edits are theirs no longer to keep. */
  function close() {
    keepEdits(keepKey, null);
    onClose();
  }
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Artifact | null>(null);
  const [saving, setSaving] = useState(false);
  // A title left blank is said beside it, which takes the focus (as every form of the app),
  // rather than in the browser's "Please fill out this field".
  const problem = useFieldProblem<'title'>();
  const titleBox = useRef<HTMLInputElement>(null);

  function contentFromForm(): Record<string, unknown> {
    if (mode === 'email') return writeEmail(base.content ?? {}, email);
    if (mode === 'text') return { ...base.content, [textKey(base.content ?? {})]: text };
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('The content must be a JSON object.');
    return parsed as Record<string, unknown>;
  }

  async function save(event?: FormEvent) {
    event?.preventDefault();
    if (saving) return;
    setError(null);
    if (isBlankText(title)) {
      problem.show('title', 'Give it a title.', titleBox.current);
      return;
    }
    let content: Record<string, unknown>;
    try {
      content = contentFromForm();
    } catch (caught) {
      setError(caught);
      return;
    }
    setSaving(true);
    try {
      const saved = await api.updateArtifact(base.id, { title, content }, base.version);
      setConflict(null);
      onSaved(saved);
      close();
    } catch (caught) {
      if (caught instanceof ApiError && caught.isConflict) {
        try {
          const latest = await api.getArtifact(base.id);
          // The latest is what this form saves: an earlier Save whose answer was lost was
          // applied. That is saved, not a conflict with someone else.
          if (latest.title === title && sameJson(latest.content ?? {}, content)) {
            setConflict(null);
            onSaved(latest);
            close();
            return;
          }
          setConflict(latest);
        } catch (reloadError) {
          setError(reloadError);
        }
      } else {
        setError(caught);
      }
    } finally {
      setSaving(false);
    }
  }

  function keepMine() {
    if (conflict) setBase(conflict);
    setConflict(null);
  }

  function takeTheirs() {
    if (!conflict) return;
    const latest = formOf(conflict);
    setBase(conflict);
    setTitle(latest.title);
    setEmail(latest.email);
    setText(latest.text);
    setJson(latest.json);
    setConflict(null);
  }

  return (
    <Dialog title={`Edit ${artifact.artifact_type === 'email_draft' ? 'email draft' : 'artifact'}`} onClose={close} wide
      footer={(
        <>
          <button type="button" className="btn btn-ghost" onClick={close}>Cancel</button>
          <button type="submit" form="artifact-form" className="btn btn-primary" disabled={saving || conflict !== null}>{saving ? 'Saving…' : 'Save changes'}</button>
        </>
      )}>
      {conflict ? (
        <div className="notice notice-warning" role="alert">
          <p><strong>This draft changed since you opened it.</strong> It is now at version {conflict.version}. Your edits are still in the form below.</p>
          <details>
            <summary>See the latest version</summary>
            <ArtifactContent artifact={conflict} />
          </details>
          <div className="btn-row">
            <button type="button" className="btn" onClick={keepMine}>Keep my edits</button>
            <button type="button" className="btn btn-ghost" onClick={takeTheirs}>Use the latest version</button>
          </div>
        </div>
      ) : null}
      {kept && !conflict ? <p className="notice">Your edits not saved yet are back. Save them, or Cancel to drop them.</p> : null}
      {base.approved_at ? <p className="notice">Saving a change to the content withdraws the approval.</p> : null}
      <form id="artifact-form" className="form" onSubmit={(event) => void save(event)} noValidate>
        <FormField label="Title" error={problem.of('title')}>
          {(control) => <input ref={titleBox} {...control} value={title} required data-autofocus
            onChange={(event) => { setTitle(event.target.value); problem.changed('title'); }} />}
        </FormField>
        {mode === 'email' ? (
          <>
            <label className="field"><span>To</span><input value={email.to} onChange={(event) => setEmail({ ...email, to: event.target.value })} /></label>
            <label className="field"><span>Subject</span><input value={email.subject} onChange={(event) => setEmail({ ...email, subject: event.target.value })} /></label>
            <label className="field"><span>Message</span><textarea rows={12} value={email.body} onChange={(event) => setEmail({ ...email, body: event.target.value })} /></label>
          </>
        ) : null}
        {mode === 'text' ? <label className="field"><span>Content</span><textarea rows={12} value={text} onChange={(event) => setText(event.target.value)} /></label> : null}
        {mode === 'json' ? <label className="field"><span>Content (JSON)</span><textarea rows={14} className="mono" value={json} onChange={(event) => setJson(event.target.value)} /></label> : null}
      </form>
      <InlineError error={error} />
    </Dialog>
  );
}
