// The `complete-thread` Edge Function: completes the thread (and its step) through the
// RPC, then asks the model for a short summary of the conversation and stores it as an
// AI `summary` artifact linked to the step. The completion stands even if the summary
// fails; calling again on a completed thread only retries the missing summary.
//
// One summary per thread, and one model call for it: a stored summary is answered without
// calling the model; calls for the same thread while its summary is being written (in this
// instance) wait for that one and answer its id; and a call that loses the race to store
// (another instance stored first) answers the summary that won instead of an error.
import type { SupabaseClient } from '@supabase/supabase-js';
import { answer, callerClient, envFrom, HttpError, jsonResponse, parseJsonBody, serviceClient, type FunctionEnv } from '../http.ts';
import { providerFromEnv } from '../llm/index.ts';
import { collect, describeCause, LlmError, type ChatTurn, type LlmProvider } from '../llm/types.ts';
import { SUMMARY_REQUEST, summaryMessages } from '../prompts/system.ts';
import { verifiedCallerId } from '../caller.ts';
import { rpc } from '../api/rpc.ts';
import { fitTitle } from '../text.ts';
import { CompleteThreadRequestBody } from '../api/functions.ts';

export interface CompleteThreadDeps {
  env: FunctionEnv;
  provider: LlmProvider;
  /** The service-role client that stores the AI summary (made from env when absent). */
  service?: SupabaseClient;
  /** The summaries being written by this instance, by thread id (made when absent). */
  summaries?: Map<string, Promise<SummaryOutcome>>;
}

/** What writing a thread's summary came to: the stored summary's id, or a readable error. */
interface SummaryOutcome {
  summary_artifact_id: string | null;
  summary_error: string | null;
}

export function completeThreadDepsFromEnv(source: Record<string, string | undefined>): CompleteThreadDeps {
  return { env: envFrom(source), provider: providerFromEnv(source) };
}

export function handleCompleteThread(req: Request, deps: CompleteThreadDeps): Promise<Response> {
  return answer(req, async () => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Complete a thread with POST.');
    const db = callerClient(req, deps.env);
    const body = await parseJsonBody(req, CompleteThreadRequestBody);

    const completed = await rpc(db, 'complete_chat_thread', { thread_id: body.thread_id });
    // The caller may work on this thread (complete_chat_thread just answered them): they
    // share the summary another call of this instance is finding or writing. One entry per
    // thread from before the stored summary is looked up until it is stored, so a call
    // either joins it or finds the summary stored.
    deps.summaries ??= new Map();
    const summaries = deps.summaries;
    let summary = summaries.get(body.thread_id);
    if (!summary) {
      summary = summaryOf(req, db, deps, completed.thread.execution_id, body.thread_id).finally(() => summaries.delete(body.thread_id));
      summaries.set(body.thread_id, summary);
    }
    return jsonResponse({ ...completed, ...(await summary) });
  });
}

/** The thread's stored summary, or a new one (the model is called only when none is stored). */
async function summaryOf(req: Request, db: SupabaseClient, deps: CompleteThreadDeps, executionId: string, threadId: string): Promise<SummaryOutcome> {
  const storedId = await storedSummaryId(db, executionId, threadId);
  if (storedId) return { summary_artifact_id: storedId, summary_error: null };
  return writeSummary(req, db, deps, executionId, threadId);
}

/** The id of the thread's AI summary, when one is stored. */
async function storedSummaryId(db: SupabaseClient, executionId: string, threadId: string): Promise<string | null> {
  const existing = await rpc(db, 'list_artifacts', { execution_id: executionId, artifact_type: 'summary' });
  return existing.find((a) => a.thread_id === threadId && a.generated_by === 'ai')?.id ?? null;
}

/** Asks the model for the summary and stores it; never throws (a failure is `summary_error`). */
async function writeSummary(req: Request, db: SupabaseClient, deps: CompleteThreadDeps, executionId: string, threadId: string): Promise<SummaryOutcome> {
  try {
    const thread = await rpc(db, 'get_chat_thread', { thread_id: threadId });
    const history = thread.messages
      .filter((m) => m.role === 'user' || (m.role === 'assistant' && m.status === 'complete' && m.content !== ''))
      .map((m): ChatTurn => ({ role: m.role, content: m.content }));
    const summary = await collect(
      deps.provider.chat({
        messages: summaryMessages(thread.llm_context?.system_prompt ?? '', history),
        temperature: 0.2,
        maxTokens: 400,
      }),
    );
    const text = summary.text.trim();
    if (!text) throw new LlmError('rejected');
    // The summary is the assistant's own write (service role; people cannot create AI
    // artifacts), authored by the caller whose token just completed the thread.
    deps.service ??= serviceClient(deps.env);
    try {
      const artifact = await rpc(deps.service, 'create_assistant_artifact', {
        thread_id: thread.id,
        author_id: verifiedCallerId(req),
        artifact_type: 'summary',
        title: fitTitle(`Summary: ${thread.title ?? thread.step_key}`),
        content: { text, message_count: thread.message_count, token_count: thread.tokens_in + thread.tokens_out },
        ai_model: summary.model,
        ai_prompt: SUMMARY_REQUEST,
        metadata: { tokens_in: summary.tokensIn, tokens_out: summary.tokensOut },
      });
      return { summary_artifact_id: artifact.id, summary_error: null };
    } catch (error) {
      // Another call stored the thread's summary first (the RPC refuses a second, PT409):
      // that one is the summary.
      const winner = await storedSummaryId(db, executionId, threadId);
      if (winner) return { summary_artifact_id: winner, summary_error: null };
      throw error;
    }
  } catch (error) {
    if (error instanceof LlmError) console.warn(`summary: LLM ${error.kind}: ${describeCause(error.cause)}`);
    else console.error('summary failed', error);
    return {
      summary_artifact_id: null,
      summary_error:
        error instanceof LlmError || error instanceof HttpError
          ? `${error.message} The step is completed; complete the thread again to retry the summary.`
          : 'The summary could not be written. The step is completed; complete the thread again to retry the summary.',
    };
  }
}
