// The local cluster is sized for the machine, as a production server would be
// (local/db/server-sizing.mjs, docs/performance.md "The cluster sized for the
// machine"): a fixed 1 GB of shared buffers and 5-minute checkpoints with uncompressed
// page images made a 300k organisation's daily run miss its 5 s.
import { describe, expect, it } from 'vitest';
import { serverSizing, usableMemory } from '../../local/db/server-sizing.mjs';
import { withDb } from '../support/stack.ts';

const setting = (lines: string[], name: string) =>
  /= '(.*)'$/.exec(lines.find((l) => l.startsWith(`${name} =`)) ?? '')?.[1];

describe('the local cluster sized for the machine', () => {
  it('gives shared buffers a quarter of the memory, between 128 MB and 8 GB', () => {
    const GB = 1024 ** 3;
    expect(setting(serverSizing(24 * GB), 'shared_buffers')).toBe('6144MB');
    expect(setting(serverSizing(64 * GB), 'shared_buffers')).toBe('8192MB');
    expect(setting(serverSizing(256 * 1024 ** 2), 'shared_buffers')).toBe('128MB');
  });

  it('runs with those settings', async () => {
    const wanted = serverSizing(usableMemory());
    const shown = await withDb(async (db) => (await db.query(
      `select name, setting, unit from pg_settings
        where name in ('shared_buffers', 'wal_buffers', 'wal_compression', 'checkpoint_timeout', 'max_wal_size')`)).rows);
    type Row = { name: string; setting: string; unit: string | null };
    const get = (name: string): Row => {
      const row = (shown as Row[]).find((r) => r.name === name);
      if (!row) throw new Error(`${name} is not in pg_settings`);
      return row;
    };
    // pg_settings gives shared_buffers and wal_buffers in 8 kB pages, max_wal_size in MB
    const mb = (name: string) => (Number(get(name).setting) * 8) / 1024;
    expect(`${mb('shared_buffers')}MB`).toBe(setting(wanted, 'shared_buffers'));
    expect(`${mb('wal_buffers')}MB`).toBe(setting(wanted, 'wal_buffers'));
    expect(get('wal_compression').setting).toBe(setting(wanted, 'wal_compression'));
    expect(`${Number(get('checkpoint_timeout').setting) / 60}min`).toBe(setting(wanted, 'checkpoint_timeout'));
    expect(`${Number(get('max_wal_size').setting) / 1024}GB`).toBe(setting(wanted, 'max_wal_size'));
  });
});
