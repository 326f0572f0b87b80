// A dialog that asks for a reason (or a note) before a workflow changes: withdraw an
// escalation, cancel, reassign, complete with steps left. Extra fields go in `children`.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSubmit } from '../../hooks/useSubmit.ts';
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
  const { busy, error, run } = useSubmit();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(() => onSubmit(reason.trim()), () => check?.() ?? (reason.trim() === '' ? `${label} is required.` : null));
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
      <form id="reason-form" className="form" onSubmit={submit} noValidate>
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
