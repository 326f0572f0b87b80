// The reliability library (local/reliability/*.mjs, shared with `npm run reliability`) as
// the short form inside `npm test` sees it. Plain JavaScript, so typed here by hand.
import path from 'node:path';

export interface Stats {
  scenario: string; requests: number; ok: number; expected4xx: number; errors: number;
  faultFailures: number; faults: number; reconciled: number; failures: string[]; seconds: number;
  http5xx: number; unexpected4xx: number; network: number; streamsMidway: number;
}
export interface Ledger {
  actions: { id: string; key: string; idempotencyKey: string; executionId: string; userId: string; taskId?: string; outboxId?: string }[];
  refused: { executionId: string; userId: string }[];
  chats: { threadId: string; userMessageId: string; assistantMessageId: string; done: boolean; content?: string; status?: string }[];
  vus: { executionId: string; threadId: string; userId: string }[];
}
export interface Finding { kind: string; target: string; as: string; request: string; status: number; response: string }
interface StackProcess {
  dataDir: string;
  cfg: { apiUrl: string; anonKey: string; dbUrl: string; apiPort: number; dbPort: number };
  orphans: number[];
  init(): Promise<StackProcess>; start(): Promise<void>; destroy(): Promise<void>; tail(lines?: number): string;
}

const load = (file: string) => import(/* @vite-ignore */ path.resolve('local/reliability', file));

export const reliability = {
  load: (await load('load.mjs')) as {
    runLoad(o: { url: string; anonKey: string; dbUrl: string; csms?: number; seconds?: number; log?: (l: string) => void }): Promise<{ stats: Stats; ledger: Ledger }>;
    reconcile(dbUrl: string, ledger: Ledger, o?: { durability?: boolean }): Promise<{ problems: string[]; rows: number }>;
  },
  fuzz: (await load('fuzz.mjs')) as {
    runFuzz(o: { url: string; anonKey: string; dbUrl: string; runs?: number; seed?: number; log?: (l: string) => void }): Promise<{ stats: Stats & { rpcs: number; functions: number; status: Record<string, number>; seed: number }; findings: Finding[] }>;
    publicRpcs(db: unknown): Promise<{ name: string; params: { name: string; type: string; required: boolean }[] }[]>;
    edgeFunctions(): string[];
  },
  crash: (await load('crash.mjs')) as {
    CRASH_STACK_ENV: Record<string, string>;
    runCrash(stack: StackProcess, o: { csms?: number; seconds?: number; faults?: ('postmaster' | 'gateway' | 'worker')[]; log?: (l: string) => void }): Promise<{ stats: Stats; ledger: Ledger; problems: string[]; notes: string[]; orphans: number[]; windows: { name: string; failures: number }[] }>;
  },
  stack: (await load('stack-process.mjs')) as { StackProcess: new (o?: { keepData?: boolean; env?: Record<string, string> }) => StackProcess },
  report: (await load('report.mjs')) as { table(rows: { scenario: string; requests: number; errors: number; faults: number; reconciled: number; note?: string }[]): string },
};

/** One line per distinct finding, for an assertion message a person can route. */
export function describeFindings(findings: Finding[]): string[] {
  const seen = new Map<string, Finding & { count: number }>();
  for (const f of findings) {
    const key = `${f.kind} — ${f.target} → ${f.status}`;
    const entry = seen.get(key) ?? { ...f, count: 0 };
    entry.count++;
    seen.set(key, entry);
  }
  return [...seen.entries()].map(([key, f]) => `${key} ×${f.count}: ${f.request.slice(0, 120)} ⇒ ${f.response.slice(0, 200)}`);
}
