// The `ingest` Edge Function: signed webhooks from external systems, applied in one
// transaction per delivery.
//
//   POST /functions/v1/ingest/<organisation slug or id>
//   webhook-id, webhook-timestamp, webhook-signature (Standard Webhooks)
//   body: one event or {"type": "batch", "events": [...]}   (see ./events.ts)
//
// Order matters: the raw body is read once and verified before anything parses it (a
// re-serialised body would not match its signature), then validated with zod, then
// handed to one service-role RPC that applies the whole batch or nothing and records the
// webhook-id, so a redelivery is acknowledged without being applied twice.
import type { SupabaseClient } from '@supabase/supabase-js';
import { answer, bodyIssues, errorResponse, fromDatabaseError, HttpError, jsonResponse, parseJsonText, readBodyText, serviceClient, type FunctionEnv } from '../http.ts';
import { verify, WebhookVerificationError } from '../webhooks/standard-webhooks.ts';
import { eventsOf, ingestBody, type IngestEvent, type IngestResult } from '../api/ingest.ts';
import { rpc, type PostgrestErrorLike } from '../api/rpc.ts';
import type { DELIVERY_OUTCOMES } from '../api/admin.ts';
import { firstCharacters } from '../text.ts';
import { organisationFromPath } from './receiver-path.js';

/** Bodies above this are refused before any work (a batch of 1000 events fits easily). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface IngestStore {
  /** The organisation a path segment names and its active secrets; null when unknown. */
  secretsFor(org: string): Promise<{ orgId: string; secrets: string[] } | null>;
  /** Applies the events in one transaction; a known webhook id is a replay. */
  applyBatch(orgId: string, webhookId: string, events: IngestEvent[]): Promise<IngestResult>;
  /**
   * Records a delivery and its result for the Integrations page: `orgId` null when the path
   * named no organisation, which records nothing but costs the same call (handleIngest).
   */
  recordDelivery?(orgId: string | null, delivery: Delivery): Promise<void>;
}

/** One delivery as the Integrations page lists it (app.webhook_deliveries). */
export interface Delivery {
  webhookId: string | null;
  status: number;
  outcome: (typeof DELIVERY_OUTCOMES)[number];
  eventCount: number;
  message: string | null;
}

export interface IngestDeps {
  store: IngestStore;
  /** Seconds since the epoch; tests freeze it. */
  nowSeconds?: () => number;
  /** The Standard Webhooks verifier (tests watch it); standard-webhooks.ts's verify by default. */
  verify?: typeof verify;
}

/** The store over the service-role RPCs of the ingest migration. */
export function rpcStore(client: SupabaseClient): IngestStore {
  return {
    async secretsFor(org) {
      const found = await rpc(client, 'ingest_webhook_secrets', { org });
      return found ? { orgId: found.org_id, secrets: found.secrets } : null;
    },
    applyBatch(orgId, webhookId, events) {
      return rpc(client, 'ingest_apply_batch', { org_id: orgId, webhook_id: webhookId, events }, { mapError: batchError });
    },
    async recordDelivery(orgId, d) {
      // A delivery to no organisation goes to the same RPC, which records nothing of it
      // (migration 20261214200000): the call, and its time, are the same.
      await rpc(client, 'record_webhook_delivery', {
        org_id: orgId, webhook_id: d.webhookId, status: d.status, outcome: d.outcome, event_count: d.eventCount, message: d.message,
      });
    },
  };
}

export function depsFromEnv(env: FunctionEnv): IngestDeps {
  return { store: rpcStore(serviceClient(env)) };
}

// A batch the database refuses (an unknown customer, a rule it breaks) is the sender's
// to fix: 422 with the database's own sentence (written for people), never SQL.
// (A string holding \u0000, which no Postgres text can hold, never gets here: parseJsonText
// refuses it as invalid_body naming where it is, as every function does.)
const REJECTED_EVENT_STATES = new Set(['22023', '23502', '23503', '23514', '22P02', '22007', '22008', '22003', '22P05']);
function batchError(error: PostgrestErrorLike): HttpError {
  if (error.code && REJECTED_EVENT_STATES.has(error.code)) {
    const message = error.code === '22023' ? error.message ?? 'An event was refused.' : 'An event breaks a rule of the data model.';
    return new HttpError(422, 'invalid_event', message, error.hint ?? null);
  }
  return fromDatabaseError(error);
}

/** What answering a delivery found out: the organisation looked up (null: none), the events. */
interface Seen {
  lookedUp: boolean;
  orgId: string | null;
  eventCount: number;
}

/**
 * Answers a delivery and records what happened (a failure to record never changes the answer
 * the sender gets). Every delivery whose organisation was looked up is recorded, one to no
 * organisation as well (the store keeps nothing of it): a bad signature to an organisation
 * that exists and to one that does not then cost the same calls, and take the same time,
 * so the answer's time does not tell which organisations exist.
 */
export async function handleIngest(req: Request, deps: IngestDeps): Promise<Response> {
  const seen: Seen = { lookedUp: false, orgId: null, eventCount: 0 };
  const response = await answerIngest(req, deps, seen);
  if (seen.lookedUp && deps.store.recordDelivery) {
    const delivery = await deliveryOf(req, response, seen.eventCount);
    await deps.store.recordDelivery(seen.orgId, delivery).catch((error: unknown) => {
      console.error('ingest: the delivery could not be recorded', error instanceof Error ? error.message : error);
    });
  }
  return response;
}

async function deliveryOf(req: Request, response: Response, eventCount: number): Promise<Delivery> {
  const webhookId = req.headers.get('webhook-id')?.slice(0, 200) || null;
  if (response.ok) {
    const result = (await response.clone().json()) as IngestResult;
    return { webhookId, status: response.status, outcome: result.replayed ? 'replayed' : 'applied', eventCount: result.events ?? eventCount, message: null };
  }
  let error: { code?: string; message?: string; details?: { reason?: string } | null } = {};
  try {
    error = ((await response.clone().json()) as { error?: typeof error }).error ?? {};
  } catch {
    // not the house error body: the status says enough
  }
  const outcome: Delivery['outcome'] = response.status === 401
    ? (['stale_timestamp', 'future_timestamp', 'invalid_timestamp'].includes(error.details?.reason ?? '') ? 'stale_timestamp' : 'bad_signature')
    : error.code === 'invalid_body' || (response.status === 400 && error.code === '22023') ? 'invalid_body'
      : response.status < 500 ? 'rejected' : 'failed';
  return { webhookId, status: response.status, outcome, eventCount, message: error.message === undefined ? null : firstCharacters(error.message, 500) };
}

function answerIngest(req: Request, deps: IngestDeps, seen: Seen): Promise<Response> {
  return answer(req, async () => {
    if (req.method !== 'POST') {
      throw new HttpError(405, 'method_not_allowed', 'Send webhooks with POST.');
    }
    const org = organisationFromPath(req.url);
    if (!org) {
      throw new HttpError(404, 'unknown_receiver', 'Post to /functions/v1/ingest/<organisation slug>.');
    }
    // The raw body, exactly as signed, read no further than the cap (a declared or
    // streamed excess is a 413 before the rest arrives).
    const raw = await readBodyText(req, MAX_BODY_BYTES);

    // An unknown organisation verifies against no secret, which verify checks against a
    // decoy: the same 401, body and work as a bad signature to one that exists, so the
    // endpoint does not reveal which organisations exist (nor does the recording after it).
    const signed = req.headers.get('webhook-signature') !== null;
    const receiver = signed ? await deps.store.secretsFor(org) : null;
    seen.lookedUp = signed;
    seen.orgId = receiver?.orgId ?? null;
    let webhookId: string;
    try {
      const verified = await (deps.verify ?? verify)(receiver?.secrets ?? [], req.headers, raw, { nowSeconds: deps.nowSeconds?.() });
      webhookId = verified.id;
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        return errorResponse(401, 'invalid_signature', error.message, { reason: error.reason });
      }
      throw error;
    }
    // verify never accepts a message without a secret; this only tells the type so.
    if (!receiver) return errorResponse(401, 'invalid_signature', 'The webhook signature does not match.', { reason: 'bad_signature' });

    // Parsed as every function parses a body: JSON nested past the depth limit is 400
    // 22023 before any parser (or the database's) recurses into it.
    const json = parseJsonText(raw, 'The body must be JSON: one event or {"type": "batch", "events": [...]}.');
    const parsed = ingestBody.safeParse(json);
    if (!parsed.success) {
      throw new HttpError(422, 'invalid_body', 'The body is not a valid event or batch; nothing was applied.', bodyIssues(parsed.error));
    }

    const events = eventsOf(parsed.data);
    seen.eventCount = events.length;
    const result = await deps.store.applyBatch(receiver.orgId, webhookId, events);
    return jsonResponse(result, 200);
  });
}
