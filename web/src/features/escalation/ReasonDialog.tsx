// A dialog that asks for a reason (or a note) before a workflow changes: withdraw an
// escalation, cancel, reassign, complete with steps left. Extra fields go in `children`.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { InlineError } from '../../components/States.tsx';

interface Props {
  title: string;
  label: string;
  submitLabel: string;
  /** What happens, in words, above the form. */
  intro?: ReactNode;
  children?: ReactNode;
  danger?: boolean;
  /** A problem with the extra fields, checked before submitting. */
  check?: () => string | null;
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}

export function ReasonDialog({ title, label, submitLabel, intro, children, danger = false, check, onSubmit, onClose }: Props) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (inFlight.current) return;
    const problem = check?.() ?? (reason.trim() === '' ? `${label} is required.` : null);
    if (problem) {
      setError(new Error(problem));
      return;
    }
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(reason.trim());
    } catch (caught) {
      setError(caught);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose}
      footer={(
        <>
          <button type="button" className="btn btn-ghost" onClick={onClose}>Cancel</button>
          <button type="submit" form="reason-form" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
            {busy ? 'Working…' : submitLabel}
          </button>
        </>
      )}>
      {intro ? <div className="esc-intro">{intro}</div> : null}
      <form id="reason-form" className="form" onSubmit={(event) => void submit(event)} noValidate>
        {children}
        <label className="field">
          {label}
          <textarea value={reason} onChange={(event) => setReason(event.target.value)} rows={3} maxLength={2000} data-autofocus={children ? undefined : true} required />
        </label>
      </form>
      <InlineError error={error} />
    </Dialog>
  );
}
