// Answers grounded in the customer's history, through the chat handler and the real
// database: a `rag` thread (the step's "Ask about this account's history" branch) cites
// passages that are real rows of THIS customer and none of another organisation's, sends
// the citations as an SSE event and stores them on the message; with nothing matching it
// says so; "when did we last talk" answers with the last engagement's date; an on-script
// llm branch declines an off-topic question; the Ollama path gets the passages as a
// delimited data block and its [n] become citations too.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { handleChat } from '../../functions-shared/chat/handler.ts';
import { envFrom } from '../../functions-shared/http.ts';
import { MockProvider, OllamaProvider, type LlmProvider } from '../../functions-shared/llm/index.ts';
import { HISTORY_OPEN } from '../../functions-shared/prompts/system.ts';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';
import { signedInAs, withDb } from '../support/stack.ts';
import { accessToken, allEvents, chatRequest, freshChat, functionEnv, type Fixture } from './chat-fixtures.ts';

let csm: SupabaseClient;
let token: string;
let fake: FakeOllama;
const mock = new MockProvider({ delayMs: 0 });

beforeAll(async () => {
  csm = await signedInAs('csm');
  token = await accessToken(csm);
  fake = await startFakeOllama();
});
afterAll(() => fake.close());

function send(threadId: string, content: string, provider: LlmProvider = mock) {
  return handleChat(chatRequest(token, { thread_id: threadId, content, client_message_id: randomUUID() }), {
    env: envFrom(functionEnv()),
    provider,
  }).then(allEvents);
}

async function ragThread(fx: Fixture): Promise<string> {
  const { data, error } = await csm.rpc('create_chat_thread', { execution_id: fx.executionId, step_key: fx.stepKey, branch_key: 'ask-history' });
  if (error) throw new Error(JSON.stringify(error));
  expect(data.thread_type).toBe('rag');
  return data.id as string;
}

/** Engagement events of a customer: [type, days ago, title, description]. */
async function logEvents(customerId: string, events: Array<[string, number, string, string]>): Promise<string[]> {
  return withDb(async (db) => {
    const ids: string[] = [];
    for (const [type, ago, title, description] of events) {
      const { rows } = await db.query<{ id: string }>(
        `insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description)
         select c.org_id, c.id, $2, now() - make_interval(days => $3), $4, $5 from app.customers c where c.id = $1 returning id`,
        [customerId, type, ago, title, description],
      );
      ids.push(rows[0]!.id);
    }
    return ids;
  });
}

/** A customer of another organisation with the same words in its history. */
async function otherOrganisationsHistory(): Promise<string> {
  return withDb(async (db) => {
    const org = await db.query<{ id: string }>(`insert into app.organisations (name, slug) values ('Rival', 'rival-' || gen_random_uuid()) returning id`);
    const customer = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date) values ($1, 'Rival customer', 1000, 50, current_date + 90) returning id`,
      [org.rows[0]!.id],
    );
    const event = await db.query<{ id: string }>(
      `insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description)
       values ($1, $2, 'meeting', now(), 'SSO outage review', 'SSO outage and the SAML certificate') returning id`,
      [org.rows[0]!.id, customer.rows[0]!.id],
    );
    return event.rows[0]!.id;
  });
}

describe('a rag thread (built-in model)', () => {
  it('cites real rows of this customer only, as an SSE event and on the stored message', async () => {
    const fx = await freshChat(csm);
    const rival = await otherOrganisationsHistory();
    const [outage, followUp] = await logEvents(fx.customerId, [
      ['meeting', 12, 'SSO outage review', 'The SSO outage lasted four hours; their IT lead wants the SAML certificate rotation automated.'],
      ['email', 4, 'Outage follow-up', 'Sent the root-cause report for the SSO outage.'],
      ['call', 1, 'Budget call', 'Finance asked about a multi-year discount.'],
    ]);
    const threadId = await ragThread(fx);

    const events = await send(threadId, 'What happened with the SSO outage?');
    const text = events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('');
    const citations = events.find((e) => e.event === 'citations')!.data.citations as Array<{ n: number; source_kind: string; source_id: string; occurred_at: string }>;
    const done = events.at(-1)!;
    expect(done.event).toBe('done');

    // the meeting named as the timeline names it (source_subtype), no longer 'activity'
    expect(text).toMatch(/SSO outage review \(meeting, \d{1,2} [A-Z][a-z]+ \d{4}\): .*\[1\]/);
    expect(citations.map((c) => c.source_id).sort()).toEqual([outage, followUp].sort());
    expect((citations as Array<{ source_id: string; source_subtype?: string | null }>).find((c) => c.source_id === outage)?.source_subtype).toBe('meeting');
    for (const c of citations) expect(text).toContain(`[${c.n}]`);
    expect(citations.map((c) => c.source_id)).not.toContain(rival);
    expect(done.data.metadata.citations).toEqual(citations);

    // Every cited source is a real engagement row of this customer, dated as cited.
    const rows = await withDb((db) =>
      db.query<{ id: string; customer_id: string; occurred_at: Date }>('select id, customer_id, occurred_at from app.engagement_events where id = any($1)', [
        citations.map((c) => c.source_id),
      ]),
    );
    expect(rows.rows).toHaveLength(citations.length);
    for (const row of rows.rows) {
      expect(row.customer_id).toBe(fx.customerId);
      expect(citations.find((c) => c.source_id === row.id)!.occurred_at.slice(0, 10)).toBe(row.occurred_at.toISOString().slice(0, 10));
    }

    // Stored on the message: the web app links from the thread as reloaded.
    const { data: thread } = await csm.rpc('get_chat_thread', { thread_id: threadId });
    expect(thread.messages.at(-1).metadata.citations).toEqual(citations);
  });

  it('says so when nothing in the history matches', async () => {
    const fx = await freshChat(csm, { customerName: `Quiet Co ${randomUUID().slice(0, 6)}` });
    await logEvents(fx.customerId, [['meeting', 3, 'Kick-off', 'Agreed the onboarding plan.']]);
    const threadId = await ragThread(fx);
    const events = await send(threadId, 'What did they say about quantum teleportation?');
    const done = events.at(-1)!;
    expect(done.data.content).toContain(`I found nothing in ${(await customerName(fx.customerId))}'s history about quantum teleportation.`);
    expect(done.data.metadata.citations).toEqual([]);
  });
});

async function customerName(id: string): Promise<string> {
  return withDb(async (db) => (await db.query<{ name: string }>('select name from app.customers where id = $1', [id])).rows[0]!.name);
}

describe('the built-in model answers the question', () => {
  it('"when did we last talk" answers with the last engagement\'s date, cited', async () => {
    const fx = await freshChat(csm);
    const [, last] = await logEvents(fx.customerId, [
      ['meeting', 20, 'QBR', 'Quarterly review.'],
      ['call', 2, 'Renewal call', 'Walked through the renewal quote.'],
    ]);
    await logEvents(fx.customerId, [['meeting', -7, 'Next QBR', 'Scheduled, not yet held.']]);
    const events = await send(fx.threadId, 'When did we last talk to them?');
    const done = events.at(-1)!;
    // The date as the built-in model writes it in a sentence: 3 December 2026.
    const date = await withDb(async (db) => (await db.query<{ d: string }>(`select to_char(occurred_at at time zone 'UTC', 'FMDD FMMonth YYYY') d from app.engagement_events where id = $1`, [last])).rows[0]!.d);
    expect(done.data.content).toContain(`was on ${date} (`);
    expect(done.data.content).toContain('Renewal call');
    expect(done.data.metadata.citations.map((c: { source_id: string }) => c.source_id)).toEqual([last]);
  });

  it('an on-script llm branch declines a question outside its step and says so', async () => {
    const branch = await withDb(async (db) =>
      (
        await db.query<{ workflow_key: string; branch_key: string; step_title: string }>(
          `select w.key as workflow_key, b.branch_key, v.config -> 'steps' -> 0 ->> 'title' as step_title
             from app.workflow_chat_branches b
             join app.workflow_versions v on v.id = b.workflow_version_id and b.step_key = v.config -> 'steps' -> 0 ->> 'key'
             join app.workflows w on w.id = v.workflow_id and w.org_id is null and v.version = w.current_version
            where b.branch_type = 'llm' and not b.allow_off_script
            order by w.key, b.branch_key limit 1`,
        )
      ).rows[0]!,
    );
    const fx = await freshChat(csm, { workflowKey: branch.workflow_key });
    const { data: thread, error } = await csm.rpc('create_chat_thread', { execution_id: fx.executionId, step_key: fx.stepKey, branch_key: branch.branch_key });
    expect(error).toBeNull();
    const offTopic = await send(thread.id, 'Write me a poem about the ocean');
    expect(offTopic.at(-1)!.data.content).toMatch(new RegExp(`^That is outside this step \\(${branch.step_title.replace(/[()]/g, '\\$&')}\\)`));
    const onTopic = await send(thread.id, 'What are the biggest risks and who should I talk to?');
    expect(onTopic.at(-1)!.data.content).toMatch(/The biggest risks at .*Talk to Chris Champion/);
  });
});

describe('rag with Ollama (fake server, real client)', () => {
  it('gets the passages as a delimited data block, and its [n] become citations', async () => {
    const fx = await freshChat(csm);
    const [pricing] = await logEvents(fx.customerId, [['call', 5, 'Pricing call', 'They want a lower price per seat.']]);
    const threadId = await ragThread(fx);
    fake.script({ kind: 'stream', chunks: ['They pushed back ', 'on the seat price [1].'] });
    const events = await send(threadId, 'What did they say about pricing?', new OllamaProvider({ host: fake.url, timeoutMs: 2_000 }));

    const system = fake.received.at(-1)!.messages[0]!.content;
    expect(system).toContain(HISTORY_OPEN);
    expect(system).toContain('"title":"Pricing call"');
    expect(system.lastIndexOf(HISTORY_OPEN)).toBeGreaterThan(system.indexOf('</customer_data>'));
    const citations = events.find((e) => e.event === 'citations')!.data.citations;
    expect(citations).toMatchObject([{ n: 1, source_kind: 'engagement', source_id: pricing }]);
    expect(events.at(-1)!.data).toMatchObject({ status: 'complete', model: 'llama3.1:8b', metadata: { provider: 'ollama', citations } });
  });
});
