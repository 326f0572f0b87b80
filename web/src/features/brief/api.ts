// The daily brief's calls: get_daily_brief (the caller's newest brief) and the
// `daily-brief` function, which writes today's brief on request when the scheduler has not
// yet (docs/daily-brief.md).
import type { RpcResult } from '../../../../functions-shared/api/index.ts';
import { typedRpc, type Api } from '../../lib/api.ts';

export type DailyBrief = NonNullable<RpcResult<'get_daily_brief'>>;
export type BriefFact = DailyBrief['facts'][number];

export function briefApi(api: Api) {
  return {
    latest: (): Promise<DailyBrief | null> => typedRpc(api.client)('get_daily_brief'),
    /** Writes the caller's brief for today now, if it is not there yet. */
    writeMine: (profileId: string): Promise<unknown> => api.invoke('daily-brief', { profile_id: profileId }),
  };
}
