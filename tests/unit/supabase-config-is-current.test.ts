// supabase/config.toml uses the Supabase CLI's current section names: a deprecated one
// ([inbucket], now [local_smtp]) made every CLI command that reads the whole config print
// "WARN: config section … is deprecated" first, among them `supabase functions deploy`
// in docs/deploy.md. `supabase status` reads it and needs neither a project nor Docker to
// get that far.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

it('the Supabase CLI reads supabase/config.toml without a deprecation warning', () => {
  const repoRoot = path.resolve('.');
  const result = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'supabase'), ['status', '--workdir', repoRoot], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    timeout: 60_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  expect(output).not.toMatch(/deprecated/i);
  expect(output.length).toBeGreaterThan(0);
});
