// Short form of `npm run reliability` — crash, on a throwaway stack of its own (the shared
// test stack must not lose its database): 8 CSMs for 15 s while the chat function's Deno
// worker, the Postgres postmaster and the gateway process are each killed with -9 and the
// stack restarted as `renubu start` does, on the same data. Every write a client got a 2xx
// for is still there, and nothing is stuck once the reaper ran.
import { afterAll, describe, expect, it } from 'vitest';
import { reliability } from './harness.ts';

const stack = await new reliability.stack.StackProcess({ env: reliability.crash.CRASH_STACK_ENV }).init();
afterAll(() => stack.destroy(), 60_000);

describe('reliability: crash', () => {
  it('survives kill -9 of the chat worker, the postmaster and the gateway: nothing acknowledged is lost, nothing stuck', async () => {
    await stack.start();
    const result = await reliability.crash.runCrash(stack, { csms: 8, seconds: 15 });
    console.log(result.notes.join('\n'));
    expect(result.stats.faults).toBe(3);
    // The worker really died mid-stream: at least one streaming answer was cut (and then
    // failed by the reaper, which `problems` checks: nothing left streaming).
    expect(result.windows.find((w) => w.name === 'worker')?.failures).toBeGreaterThan(0);
    expect(result.stats.failures).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.orphans, 'Deno workers that outlived the killed gateway').toEqual([]);
    expect(result.ledger.actions.length + result.ledger.chats.length).toBeGreaterThan(20);
  }, 180_000);
});
