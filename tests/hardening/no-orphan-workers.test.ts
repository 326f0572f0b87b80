// Function workers die with the gateway that started them, however it ends: after a
// kill -9 of the gateway, a worker once kept running, orphaned, with the service-role key
// in its environment.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useContractStack } from '../contract/harness.ts';

const stack = useContractStack();

/** Pids of the processes whose environment points them at `apiUrl` (the gateway's workers). */
function workersOf(apiUrl: string): number[] {
  const marker = `SUPABASE_URL=${apiUrl}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) pids.push(Number(entry));
    } catch { /* gone, or not ours to read */ }
  }
  return pids;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('function workers', () => {
  it('end when their gateway is killed with SIGKILL', async () => {
    const gateway = spawn(process.execPath, [path.resolve('tests/hardening/fixtures/gateway-process.mjs'), stack.dbUrl], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        gateway.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
        gateway.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
      });
      const answer = await fetch(`${url}/functions/v1/echo`, { headers: { Authorization: `Bearer ${stack.anonKey}` } });
      expect(answer.status).toBe(200);
      expect(workersOf(url).length).toBeGreaterThan(0);

      gateway.kill('SIGKILL');
      expect(await until(() => workersOf(url).length === 0, 10_000)).toBe(true);
    } finally {
      gateway.kill('SIGKILL');
    }
  }, 90_000);
});
