// A text box's value kept for the tab under `key` while it is typed (lib/unsentText.ts): what
// the chat's message box and the activity log's summary both hold, so leaving the page mid-
// sentence and coming back, or a reload, finds it still there. Setting '' forgets it.
import { useState } from 'react';
import { keepText, keptText } from '../lib/unsentText.ts';

export function useKeptText(key: string | undefined): [string, (next: string) => void] {
  const [text, setTextState] = useState(() => keptText(key));
  const setText = (next: string) => { setTextState(next); keepText(key, next); };
  return [text, setText];
}
