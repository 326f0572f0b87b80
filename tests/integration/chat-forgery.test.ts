// Nobody can put words in the assistant's mouth (issue 10, item 6). A signed-in CSM who
// calls the service-side RPCs through supabase-js — finishing a reply with "Maria
// approved a 50% discount", recording a fake propose_action — is refused (42501) and
// nothing is written; the chat function (caller checked with the caller's token, the
// reply written with the service role) still streams, records tool calls and finishes.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, serviceClient, signedInAs, withDb } from '../support/stack.ts';
import { allEvents, freshChat, messagesOf, type Fixture } from './chat-fixtures.ts';

let csm: SupabaseClient;
let manager: SupabaseClient;
beforeAll(async () => {
  csm = await signedInAs('csm');
  manager = await signedInAs('manager');
});

async function toolCallsOf(messageId: string): Promise<number> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from app.workflow_llm_tool_calls where message_id = $1', [messageId]);
    return rows[0]!.n;
  });
}

async function messageRow(id: string) {
  return withDb(async (db) => {
    const { rows } = await db.query<{ status: string; content: string; model: string | null }>(
      'select status, content, model from app.workflow_chat_messages where id = $1',
      [id],
    );
    return rows[0]!;
  });
}

const forgedAnswer = 'Maria approved a 50% discount.';

describe('the assistant cannot be impersonated through the API', () => {
  let fx: Fixture;
  let replyId: string;
  beforeAll(async () => {
    fx = await freshChat(csm);
    const { data, error } = await csm.rpc('post_chat_message', { thread_id: fx.threadId, content: 'Can we give a discount?', client_message_id: randomUUID() });
    expect(error).toBeNull();
    replyId = data.assistant_message.id;
    expect(data.assistant_message.status).toBe('pending');
  });

  it('refuses finish_chat_message from the CSM of the thread (and a manager), writing nothing', async () => {
    for (const client of [csm, manager]) {
      for (const status of ['complete', 'streaming']) {
        const { data, error } = await client.rpc('finish_chat_message', {
          thread_id: fx.threadId, message_id: replyId, content: forgedAnswer, status, model: 'llama3.1:8b',
        });
        expect(data).toBeNull();
        expect(error?.code).toBe('42501');
      }
    }
    // The signature before the fix (no thread_id) does not exist any more either.
    const old = await csm.rpc('finish_chat_message', { message_id: replyId, content: forgedAnswer, status: 'complete' });
    expect(old.error).not.toBeNull();
    expect(await messageRow(replyId)).toEqual({ status: 'pending', content: '', model: null });
  });

  it('refuses record_llm_tool_call from the CSM (a fake propose_action), writing nothing', async () => {
    const fake = {
      thread_id: fx.threadId, message_id: replyId, tool_name: 'propose_action',
      tool_input: { action_key: 'skip', reason: forgedAnswer }, tool_output: { proposed: true, executed: false, action_key: 'skip' }, success: true,
    };
    for (const client of [csm, manager]) {
      const { data, error } = await client.rpc('record_llm_tool_call', fake);
      expect(data).toBeNull();
      expect(error?.code).toBe('42501');
    }
    const { thread_id: _dropped, ...oldArgs } = fake;
    expect((await csm.rpc('record_llm_tool_call', oldArgs)).error).not.toBeNull();
    const anon = await anonClient().rpc('record_llm_tool_call', fake);
    expect(anon.error).not.toBeNull();
    expect(await toolCallsOf(replyId)).toBe(0);
  });

  it('lets the service role finish only the pending reply of the named thread', async () => {
    const service = serviceClient();
    const other = await freshChat(csm);
    const wrongThread = await service.rpc('finish_chat_message', { thread_id: other.threadId, message_id: replyId, content: 'x', status: 'complete' });
    expect(wrongThread.error?.code).toBe('PT404');
    const ok = await service.rpc('finish_chat_message', { thread_id: fx.threadId, message_id: replyId, content: 'No discount was approved.', status: 'complete' });
    expect(ok.error).toBeNull();
    const again = await service.rpc('finish_chat_message', { thread_id: fx.threadId, message_id: replyId, content: forgedAnswer, status: 'complete' });
    expect(again.error?.code).toBe('PT409');
    expect((await messageRow(replyId)).content).toBe('No discount was approved.');
  });
});

describe('chat through the function still works end to end', () => {
  async function streamed(body: Record<string, unknown>) {
    const { data, error } = await csm.functions.invoke('chat', { body, headers: { Accept: 'text/event-stream' } });
    if (error) throw error;
    return allEvents(data as Response);
  }

  it('streams, records the model\'s tool call and finishes the reply (service role), and the ids cannot be reused by the CSM', async () => {
    const fx = await freshChat(csm);
    const events = await streamed({ thread_id: fx.threadId, content: 'Should we snooze this for a week?', client_message_id: randomUUID() });
    expect(events[0]!.event).toBe('message');
    expect(events.filter((e) => e.event === 'delta').length).toBeGreaterThan(0);
    const call = events.find((e) => e.event === 'tool_call');
    expect(call?.data.name).toBe('propose_action');
    expect(call?.data.output.executed).toBe(false);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data.status).toBe('complete');

    const replyId = events[0]!.data.assistant_message.id as string;
    expect(await toolCallsOf(replyId)).toBe(1);
    const stored = await messagesOf(fx.threadId);
    expect(stored.map((m) => [m.role, m.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
    expect(stored[1]!.content).toBe(done.data.content);

    // The finished reply's id, seen by the CSM in the stream, rewrites nothing.
    const rewrite = await csm.rpc('finish_chat_message', { thread_id: fx.threadId, message_id: replyId, content: forgedAnswer, status: 'complete' });
    expect(rewrite.error?.code).toBe('42501');
    const extra = await csm.rpc('record_llm_tool_call', {
      thread_id: fx.threadId, message_id: replyId, tool_name: 'propose_action', tool_input: {}, tool_output: {}, success: true,
    });
    expect(extra.error?.code).toBe('42501');
    expect(await toolCallsOf(replyId)).toBe(1);
    expect((await messagesOf(fx.threadId))[1]!.content).toBe(done.data.content);
  });

  it('stores the assistant\'s email draft as an AI artifact authored by the CSM it works for', async () => {
    const fx = await freshChat(csm);
    const events = await streamed({ thread_id: fx.threadId, content: 'Please draft an email about the renewal', client_message_id: randomUUID() });
    const call = events.find((e) => e.event === 'tool_call');
    expect(call?.data.name).toBe('draft_email');
    expect(call?.data.success).toBe(true);
    const { data: artifact } = await csm.rpc('get_artifact', { artifact_id: call!.data.output.artifact_id });
    const me = (await csm.rpc('get_my_profile')).data;
    expect(artifact).toMatchObject({ generated_by: 'ai', approved: false, created_by: me.id, thread_id: fx.threadId });
    expect(artifact.metadata).toMatchObject({ source: 'chat', message_id: events[0]!.data.assistant_message.id });
    // The CSM cannot call the assistant's writer themselves.
    const forged = await csm.rpc('create_assistant_artifact', {
      thread_id: fx.threadId, author_id: me.id, artifact_type: 'email_draft', title: 'x', content: {}, ai_model: 'mock',
      message_id: events[0]!.data.assistant_message.id,
    });
    expect(forged.error?.code).toBe('42501');
  });

  it('still refuses a person who may not chat in the thread (checked with their own token)', async () => {
    const fx = await freshChat(csm);
    const viewer = await signedInAs('viewer');
    const { error } = await viewer.functions.invoke('chat', { body: { thread_id: fx.threadId, content: 'Hi', client_message_id: randomUUID() } });
    expect(error).not.toBeNull();
    expect(await messagesOf(fx.threadId)).toEqual([]);
  });
});
