// A form's or button's call to the server, one at a time: `busy` while it runs (to disable
// the buttons; `running` says which one, to label it), a problem found before it shown
// instead of calling, a failure kept in `error` (for InlineError). A second submit while one
// runs is ignored, even in the same tick. (A button disabled while its call runs has the focus
// back once it is enabled again: lib/keepFocus.ts, for every control of the app.)
import { useRef, useState } from 'react';

export interface Submit {
  busy: boolean;
  /** What is running (run's `what`), or null. */
  running: string | null;
  error: unknown;
  setError: (error: unknown) => void;
  /**
   * Runs `work` unless one is running or `problem` (checked first) says what is wrong;
   * clears the error before, keeps the failure after. Resolves when done, never rejects.
   */
  run: (work: () => Promise<void>, problem?: (() => string | null) | null, what?: string) => Promise<void>;
}

export function useSubmit(): Submit {
  const [running, setRunning] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const inFlight = useRef(false);

  async function run(work: () => Promise<void>, problem?: (() => string | null) | null, what = 'submit'): Promise<void> {
    if (inFlight.current) return;
    const found = problem?.() ?? null;
    if (found) {
      setError(new Error(found));
      return;
    }
    inFlight.current = true;
    setRunning(what);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    } finally {
      inFlight.current = false;
      setRunning(null);
    }
  }

  return { busy: running !== null, running, error, setError, run };
}
