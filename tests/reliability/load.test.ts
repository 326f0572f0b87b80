// Short form of `npm run reliability` — load: 10 simulated CSMs for 10 s doing the real mix
// (queue, open a workflow, context, a streamed chat turn, execute-action with idempotency
// keys and replays, a declared-400 refusal, tasks) on the shared test stack; no 5xx, no
// unexpected 4xx, and afterwards every count reconciles in SQL.
import { describe, expect, it } from 'vitest';
import { stack } from '../support/stack.ts';
import { reliability } from './harness.ts';

describe('reliability: load', () => {
  it('10 CSMs for 10 s: no errors, and what was acknowledged is exactly what is stored', async () => {
    const { stats, ledger } = await reliability.load.runLoad({ url: stack.url, anonKey: stack.anonKey, dbUrl: stack.dbUrl, csms: 10, seconds: 10 });
    const { problems, rows } = await reliability.load.reconcile(stack.dbUrl, ledger);
    console.log(reliability.report.table([{ scenario: 'load (short)', requests: stats.requests, errors: stats.errors + problems.length, faults: 0, reconciled: rows }]));
    expect(stats.failures).toEqual([]);
    expect(stats.errors).toBe(0);
    expect(problems).toEqual([]);
    expect(stats.requests).toBeGreaterThan(100);
    expect(ledger.actions.length).toBeGreaterThan(10);
    expect(ledger.chats.length).toBeGreaterThan(10);
    expect(ledger.refused.length).toBeGreaterThan(0);
  }, 90_000);
});
