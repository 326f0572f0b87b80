// `renubu ingest` says its counts as words are said: one event, one delivery; many events,
// many deliveries. The README's own example (samples/ingest-sample.jsonl, one delivery)
// ended "27 events in 1 deliveries". Runs the command against a stand-in ingest endpoint
// (--url and --secret given, so no stack is read).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = path.resolve('local/cli.mjs');
const nowhere = { ...process.env, RENUBU_DATA_DIR: '/dev/null/renubu-ingest-counts', RENUBU_WEBHOOK_SECRET: '' };

let server: http.Server;
let url = '';
beforeAll(async () => {
  // Applies every delivery: one customer inserted per delivery.
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ applied: { customers: { inserted: 1 } }, replayed: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/functions/v1/ingest/example-co`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** `renubu ingest` of n customer events in batches of batchSize; its stdout. */
async function ingest(n: number, batchSize: number) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'renubu-ingest-counts-')), 'events.jsonl');
  writeFileSync(file, Array.from({ length: n }, (_, i) =>
    JSON.stringify({ type: 'customer.upserted', data: { external_id: `c-${i}`, name: `C ${i}` } })).join('\n'));
  const secret = `whsec_${Buffer.from('a stand-in secret of 32 bytes!!!').toString('base64')}`;
  const { stdout } = await run(process.execPath,
    [cli, 'ingest', file, '--org', 'example-co', '--secret', secret, '--url', url, '--batch-size', String(batchSize)], { env: nowhere });
  return stdout;
}

describe('renubu ingest says its counts', () => {
  it('in the singular for one event in one delivery', async () => {
    const said = await ingest(1, 500);
    expect(said).toContain(`Sending 1 event from `);
    expect(said).toContain('lines 1–1: applied 1 event\n');
    expect(said).toContain('Done: 1 event in 1 delivery (0 replayed)');
  });

  it('in the plural for several events in one delivery, and in several', async () => {
    expect(await ingest(27, 500)).toContain('Done: 27 events in 1 delivery (0 replayed)');
    const split = await ingest(3, 2);
    expect(split).toContain('lines 3–3: applied 1 event\n');
    expect(split).toContain('Done: 3 events in 2 deliveries (0 replayed)');
  });
});
