// A dialog that asks for a reason (or a note) before a workflow changes: withdraw an
// escalation, cancel, reassign, complete with steps left. Extra fields go in `children`.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { InlineError } from '../../components/States.tsx';
import { FormField } from '../../components/FieldError.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';

interface Props {
  title: string;
  label: string;
  /** What an empty reason is told, as a request ("Say why …"); else "<label> is required." */
  missingMessage?: string;
  submitLabel: string;
  /** What happens, in words, above the form. */
  intro?: ReactNode;
  children?: ReactNode;
  danger?: boolean;
  /**
   * Checks the extra fields (`children`) before the reason, as they come first: one that is
   * wrong says so beside itself and takes the focus (useNewAssignee), and false stops the submit.
   */
  check?: () => boolean;
  onSubmit: (reason: string) => Promise<void>;
  /** Told of a refusal too (shown here all the same): the page behind may load itself anew. */
  onRefused?: (error: unknown) => void;
  onClose: () => void;
}

export function ReasonDialog({ title, label, missingMessage, submitLabel, intro, children, danger = false, check, onSubmit, onRefused, onClose }: Props) {
  const [reason, setReason] = useState('');
  const { busy, error, run } = useSubmit();
  // An empty reason is said beside its box (useFieldProblem).
  const problem = useFieldProblem<'reason'>();
  const reasonBox = useRef<HTMLTextAreaElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (check && !check()) {
      problem.clear();
      return;
    }
    if (reason.trim() === '') {
      problem.show('reason', missingMessage ?? `${label} is required.`, reasonBox.current);
      return;
    }
    problem.clear();
    void run(async () => {
      try {
        await onSubmit(reason.trim());
      } catch (caught) {
        onRefused?.(caught);
        throw caught;
      }
    });
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
        <FormField label={label} error={problem.of('reason')}>
          {(control) => <textarea ref={reasonBox} {...control} value={reason} onChange={(event) => { setReason(event.target.value); problem.changed('reason'); }}
            rows={3} maxLength={2000} data-autofocus={children ? undefined : true} required />}
        </FormField>
      </form>
      <InlineError error={error} />
    </Dialog>
  );
}
