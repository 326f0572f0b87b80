// The queue's filters as the page holds them (one choice per select, the search text) and
// as the server takes them (get_workflow_queue `filters`): the server filters, orders,
// pages and counts, so the rows and the stats always agree.
import type { AccountPlan, QueueFilters, QueueLane, RenewalStage } from '../../lib/types.ts';
import { firstCharacters } from '../../../../functions-shared/text.ts';

export interface QueueFilter {
  search: string;
  type: string;
  stage: string;
  plan: string;
  lane: string;
}

export const EMPTY_FILTER: QueueFilter = { search: '', type: '', stage: '', plan: '', lane: '' };

/** The selects set (lane, type, stage, plan), the number a phone's Filters button shows. */
export function activeFilterCount(filter: QueueFilter): number {
  return [filter.type, filter.stage, filter.plan, filter.lane].filter((value) => value !== '').length;
}

export function isFiltering(filter: QueueFilter): boolean {
  return filter.search.trim() !== '' || activeFilterCount(filter) > 0;
}

/** The `filters` argument of get_workflow_queue: only what is set. */
export function toServerFilters(filter: QueueFilter): QueueFilters {
  const filters: QueueFilters = {};
  if (filter.type) filters.types = [filter.type];
  if (filter.stage) filters.stages = [filter.stage as RenewalStage];
  if (filter.plan) filters.plans = [filter.plan as AccountPlan];
  if (filter.lane) filters.lanes = [filter.lane as QueueLane];
  const search = filter.search.trim();
  // Cut by characters: a cut inside an emoji leaves half of it, which the database refuses
  // in the request's JSON (400 22P02), so the queue would fail to load.
  if (search) filters.search = firstCharacters(search, 200);
  return filters;
}
