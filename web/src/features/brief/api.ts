// The daily brief's calls: get_daily_brief (the caller's newest brief) and the
// `daily-brief` function, which writes today's brief on request when the scheduler has not
// yet (docs/daily-brief.md).
import type { RpcResult } from '../../../../functions-shared/api/index.ts';
import { typedRpc, type Api } from '../../lib/api.ts';
import { fromFunctionResponse } from '../../lib/errors.ts';

export type DailyBrief = NonNullable<RpcResult<'get_daily_brief'>>;
export type BriefFact = DailyBrief['facts'][number];

export function briefApi(api: Api) {
  return {
    latest: (): Promise<DailyBrief | null> => typedRpc(api.client)('get_daily_brief'),
    /** Writes the caller's brief for today now, if it is not there yet. */
    async writeMine(profileId: string, supabaseUrl: string, anonKey: string): Promise<void> {
      const { data } = await api.client.auth.getSession();
      const response = await fetch(`${supabaseUrl}/functions/v1/daily-brief`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${data.session?.access_token ?? ''}`, apikey: anonKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ profile_id: profileId }),
      });
      if (!response.ok) throw await fromFunctionResponse(response);
    },
  };
}
