// `renubu --help` names every setting of the stack and every flag a verb takes, so a
// newcomer running a second stack (docs/local-stack.md) learns them from the help itself.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const help = execFileSync(process.execPath, [path.resolve('local/cli.mjs'), '--help'], { encoding: 'utf8' });

describe('renubu --help', () => {
  it('names every RENUBU_ variable the stack reads for its ports and data dir, with its default', () => {
    const config = readFileSync(path.resolve('local/config.mjs'), 'utf8');
    const ports = [...config.matchAll(/int\(env, '(RENUBU_[A-Z_]+)', (\d+)\)/g)];
    expect(ports.map(([, name]) => name)).toContain('RENUBU_MAIL_PORT');
    for (const [, name, fallback] of ports) expect(help).toContain(`${name} (${fallback})`);
    expect(help).toContain('RENUBU_DATA_DIR');
  });

  it('lists every flag of renubu ingest that its own usage line has', () => {
    const ingest = readFileSync(path.resolve('local/ingest.mjs'), 'utf8');
    const usage = /export const USAGE = `([^`]*)`/.exec(ingest)?.[1] ?? '';
    const ingestFlags = usage.match(/--[a-z-]+/g) ?? [];
    expect(ingestFlags.length).toBeGreaterThan(1);
    const ingestHelp = help.split('\n').find((line) => line.includes('renubu ingest')) ?? '';
    for (const flag of ingestFlags) expect(ingestHelp).toContain(flag);
  });

  it("renubu seed's usage error names the same flags as the help", () => {
    const seedHelp = help.split('\n').find((line) => line.includes('renubu seed')) ?? '';
    const refused = spawnSync(process.execPath, [path.resolve('local/cli.mjs'), 'seed'], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    for (const flag of seedHelp.match(/--[a-z-]+/g) ?? []) expect(refused.stderr).toContain(flag);
  });
});
