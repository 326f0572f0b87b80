// The customers matching what is typed in a form's Customer box. Only the answer to the text
// in the box now counts: a slower answer to an earlier text ("Co" arriving after "Contoso")
// is dropped rather than shown as the list for the new one. `answeredFor` says which text the
// list answers, so a search that found nobody can say so instead of showing nothing.
import { useRef, useState } from 'react';
import type { CustomerRow } from '../customers/api.ts';

export function useCustomerSearch(search: (text: string) => Promise<CustomerRow[]>, onError: (error: unknown) => void) {
  const [matches, setMatches] = useState<CustomerRow[]>([]);
  const [answeredFor, setAnsweredFor] = useState<string | null>(null);
  const latest = useRef('');

  async function find(text: string) {
    const wanted = text.trim();
    latest.current = wanted;
    if (wanted.length < 2) {
      setMatches([]);
      setAnsweredFor(null);
      return;
    }
    try {
      const found = await search(wanted);
      if (latest.current !== wanted) return;
      setMatches(found);
      setAnsweredFor(wanted);
    } catch (caught) {
      if (latest.current === wanted) onError(caught);
    }
  }

  /** A customer was picked: the list goes. */
  function clear() {
    latest.current = '';
    setMatches([]);
    setAnsweredFor(null);
  }

  return { matches, answeredFor, find, clear };
}
