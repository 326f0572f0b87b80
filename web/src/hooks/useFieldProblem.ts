// A problem found before anything is sent, said beside the field it is about (FormField's
// `error`) instead of at the form's foot: the field takes the focus, and changing that field
// clears the problem; the next submit checks again.
import { useState } from 'react';

export function useFieldProblem<F extends string>() {
  const [problem, setProblem] = useState<{ field: F; message: string } | null>(null);
  return {
    /** The message to show beside `field`, or null. */
    of: (field: F) => (problem?.field === field ? problem.message : null),
    /** Shows `message` beside `field` and puts the focus in its control. */
    show(field: F, message: string, control: HTMLElement | null) {
      setProblem({ field, message });
      control?.focus();
    },
    /** `field` was changed: a problem about it goes. */
    changed(field: F) {
      setProblem((current) => (current?.field === field ? null : current));
    },
    clear: () => setProblem(null),
  };
}
