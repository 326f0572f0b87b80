// Client-side filters over the loaded queue pages: the queue RPC orders and pages, the
// CSM narrows what is on screen by type, stage, plan and a free-text search.
import type { QueueItem } from '../../lib/types.ts';

export interface QueueFilter {
  search: string;
  type: string;
  stage: string;
  plan: string;
}

export const EMPTY_FILTER: QueueFilter = { search: '', type: '', stage: '', plan: '' };

export function isFiltering(filter: QueueFilter): boolean {
  return filter.search.trim() !== '' || filter.type !== '' || filter.stage !== '' || filter.plan !== '';
}

export function filterQueue(items: QueueItem[], filter: QueueFilter): QueueItem[] {
  const needle = filter.search.trim().toLowerCase();
  return items.filter((item) => {
    if (filter.type && item.workflow_type !== filter.type) return false;
    if (filter.stage && item.customer.renewal_stage !== filter.stage) return false;
    if (filter.plan && item.customer.account_plan !== filter.plan) return false;
    if (!needle) return true;
    return [item.customer.name, item.customer.domain, item.workflow_name, item.current_step?.title]
      .some((value) => value?.toLowerCase().includes(needle));
  });
}

/** Appends a page, ignoring items already shown (a page boundary can repeat one after a change). */
export function appendPage(existing: QueueItem[], page: QueueItem[]): QueueItem[] {
  const seen = new Set(existing.map((item) => item.execution_id));
  return existing.concat(page.filter((item) => !seen.has(item.execution_id)));
}
