// "Load more" adds the next page under the list; the focus then goes to the first item it
// brought, so the person reads on from where the list grew. Without it the last page took the
// button away with the focus on it, and the focus fell to the top of the page.
import { useEffect, useRef } from 'react';

/** A press waiting for its page: where the new items start, and whether its load was seen. */
type PendingPress = { firstNew: number; sawLoading: boolean };

/**
 * `count`: the items shown; `loadingMore`: a page is on its way; `focusItem(index)` puts the
 * focus on the item at that index. Returns the function to call when Load more is pressed:
 * only a press moves the focus (a page loaded as the list scrolls leaves it where it is), and a
 * press whose load ends with nothing new (a failure, an empty page) leaves it too.
 *
 * A press is given up only once its own load was seen to start and end. An effect of the render
 * before the press may run after it (a fast click on a list just shown): with the list not
 * loading and no new item yet, that run is not the end of the press's load, and must not drop it.
 */
export function useFocusFirstNew(count: number, loadingMore: boolean, focusItem: (index: number) => void): () => void {
  const pending = useRef<PendingPress | null>(null);
  const focusRef = useRef(focusItem);
  focusRef.current = focusItem;
  useEffect(() => {
    const press = pending.current;
    if (press === null) return;
    if (count > press.firstNew) {
      pending.current = null;
      focusRef.current(press.firstNew);
    } else if (loadingMore) {
      press.sawLoading = true;
    } else if (press.sawLoading) {
      pending.current = null;
    }
  }, [count, loadingMore]);
  return () => { pending.current = { firstNew: count, sawLoading: false }; };
}
