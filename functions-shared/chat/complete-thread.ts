// The `complete-thread` Edge Function: completes the thread (and its step) through the
// RPC, then asks the model for a short summary of the conversation and stores it as an
// AI `summary` artifact linked to the step. The completion stands even if the summary
// fails; calling again on a completed thread only retries the missing summary.
import type { SupabaseClient } from '@supabase/supabase-js';
import { answer, callerClient, envFrom, HttpError, jsonResponse, parseJsonBody, serviceClient, type FunctionEnv } from '../http.ts';
import { providerFromEnv } from '../llm/index.ts';
import { collect, describeCause, LlmError, type ChatTurn, type LlmProvider } from '../llm/types.ts';
import { SUMMARY_REQUEST, summaryMessages } from '../prompts/system.ts';
import { verifiedCallerId } from './caller.ts';
import { rpc } from '../api/rpc.ts';
import { fitTitle } from '../text.ts';
import { CompleteThreadRequestBody } from '../api/functions.ts';

export interface CompleteThreadDeps {
  env: FunctionEnv;
  provider: LlmProvider;
  /** The service-role client that stores the AI summary (made from env when absent). */
  service?: SupabaseClient;
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
    const result = { ...completed, summary_artifact_id: null as string | null, summary_error: null as string | null };

    const existing = await rpc(db, 'list_artifacts', {
      execution_id: completed.thread.execution_id,
      artifact_type: 'summary',
    });
    const stored = existing.find((a) => a.thread_id === body.thread_id);
    if (stored) return jsonResponse({ ...result, summary_artifact_id: stored.id });

    try {
      const thread = await rpc(db, 'get_chat_thread', { thread_id: body.thread_id });
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
      result.summary_artifact_id = artifact.id;
    } catch (error) {
      if (error instanceof LlmError) console.warn(`summary: LLM ${error.kind}: ${describeCause(error.cause)}`);
      else console.error('summary failed', error);
      result.summary_error =
        error instanceof LlmError || error instanceof HttpError
          ? `${error.message} The step is completed; complete the thread again to retry the summary.`
          : 'The summary could not be written. The step is completed; complete the thread again to retry the summary.';
    }
    return jsonResponse(result);
  });
}
