// The daily brief's calls: get_daily_brief (the caller's newest brief) and the
// `daily-brief` function, which writes today's brief on request when the scheduler has not
// yet (docs/daily-brief.md).
import type { Api } from '../../lib/api.ts';
import { fromFunctionResponse, fromPostgrestError } from '../../lib/errors.ts';

export interface BriefFact {
  id: string;
  kind: 'top_item' | 'stage_change' | 'health_drop' | 'usage_drop' | 'new_ticket' | 'notice_deadline' | 'task_due' | 'proposal_waiting';
  customer_id?: string;
  customer?: string;
  execution_id?: string;
  [field: string]: unknown;
}

export interface DailyBrief {
  id: string;
  brief_date: string;
  generated_at: string;
  text: string | null;
  model: string | null;
  facts: BriefFact[];
  sentences: { text: string; facts: string[] }[];
}

export function briefApi(api: Api) {
  return {
    async latest(): Promise<DailyBrief | null> {
      const { data, error, status } = await api.client.rpc('get_daily_brief' as never);
      if (error) throw fromPostgrestError(error, status);
      return (data as DailyBrief | null) ?? null;
    },
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
