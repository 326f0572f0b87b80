// A control that goes away while what it opened is shown (New task hides while its form is
// open) takes the focus back once that closes without a result (Cancel), instead of leaving
// the focus to fall to the page with the button that had it.
import { useEffect, useRef, useState } from 'react';

export function useReturnFocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [request, setRequest] = useState(0);
  useEffect(() => { if (request > 0) ref.current?.focus(); }, [request]);
  return { ref, returnFocus: () => setRequest((count) => count + 1) };
}
