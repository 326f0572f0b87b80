// @ts-check
// Crash: the load runs against a stack of its own (StackProcess: `renubu start` in a temp
// dir on free ports) while faults are injected — kill -9 of the Postgres postmaster, of the
// gateway process, and of the chat function's Deno worker mid-stream. After each fault the
// stack is brought back as `renubu start` does (on the same data). Afterwards, every write
// a client was told about (2xx) must be there, nothing may be stuck once the reaper ran as
// the cron job would, and the usual reconciliation must hold for what clients saw.
import { withClient } from '../db/database.mjs';
import { FaultClock, newLedger, newStats, reconcile, runLoad } from './load.mjs';

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The crash scenario's stack: the built-in model streams each chunk 60 ms apart (default 15),
 * so an answer lasts a second or two and killing the chat worker lands mid-stream, not just
 * after an answer that was already complete.
 */
export const CRASH_STACK_ENV = { LLM_MOCK_DELAY_MS: '60' };

/**
 * @param {import('./stack-process.mjs').StackProcess} stack a started stack
 * @param {{ csms?: number, seconds?: number, faults?: ('postmaster' | 'gateway' | 'worker')[], log?: (line: string) => void }} options
 */
export async function runCrash(stack, { csms = 20, seconds = 40, faults = ['worker', 'postmaster', 'gateway'], log = () => {} }) {
  const stats = newStats('crash');
  const ledger = newLedger();
  const clock = new FaultClock();
  const cfg = stack.cfg;
  const plan = faults.map((kind, i) => ({ kind, at: Math.round(((i + 1) * seconds * 1000) / (faults.length + 1)), done: false }));
  /** @type {string[]} */
  const notes = [];
  let busy = false;

  /** @param {'postmaster' | 'gateway' | 'worker'} kind */
  async function inject(kind) {
    const w = clock.begin(kind);
    const t0 = Date.now();
    if (kind === 'worker') {
      // Only meaningful mid-stream: wait (up to 10 s) until an answer is streaming, then kill.
      const until = Date.now() + 10_000;
      while (Date.now() < until && !(stats.streamsMidway > 0 && stack.workerPid('chat'))) await sleep(10);
      const midway = stats.streamsMidway;
      const pid = stack.killWorker('chat');
      notes.push(pid ? `killed the chat Deno worker (pid ${pid}) with ${midway} answer(s) mid-stream` : 'no chat worker to kill');
      // The gateway starts a new worker on the next request.
    } else if (kind === 'postmaster') {
      const pid = await stack.killPostmaster();
      notes.push(`kill -9 postmaster (pid ${pid})`);
      await stack.stop(); // the stack process ends (as Ctrl-C would); the cluster is already gone
      await stack.start(); // `renubu start` on the same data: crash recovery, pending migrations
    } else {
      const pid = await stack.killGateway();
      notes.push(`kill -9 gateway/web process (pid ${pid})${stack.orphans.length ? `; ${stack.orphans.length} Deno worker(s) outlived it` : ''}`);
      await stack.start();
    }
    stats.faults++;
    notes[notes.length - 1] += ` — back in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
    clock.end(w);
  }

  await runLoad({
    url: cfg.apiUrl, anonKey: cfg.anonKey, dbUrl: cfg.dbUrl, csms, seconds, stats, ledger, faults: clock, log,
    onProgress: async (elapsed) => {
      if (busy) return;
      const next = plan.find((p) => !p.done && elapsed >= p.at);
      if (!next) return;
      next.done = true;
      busy = true;
      try {
        await inject(next.kind);
      } finally {
        busy = false;
      }
    },
  });
  // A fault planned after the load's end still happens (never silently skipped).
  for (const p of plan.filter((x) => !x.done)) await inject(p.kind);
  await sleep(500);
  clock.windows.forEach((w, i) => { if (notes[i]) notes[i] += `; ${w.failures} request(s) failed during it`; });

  // The reaper, as the cron job runs it — with no age threshold, since the load is over and
  // nothing can still be streaming legitimately (the cron job waits 5 minutes).
  const reaped = await withClient(cfg.dbUrl, async (db) => (await db.query(`select app.reap_stuck_chat_messages(interval '0') as n`)).rows[0].n);
  notes.push(`reaper failed ${reaped} unfinished assistant message(s)`);
  const { problems, rows } = await reconcile(cfg.dbUrl, ledger, { durability: true, clock });
  stats.reconciled = rows;
  const lease = await withClient(cfg.dbUrl, async (db) => (await import('./load.mjs')).outboxLeaseColumn(db));
  if (!lease) notes.push('email_outbox has no lease column yet: the lease-expiry check was skipped (a row in `sending` counts as stuck)');
  return { stats, ledger, problems, notes, orphans: [...stack.orphans], windows: clock.windows.map((w) => ({ name: w.name, failures: w.failures })) };
}
