// A small popup a press opened (a toggletip, the priority score's "why") closes on Escape or
// on a press anywhere outside it.
import { useEffect, type RefObject } from 'react';

export function useCloseOnOutside(open: boolean, root: RefObject<HTMLElement | null>, close: () => void): void {
  useEffect(() => {
    if (!open) return undefined;
    const closeOutside = (event: PointerEvent) => { if (!root.current?.contains(event.target as Node)) close(); };
    const closeOnEscape = (event: KeyboardEvent) => { if (event.key === 'Escape') close(); };
    document.addEventListener('pointerdown', closeOutside);
    document.addEventListener('keydown', closeOnEscape);
    return () => {
      document.removeEventListener('pointerdown', closeOutside);
      document.removeEventListener('keydown', closeOnEscape);
    };
  }, [open, root, close]);
}
