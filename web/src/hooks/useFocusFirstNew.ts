// "Load more" adds the next page under the list; the focus then goes to the first item it
// brought, so the person reads on from where the list grew. Without it the last page took the
// button away with the focus on it, and the focus fell to the top of the page.
import { useEffect, useRef } from 'react';

/**
 * `count`: the items shown; `loadingMore`: a page is on its way; `focusItem(index)` puts the
 * focus on the item at that index. Returns the function to call when Load more is pressed:
 * only a press moves the focus (a page loaded as the list scrolls leaves it where it is), and a
 * press that brings nothing new (a failure, an empty page) leaves it too.
 */
export function useFocusFirstNew(count: number, loadingMore: boolean, focusItem: (index: number) => void): () => void {
  const pressedAt = useRef<number | null>(null);
  const focusRef = useRef(focusItem);
  focusRef.current = focusItem;
  useEffect(() => {
    if (loadingMore || pressedAt.current === null) return;
    const firstNew = pressedAt.current;
    pressedAt.current = null;
    if (count > firstNew) focusRef.current(firstNew);
  }, [count, loadingMore]);
  return () => { pressedAt.current = count; };
}
