// `renubu ingest <file.jsonl> --org <slug> | --url <ingest url>`: sends your own data to Renubu's `ingest`
// webhook, signed per the Standard Webhooks spec exactly as an external system would.
//
// Each line of the file is one event: {"type": "customer.upserted", "data": {...}}
// (functions-shared/api/ingest.ts, docs/customer-intelligence.md). Lines are sent in
// batches (default 500 events per delivery), in file order, so a customer.upserted may
// precede the usage of that customer. Each delivery's webhook-id is derived from its
// content, so sending the same file twice is acknowledged as a replay, not applied twice.
//
// The signing secret: --secret, else $RENUBU_WEBHOOK_SECRET, else (local stack only) the
// newest active secret of the organisation read from the database with the superuser
// URL; when the organisation has none, one labelled "renubu-cli" is created and printed.
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { requireRunning } from './db/cluster.mjs';
import { readArgs, shown, UsageError, wholeNumber } from './cli-flags.mjs';
import { organisationFromPath } from '../functions-shared/ingest/receiver-path.js';

/** The flags `renubu ingest` takes (its help line in local/renubu.mjs names each). */
export const FLAGS = ['--org', '--batch-size', '--secret', '--url'];

/**
 * Standard Webhooks headers for one body (HMAC-SHA256 over `${id}.${timestamp}.${body}`).
 * @param {string} secret
 * @param {string} id
 * @param {string} body
 */
export function signedHeaders(secret, id, body, timestamp = Math.floor(Date.now() / 1000)) {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  };
}

/**
 * One line of a JSONL file: an event object as the ingest function takes it (its fields are
 * whatever the file says, so arbitrary JSON), and the line it came from.
 * @typedef {{ line: number, event: { type: string, [field: string]: unknown } }} JsonlEvent
 */

/**
 * A count and what it counts, as said: "1 event", "27 events", "1 delivery", "2 deliveries".
 * @param {number} n @param {string} one @param {string} [many]
 */
const counted = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The events of a JSONL text, with the line each came from; a bad line is an error naming it.
 * @param {string} text
 */
export function parseJsonl(text) {
  /** @type {JsonlEvent[]} */
  const events = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    let event;
    try {
      event = JSON.parse(line);
    } catch (error) {
      throw new Error(`line ${index + 1}: not JSON (${/** @type {Error} */ (error).message})`);
    }
    if (!event || typeof event !== 'object' || Array.isArray(event) || typeof event.type !== 'string') {
      throw new Error(`line ${index + 1}: expected an event object {"type": ..., "data": {...}}`);
    }
    events.push({ line: index + 1, event });
  });
  return events;
}

/**
 * The file, the organisation and how to send: a mistake is a UsageError, before anything is read or sent.
 * The organisation is --org, or the one a --url names (its last segment, `ingest/<slug>`);
 * given both, they must name the same one, so neither flag is silently ignored.
 * @param {string[]} args
 */
export function parseArgs(args) {
  const { flags, words } = readArgs(args, { verb: 'renubu ingest', valued: FLAGS, words: 1, wordName: 'file' });
  const file = words[0];
  if (file === undefined) throw new UsageError('renubu ingest needs the JSON-lines file to send, such as samples/ingest-sample.jsonl.');
  const url = flags['--url'] === undefined ? undefined : ingestUrl(flags['--url']);
  const org = sendingTo(flags['--org'], url);
  const batchSize = flags['--batch-size'] === undefined ? 500
    : wholeNumber('--batch-size', flags['--batch-size'], { min: 1, max: 1000, of: 'events per delivery' });
  const secret = flags['--secret'] !== undefined ? webhookSecret('--secret', flags['--secret'])
    : process.env.RENUBU_WEBHOOK_SECRET ? webhookSecret('$RENUBU_WEBHOOK_SECRET', process.env.RENUBU_WEBHOOK_SECRET) : undefined;
  return { file, org, batchSize, secret, url };
}

/**
 * The organisation the events are for: --org, or the one the --url names.
 * @param {string | undefined} org @param {string | undefined} url a checked ingest address
 */
function sendingTo(org, url) {
  const named = url === undefined ? null : organisationFromPath(url);
  if (org === undefined) {
    if (named !== null) return named;
    throw new UsageError('renubu ingest needs --org <slug> (acme-cloud in the demo), or --url with the ingest address that names it.');
  }
  if (named !== null && named.toLowerCase() !== org.toLowerCase()) {
    throw new UsageError(`--org ${shown(org)} and --url ${shown(url ?? '')} name different organisations (${shown(org)} and ${shown(named)}); `
      + 'give --url alone, or an --org that matches it.');
  }
  return org;
}

/**
 * The secret to sign with, or a UsageError: anything else would be sent and come back 401
 * bad_signature, which does not say that the secret was cut short (the first characters
 * Admin → Integrations lists) or was another key. The rule is the one the ingest function
 * reads a secret by (`secretKeyBytes`, functions-shared/webhooks/standard-webhooks.ts, which
 * this .mjs cannot import): whsec_ (optional) and base64 of at least 16 bytes of key. Only
 * the secret's first characters are repeated.
 * @param {string} where the flag or variable it came from @param {string} value
 */
function webhookSecret(where, value) {
  const encoded = value.startsWith('whsec_') ? value.slice('whsec_'.length) : value;
  let keyBytes = 0;
  try { keyBytes = atob(encoded).length; } catch { /* not base64: no key */ }
  if (keyBytes >= 16) return value;
  const start = value.length > 12 ? `${value.slice(0, 12)}…` : value;
  throw new UsageError(`${where} ${shown(start)} is not a webhook secret: give the whole secret, whsec_ and its base64 key, `
    + 'as Admin → Integrations showed it when it was created.');
}

/**
 * The ingest address to post to, or a UsageError: fetch would say only "Invalid URL" once
 * the file was read, and an address naming no organisation would come back 404.
 * @param {string} value
 */
function ingestUrl(value) {
  const parsed = URL.canParse(value) ? new URL(value) : null;
  if (parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') && organisationFromPath(value) !== null) return value;
  throw new UsageError(`--url ${shown(value)} is not an ingest address: give the function's URL with the organisation's slug at its end, `
    + 'such as https://<project-ref>.supabase.co/functions/v1/ingest/<slug>.');
}

/**
 * What to say when no local organisation has the slug: which ones there are, the oldest
 * (the demo's) first, so the next try can be right.
 * @param {pg.Client} client @param {string} org
 */
async function noSuchOrganisation(client, org) {
  const shownAtMost = 10;
  const { rows } = await client.query(
    `select slug, count(*) over () as n from app.organisations order by created_at, slug limit ${shownAtMost}`);
  const total = Number(rows[0]?.n ?? 0);
  const there = total === 0 ? 'it has none'
    : `its organisations are ${rows.map((r) => r.slug).join(', ')}${total > rows.length ? ` and ${total - rows.length} more` : ''}`;
  return `No organisation has the slug ${shown(org)} in the local database; ${there}.`;
}

/**
 * The newest active secret of the organisation, creating one for the CLI when it has none.
 * @param {string} dbUrl
 * @param {string} org
 * @returns {Promise<string>}
 */
export async function localSecret(dbUrl, org, { log = console.log } = {}) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows: orgs } = await client.query(
      `select o.id, o.slug from app.organisations o where o.slug = lower($1) or o.id::text = lower($1)`, [org]);
    if (orgs.length === 0) throw new Error(await noSuchOrganisation(client, org));
    const { rows } = await client.query(
      `select s.secret from app.webhook_secrets s
        where s.org_id = $1 and s.active and (s.expires_at is null or s.expires_at > now())
        order by s.created_at desc limit 1`, [orgs[0].id]);
    if (rows.length > 0) return rows[0].secret;
    const { rows: created } = await client.query(
      `insert into app.webhook_secrets (org_id, label, secret)
       values ($1, 'renubu-cli', 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64'))
       returning secret`, [orgs[0].id]);
    log(`Created webhook secret "renubu-cli" for ${orgs[0].slug}: ${created[0].secret}`);
    return created[0].secret;
  } finally {
    await client.end();
  }
}

/**
 * Sends the events in batches; stops at the first refused delivery (earlier deliveries
 * stay applied, each was its own transaction). Returns the totals.
 * @param {{ url: string, secret: string, events: JsonlEvent[], batchSize?: number,
 *   log?: (line: string) => void, fetchImpl?: typeof fetch }} options
 */
export async function sendEvents({ url, secret, events, batchSize = 500, log = console.log, fetchImpl = fetch }) {
  /** @type {{ deliveries: number, events: number, replayed: number, applied: AppliedCounts }} */
  const totals = { deliveries: 0, events: 0, replayed: 0, applied: {} };
  const started = performance.now();
  for (let offset = 0; offset < events.length; offset += batchSize) {
    const slice = events.slice(offset, offset + batchSize);
    const body = JSON.stringify({ type: 'batch', events: slice.map((e) => e.event) });
    const id = `msg_${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signedHeaders(secret, id, body) },
      body,
    }).catch((/** @type {Error & { cause?: { code?: string, message?: string } }} */ error) => {
      // fetch says only "fetch failed"; its cause says why (ECONNREFUSED, ENOTFOUND, …).
      const why = error.cause?.code ?? error.cause?.message ?? error.message;
      throw new Error(`could not reach ${url} (${why}): is the address right, and is Renubu running there?`);
    });
    const text = await response.text();
    /** @type {IngestAnswer} */
    let answer;
    try { answer = JSON.parse(text); } catch { answer = { raw: text }; }
    const lines = `lines ${slice[0]?.line}–${slice.at(-1)?.line}`;
    if (!response.ok) {
      const error = answer.error ?? {};
      const details = Array.isArray(error.details)
        ? error.details.map((/** @type {{ path?: string, message?: string }} */ d) =>
 `  ${describeIssuePath(d.path, slice)}: ${d.message}`).join('\n')
        : error.details ? `  ${JSON.stringify(error.details)}` : '';
      throw new Error(`${lines} refused (HTTP ${response.status}): ${error.message ?? text}${details ? `\n${details}` : ''}`);
    }
    totals.deliveries += 1;
    totals.events += slice.length;
    if (answer.replayed) totals.replayed += 1;
    else addApplied(totals.applied, answer.applied ?? {});
    log(`${lines}: ${answer.replayed ? 'already applied (replay acknowledged)' : `applied ${counted(slice.length, 'event')}`}`);
  }
  const seconds = (performance.now() - started) / 1000;
  return { ...totals, seconds: Math.round(seconds * 100) / 100, events_per_second: Math.round(totals.events / Math.max(seconds, 0.001)) };
}

/**
 * The ingest function's answer: `{ applied, replayed }`, or `{ error: { message, details } }`
 * (details: zod's issues or any JSON), or `{ raw }` when it was not JSON.
 * @typedef {{ applied?: AppliedCounts, replayed?: boolean, raw?: string,
 *   error?: { message?: string, details?: unknown } }} IngestAnswer
 */
/** Counts by kind, nested: `{ customers: { inserted: 3 } }`. @typedef {{ [key: string]: number | AppliedCounts }} AppliedCounts */

/**
 * "events.3.data.arr" → "line 17 (events.3.data.arr)": point the user at their file.
 * @param {string | undefined} path
 * @param {JsonlEvent[]} slice
 */
function describeIssuePath(path, slice) {
  const match = /^events\.(\d+)/.exec(path ?? '');
  const entry = match ? slice[Number(match[1])] : undefined;
  return entry ? `line ${entry.line} (${path})` : path || '(body)';
}

/** @param {AppliedCounts} into @param {AppliedCounts} applied */
function addApplied(into, applied) {
  for (const [key, value] of Object.entries(applied)) {
    const had = into[key];
    if (typeof value === 'number') into[key] = (typeof had === 'number' ? had : 0) + value;
    else if (value && typeof value === 'object') addApplied(/** @type {AppliedCounts} */ (into[key] ??= {}), value);
  }
}

/**
 * The `renubu ingest` verb.
 * @param {import('./config.mjs').StackConfig} cfg
 * @param {string[]} args
 */
export async function ingestCommand(cfg, args, { log = console.log } = {}) {
  const options = parseArgs(args);
  if (!existsSync(options.file)) throw new UsageError(`${options.file}: no such file; give the path of a JSON-lines file, such as samples/ingest-sample.jsonl.`);
  const events = parseJsonl(readFileSync(options.file, 'utf8'));
  if (events.length === 0) throw new Error(`${options.file} holds no events`);
  // The local stack signs (its newest secret) and receives (its gateway) unless both are given.
  if (!options.secret || !options.url) requireRunning(cfg);
  const url = options.url ?? `${cfg.apiUrl}/functions/v1/ingest/${encodeURIComponent(options.org)}`;
  const secret = options.secret ?? (await localSecret(cfg.dbUrl, options.org, { log }));
  log(`Sending ${counted(events.length, 'event')} from ${options.file} to ${url} in batches of ${options.batchSize}…`);
  const totals = await sendEvents({ url, secret, events, batchSize: options.batchSize, log });
  log(`Done: ${counted(totals.events, 'event')} in ${counted(totals.deliveries, 'delivery', 'deliveries')} (${totals.replayed} replayed) in ${totals.seconds}s; applied ${JSON.stringify(totals.applied)}`);
  return totals;
}
