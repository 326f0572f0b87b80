// POST /functions/v1/daily-brief — writes the daily briefs that are due (docs/daily-brief.md).
//
//   {}             the scheduler (the service role, isServiceCaller): every CSM whose brief time has come
//   {profile_id}   one person's brief now — the service role for anyone, a person for
//                  themselves (their token is checked by the database first)
//
// The facts are stored by the database before any model is called (store_daily_briefs),
// and a retry writes only briefs still without prose, so running it twice changes nothing.
import { z } from 'zod';
import type { SupabaseClient } from '@supabase/supabase-js';
import { answer, callerClient, envFrom, HttpError, isServiceCaller, jsonResponse, parseJsonBody, serviceCallerClient, serviceClient, type FunctionEnv } from '../http.ts';
import { rpc } from '../api/rpc.ts';
import { callerProfile } from '../caller-profile.ts';
import { providerFromEnv, type LlmProvider } from '../llm/index.ts';
import { writeBrief, type BriefFact } from './render.ts';

const Body = z.object({ profile_id: z.guid({ message: 'profile_id must be a UUID' }).optional() }).strict();
const WRITE_BATCH = 100;
/**
 * Briefs stored per call of store_daily_briefs: ~10 ms of facts each, so one call stays well
 * inside the API role's 8 s statement timeout however many people are due.
 */
const STORE_BATCH = 200;

export interface DailyBriefDeps { env: FunctionEnv; llm: LlmProvider }

export function dailyBriefDepsFromEnv(source: Record<string, string | undefined>): DailyBriefDeps {
  return { env: envFrom(source), llm: providerFromEnv(source) };
}

interface DueBrief { brief_id: string; profile_id: string; facts: BriefFact[]; first?: boolean }

/**
 * Who asks: null for the scheduler (isServiceCaller: the service role key or a JWT of that
 * role, as outbox-drain takes it), else the signed-in person's profile id (their token checked
 * by the database); anyone else is 401, a deactivated person 403 42501 (callerProfile).
 */
async function callerOf(req: Request, env: FunctionEnv): Promise<string | null> {
  if (isServiceCaller(req, env)) return null;
  return (await callerProfile(callerClient(req, env))).id;
}

/**
 * Who writes: the scheduler's own bearer, which the database verifies again before it runs
 * anything as the service role; for a person, the service role (store_daily_briefs is
 * service-only), after the database has said who they are.
 */
function writerFor(req: Request, env: FunctionEnv, me: string | null): SupabaseClient {
  return me === null ? serviceCallerClient(req, env) : serviceClient(env);
}

/** Which briefs to store: the next STORE_BATCH that are due (service role only) or one person's. */
function storeDue(writer: SupabaseClient, me: string | null, profileId?: string): Promise<DueBrief[]> {
  if (me === null) return rpc(writer, 'store_daily_briefs', { profile_id: profileId ?? null, max_briefs: STORE_BATCH });
  if (profileId === undefined || profileId !== me) {
    throw new HttpError(403, '42501', 'You may only ask for your own brief; the scheduler writes everyone\'s.');
  }
  return rpc(writer, 'store_daily_briefs', { profile_id: me });
}

export function handleDailyBrief(req: Request, deps: DailyBriefDeps): Promise<Response> {
  return answer(req, async () => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.');
    // Who asks before what they ask (docs/api-contract.md): 401 before the body is read.
    const me = await callerOf(req, deps.env);
    const body = await parseJsonBody(req, Body);
    const writer = writerFor(req, deps.env, me);
    // Store and write batch by batch until a call brings no brief this run has not tried:
    // one whose writing failed is tried once per run, never again and again.
    const tried = new Set<string>();
    let written = 0;
    for (;;) {
      const due = (await storeDue(writer, me, body.profile_id)).filter((brief) => !tried.has(brief.brief_id));
      if (due.length === 0) break;
      due.forEach((brief) => tried.add(brief.brief_id));
      written += await writeBriefs(writer, due, deps.llm);
    }
    return jsonResponse({ stored: tried.size, written });
  });
}

/** Writes the prose of `due` in batches of WRITE_BATCH; how many briefs were written. */
async function writeBriefs(writer: SupabaseClient, due: DueBrief[], llm: LlmProvider): Promise<number> {
  let written = 0;
  for (let start = 0; start < due.length; start += WRITE_BATCH) {
    const batch = await Promise.all(due.slice(start, start + WRITE_BATCH).map(async (brief) => {
      const { sentences, model } = await writeBrief(brief.facts, llm, { first: brief.first === true });
      return { brief_id: brief.brief_id, sentences, model };
    }));
    written += await rpc(writer, 'write_daily_briefs', { briefs: batch });
  }
  return written;
}
