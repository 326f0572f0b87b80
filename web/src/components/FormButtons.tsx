// The one order of a form's buttons, on the page as in a dialog's footer (components/Dialog.tsx):
// the way out (Cancel, Discard changes, Reject) first, then the action that goes on, last,
// where the eye and the Tab key end. Forms on the page use this; a dialog's footer is written
// in the same order.
import type { ReactNode } from 'react';

interface Props {
  /** The way out, if the form has one: shown first. */
  cancel?: ReactNode;
  /** The action(s) that go on, the primary one last. */
  children: ReactNode;
  className?: string;
}

export function FormButtons({ cancel, children, className }: Props) {
  return <div className={className ? `btn-row ${className}` : 'btn-row'}>{cancel}{children}</div>;
}
