// `renubu ingest --org <slug>` on the local stack reads the organisation's signing secret
// from the database. A slug no organisation has is said in a sentence that names the
// organisations there are, so the next try can be right; before, "no organisation "acme" in
// the local database" left the person to find the slug elsewhere. Nothing is sent.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = path.resolve('local/cli.mjs');

describe('renubu ingest --org with a slug no organisation has', () => {
  it('says so, names the local organisations, and sends nothing', () => {
    const refused = spawnSync(process.execPath, [cli, 'ingest', 'samples/ingest-sample.jsonl', '--org', 'acme'],
      { encoding: 'utf8', env: { ...process.env, RENUBU_WEBHOOK_SECRET: '' }, timeout: 60_000 });
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/^renubu: No organisation has the slug acme in the local database; its organisations are [^\n]*\bacme-cloud\b[^\n]*\bglobex-analytics\b[^\n]*\.\n$/);
    expect(refused.stdout).not.toContain('Sending');
  });
});
