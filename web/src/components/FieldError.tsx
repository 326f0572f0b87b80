// A problem shown beside the field or section it concerns rather than at the foot of the
// form: announced when it appears (role="alert") and tied to its control by id
// (aria-describedby, aria-invalid), so a screen reader says which field is wrong and why.
import { useId, type ReactElement, type ReactNode } from 'react';

export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return <p id={id} className="field-error" role="alert">{message}</p>;
}

export type Problem = [errorId: string, message: string | null | undefined];

/** The attributes that tie a control to the FieldErrors shown for it (its own, its section's). */
export function describedBy(...problems: Problem[]) {
  const ids = problems.filter(([, message]) => message).map(([errorId]) => errorId);
  return ids.length > 0 ? { 'aria-invalid': true, 'aria-describedby': ids.join(' ') } as const : {};
}

export interface FieldControl { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }

/** A labelled control with its problem under it: `children` renders the control with the props given. */
export function FormField({ label, error, sectionError, className = 'field', children }: {
  label: ReactNode; error?: string | null; sectionError?: Problem; className?: string; children: (control: FieldControl) => ReactElement;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...describedBy([errorId, error], ...(sectionError ? [sectionError] : [])) })}
      <FieldError id={errorId} message={error} />
    </div>
  );
}
