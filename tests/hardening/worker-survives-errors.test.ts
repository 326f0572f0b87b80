// A function's worker outlives the errors its code leaves uncaught: by Deno's default a
// promise left to reject, or a throw in a timer, ended the worker process (and every
// request it was serving), so the next call found a fresh one.
import { describe, expect, it } from 'vitest';
import { useContractStack } from '../contract/harness.ts';

const stack = useContractStack();

async function call(what: string): Promise<{ status: number; pid?: number }> {
  const res = await fetch(`${stack.url}/functions/v1/stray?do=${what}`, { headers: { Authorization: `Bearer ${stack.anonKey}` } });
  const text = await res.text();
  return { status: res.status, pid: res.ok ? (JSON.parse(text) as { pid: number }).pid : undefined };
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('function workers and uncaught errors', () => {
  it('a rejected promise, a throw in a timer and a throwing handler leave the same worker serving', async () => {
    const first = await call('nothing');
    expect(first.status).toBe(200);

    expect((await call('reject')).status).toBe(200);
    await pause(300);
    expect((await call('timer')).status).toBe(200);
    await pause(300);
    expect((await call('throw')).status).toBe(500);

    const after = await call('nothing');
    expect(after).toEqual({ status: 200, pid: first.pid });
    expect(stack.log.join('\n')).toMatch(/unhandled rejection[\s\S]*a promise nobody awaited/);
  }, 90_000);
});
