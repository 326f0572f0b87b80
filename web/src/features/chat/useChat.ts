// One chat thread: its stored messages, and sending with the answer streamed in token by
// token. The user's message is shown at once; the server's ids replace the local ones as
// soon as the stream says which they are.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { ApiError, isSessionEnded, messageOf } from '../../lib/errors.ts';
import { newId } from '../../lib/format.ts';
import { keepText } from '../../lib/unsentText.ts';
import type { ChatMessage, ChatThread, ToolCall } from '../../lib/types.ts';
import { ANSWER_IN_PROGRESS, UNFINISHED_ANSWER_STATUSES } from '../../../../functions-shared/api/functions.ts';
import { usePreferences } from '../../app/PreferencesProvider.tsx';
import { playChime, shouldChime } from '../notifications/alerts.ts';

/** A tool the assistant called, as the stream reports it and the thread's log is shown. */
export type ChatToolCall = ToolCall;

type Shown = 'id' | 'role' | 'content' | 'sequence' | 'status';
/**
 * A message on screen: a stored one, or the question and the answer being written before
 * the server has named them (only the shown fields are known then).
 */
export type UiMessage = Pick<ChatMessage, Shown> & Partial<Omit<ChatMessage, Shown>> & {
  localId: string;
  calls: ChatToolCall[];
  error?: string | null;
  retryOf?: string;
  /**
   * On a failed answer whose fate on the server is unknown (the request or its stream was cut,
   * or the server could not say): the client id its question was sent with, which Retry sends
   * again, so the server replays what it stored instead of answering a second copy.
   */
  resendAs?: string;
  /** Refused because the session ended: Sign in again helps, a Retry would be refused too. */
  sessionEnded?: boolean;
};

/** Where the chat's box keeps a person's unsent message for a thread (lib/unsentText.ts). */
export function chatDraftKey(profileId: string, threadId: string): string {
  return `${profileId}:${threadId}`;
}

export function toUiMessage(message: ChatMessage, calls: ChatToolCall[] = []): UiMessage {
  const metadataError = typeof message.metadata.error === 'string' ? message.metadata.error : null;
  return { ...message, localId: message.id, calls, error: message.error_message ?? metadataError };
}

/**
 * The conversation as the CSM should read it: a question that failed and was asked again
 * (Retry) shows once, with its final answer — the earlier copy and its failed reply are
 * dropped from the view (they stay stored, as the record of what happened).
 */
export function collapseRetries(messages: UiMessage[]): UiMessage[] {
  const dropped = new Set<string>();
  messages.forEach((message, index) => {
    if (message.role !== 'assistant' || message.status !== 'failed') return;
    const question = message.reply_to_id
      ? messages.find((m) => m.id === message.reply_to_id)
      : messages.slice(0, index).reverse().find((m) => m.role === 'user');
    if (!question) return;
    const askedAgain = messages.slice(index + 1).some((m) => m.role === 'user' && m.content.trim() === question.content.trim());
    if (askedAgain) {
      dropped.add(question.localId);
      dropped.add(message.localId);
    }
  });
  return dropped.size ? messages.filter((message) => !dropped.has(message.localId)) : messages;
}

const unfinished = (status: string | undefined) => status !== undefined && UNFINISHED_ANSWER_STATUSES.includes(status);

export interface UseChatOptions {
  /** How often an answer still being written elsewhere is read again (ms). */
  followEveryMs?: number;
  /** How many times it is read before it is shown as failed (the reaper fails stuck answers after five minutes). */
  followAttempts?: number;
  /** A send refused as a conflict: the thread or its workflow was closed elsewhere, so the page reads it anew. */
  onConflict?: () => void;
}

export function useChat(threadId: string, onToolCall?: (call: ChatToolCall) => void, options: UseChatOptions = {}) {
  const followEveryMs = options.followEveryMs ?? 3_000;
  const followAttempts = options.followAttempts ?? 130;
  const { api, profile } = useWorkspace();
  const profileId = profile.id;
  const { preferences } = usePreferences();
  // Read when a reply ends, which can be long after this render.
  const chimeEnabled = useRef(preferences.chat.enableSoundNotifications);
  chimeEnabled.current = preferences.chat.enableSoundNotifications;
  const [thread, setThread] = useState<ChatThread | null>(null);
  const [messages, setMessages] = useState<UiMessage[]>([]);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const onToolCallRef = useRef(onToolCall);
  onToolCallRef.current = onToolCall;
  const onConflictRef = useRef(options.onConflict);
  onConflictRef.current = options.onConflict;
  /** The answers being followed in the stored thread (stopped when the chat goes away). */
  const following = useRef(new Set<AbortController>());
  /** The stored answers being followed, so a reload of the thread does not follow one twice. */
  const followedIds = useRef(new Set<string>());
  useEffect(() => () => {
    for (const controller of following.current) controller.abort();
    following.current.clear();
  }, [threadId]);

  /** The thread's status as the server has it now (its messages stay as shown). */
  const refreshStatus = useCallback(async () => {
    try {
      const { messages: _messages, tool_calls: _calls, ...latest } = await api.getChatThread(threadId);
      setThread(latest);
    } catch {
      // The failed answer already says what went wrong.
    }
  }, [api, threadId]);

  /** Completed or abandoned here: the composer goes at once, without a reload. */
  const markClosed = useCallback((status: 'completed' | 'abandoned') => {
    setThread((current) => (current ? { ...current, status } : current));
  }, []);

  const patch = (localId: string, change: Partial<UiMessage> | ((message: UiMessage) => Partial<UiMessage>)) =>
    setMessages((current) => current.map((message) => (message.localId === localId
      ? { ...message, ...(typeof change === 'function' ? change(message) : change) } : message)));

  /**
   * An answer still being written by an earlier send of the same message: it stays pending,
   * and the stored thread is read again until the answer is finished (then shown as stored)
   * or, after the last attempt, it is shown as failed.
   */
  const follow = useCallback(async (localId: string, messageId: string) => {
    if (followedIds.current.has(messageId)) return;
    followedIds.current.add(messageId);
    const controller = new AbortController();
    following.current.add(controller);
    try {
      for (let attempt = 0; attempt < followAttempts; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, followEveryMs));
        if (controller.signal.aborted) return;
        let stored: Awaited<ReturnType<typeof api.getChatThread>>;
        try {
          stored = await api.getChatThread(threadId);
        } catch {
          continue;
        }
        if (controller.signal.aborted) return;
        const found = stored.messages.find((message) => message.id === messageId);
        if (!found || unfinished(found.status)) continue;
        if (found.status !== 'failed' && shouldChime(chimeEnabled.current, document.visibilityState)) playChime();
        const shown = toUiMessage(found, stored.tool_calls.filter((call) => call.message_id === messageId));
        patch(localId, { ...shown, localId });
        return;
      }
      patch(localId, { status: 'failed', error: 'The answer was not finished. Reload the chat to see it, or ask again.' });
    } finally {
      following.current.delete(controller);
      followedIds.current.delete(messageId);
    }
  }, [api, threadId, followEveryMs, followAttempts]);

  const load = useCallback(async () => {
    setLoading(true);
    setLoadError(null);
    try {
      const result = await api.getChatThread(threadId);
      const { messages: stored, tool_calls: calls, ...thread } = result;
      setThread(thread);
      const shown = collapseRetries(stored
        .filter((message) => message.role === 'user' || message.role === 'assistant')
        .map((message) => toUiMessage(message, calls.filter((call) => call.message_id === message.id))));
      setMessages(shown);
      // An answer still being written (by the stream a reload cut, or another tab's) is read
      // again until it is finished, so it appears without another reload.
      for (const message of shown) {
        if (message.role === 'assistant' && unfinished(message.status)) void follow(message.localId, message.id);
      }
    } catch (caught) {
      setLoadError(caught);
    } finally {
      setLoading(false);
    }
  }, [api, threadId, follow]);

  useEffect(() => {
    void load();
    return () => abort.current?.abort();
  }, [load]);

  const send = useCallback(async (content: string, retryOf?: string, resendAs?: string) => {
    const text = content.trim();
    if (!text || sending) return;
    const clientMessageId = resendAs ?? newId();
    const userLocal = `local-user-${clientMessageId}`;
    const assistantLocal = `local-assistant-${clientMessageId}`;
    const now = new Date().toISOString();
    setMessages((current) => [
      ...current,
      { id: userLocal, localId: userLocal, role: 'user', content: text, sequence: Number.MAX_SAFE_INTEGER - 1, status: 'complete', calls: [], created_at: now, client_message_id: clientMessageId, retryOf },
      { id: assistantLocal, localId: assistantLocal, role: 'assistant', content: '', sequence: Number.MAX_SAFE_INTEGER, status: 'pending', calls: [], created_at: now },
    ]);
    setSending(true);
    const controller = new AbortController();
    abort.current = controller;
    let failed = false;
    /** The stored answer's id, and whether it is still being written by an earlier send. */
    let assistantId: string | null = null;
    let inProgress = false;
    try {
      await api.streamChat({ thread_id: threadId, content: text, client_message_id: clientMessageId }, {
        onMessages: ({ user_message, assistant_message }) => {
          patch(userLocal, { id: user_message.id });
          if (assistant_message) {
            assistantId = assistant_message.id;
            patch(assistantLocal, { id: assistant_message.id, status: 'streaming' });
          }
        },
        onDelta: (delta) => patch(assistantLocal, (message) => ({ content: message.content + delta, status: 'streaming' })),
        onToolCall: (call) => {
          const entry: ChatToolCall = { ...call };
          patch(assistantLocal, (message) => ({ calls: [...message.calls, entry] }));
          onToolCallRef.current?.(entry);
        },
        onDone: (final) => {
          // Only a finished answer is done; an unfinished one (an older server) is followed.
          if (unfinished(final?.status)) {
            inProgress = true;
            if (final?.id) assistantId = final.id;
            return;
          }
          if (final?.status !== 'failed' && shouldChime(chimeEnabled.current, document.visibilityState)) playChime();
          patch(assistantLocal, (message) => {
            const finalFailed = final?.status === 'failed';
            failed = failed || finalFailed;
            return {
              ...(final?.id ? { id: final.id } : {}),
              content: final?.content || message.content,
              status: finalFailed ? 'failed' : 'complete',
              error: finalFailed ? (final?.error_message ?? (final?.metadata.error as string | undefined) ?? 'The assistant could not answer.') : null,
              tokens_in: final?.tokens_in ?? message.tokens_in,
              tokens_out: final?.tokens_out ?? message.tokens_out,
              model: final?.model ?? message.model,
              metadata: final?.metadata ?? message.metadata,
            };
          });
        },
        onError: (error) => {
          if (error.code === ANSWER_IN_PROGRESS) {
            inProgress = true;
            return;
          }
          failed = true;
          patch(assistantLocal, { status: 'failed', error: error.message });
        },
      }, controller.signal);
      if (inProgress && assistantId && !failed) {
        // Still being written by an earlier send of this message: pending until it is stored.
        void follow(assistantLocal, assistantId);
      } else if (!failed) {
        // A stream that closes without `done` is not a complete answer; the server may still
        // finish it, so Retry asks under the same id.
        patch(assistantLocal, (message) => (message.status === 'complete' ? {}
          : { status: 'failed', error: message.error ?? 'The answer was cut off.', resendAs: clientMessageId }));
      }
    } catch (caught) {
      if (controller.signal.aborted) return;
      const reason = caught instanceof ApiError || caught instanceof Error ? messageOf(caught) : 'The message could not be sent.';
      // Not reached, refused, or cut before the end: whether the server stored the question is
      // not known here, so Retry sends it under the same id (a refusal is refused again).
      const sessionEnded = isSessionEnded(caught);
      patch(assistantLocal, { status: 'failed', error: reason, resendAs: clientMessageId, sessionEnded });
      // Sent, the question left the box; refused with the session, it goes back to be kept
      // there (lib/unsentText.ts), so signing in again finds it in the box, not lost.
      if (sessionEnded) keepText(chatDraftKey(profileId, threadId), text);
      // A conflict means the thread or its workflow was closed (elsewhere, or by another tab):
      // show it as it is now.
      if (caught instanceof ApiError && caught.isConflict) {
        void refreshStatus();
        onConflictRef.current?.();
      }
    } finally {
      if (abort.current === controller) abort.current = null;
      setSending(false);
    }
  }, [api, profileId, threadId, sending, refreshStatus, follow]);

  /**
   * Asks again: the failed answer and its question leave the view, and the question is sent
   * once more — it shows once, not twice. An answer the server said failed is asked for anew
   * (a new client id); one whose request was lost is asked for under its first id, so the
   * server replays what it stored (or waits for it) rather than store and answer it twice.
   */
  const retry = useCallback((failedLocalId: string) => {
    if (sending) return;
    const index = messages.findIndex((message) => message.localId === failedLocalId);
    const question = messages.slice(0, index).reverse().find((message) => message.role === 'user');
    if (!question) return;
    setMessages((current) => current.filter((message) => message.localId !== failedLocalId && message.localId !== question.localId));
    void send(question.content, failedLocalId, messages[index]?.resendAs);
  }, [messages, send, sending]);

  return { thread, setThread, markClosed, messages, loading, loadError, sending, send, retry, reload: load };
}
