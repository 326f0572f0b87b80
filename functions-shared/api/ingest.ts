// The `ingest` webhook: the events external systems send (CRM, product analytics,
// support desk, billing) and the service-role RPCs that apply them, as zod schemas shared
// by the Edge Function, the `renubu ingest` sender's docs and the tests. Field names are
// the database's, snake_case.
//
// A body is one event `{type, timestamp?, data}` or a batch `{type: "batch", events: [...]}`.
// Customers are named by the sender's own id (`external_id`); every other event names its
// customer by `customer_external_id`. Upserts are partial: a key that is absent leaves the
// stored value alone, a key set to null clears it.
import { z } from 'zod';
import { JsonArg, JsonObject } from './json.ts';
import { DELIVERY_OUTCOMES } from './admin.ts';
import { isBlankText } from '../text.ts';
import { displayable, displayableJson } from './displayable.ts';

export const MAX_BATCH_EVENTS = 1000;

// The sender's id of a record: never blank, whatever the blank characters (text.ts, the
// database's rule: app.ingest_check_events refuses the same ids).
const externalId = z.string().trim().min(1).max(200).refine((id) => !isBlankText(id), { message: 'must not be blank' });
// A customer's or a stakeholder's name: required when the record is new, never blank, and
// displayable (one line, no control character or direction override: displayable.ts).
const recordName = displayable(z.string().trim().min(1).max(300).refine((name) => !isBlankText(name), { message: 'must not be blank' }));
const text = (max: number) => z.string().max(max);
// A label, a title, a domain or a number the app shows on one line, and a text of several
// lines (a note, a body, a reason).
const optionalLine = (max: number) => displayable(text(max)).nullable().optional();
const optionalBody = (max: number) => displayable(text(max), { multiLine: true }).nullable().optional();
const timestamp = z.iso.datetime({ offset: true });
const date = z.iso.date();
const percentage = z.number().int().min(0).max(100);
const money = z.number().min(0).max(999_999_999_999.99);
const count = z.number().int().min(0).max(2_147_483_647);
// A sender's own fields (a customer's metadata, an event's, a contract's terms, a snapshot's
// metrics): any JSON object whose keys and texts are displayable (displayable.ts).
const jsonObject = displayableJson(z.record(z.string(), z.unknown()));
const email = z.email().max(320);

export const customerUpserted = z.strictObject({
  external_id: externalId,
  // Required when the customer is new; optional for an update.
  name: recordName.optional(),
  domain: optionalLine(300),
  industry: optionalLine(200),
  arr: money.nullable().optional(),
  health_score: percentage.nullable().optional(),
  risk_score: percentage.nullable().optional(),
  opportunity_score: percentage.nullable().optional(),
  renewal_date: date.nullable().optional(),
  // People of the organisation, by the email of their Renubu profile.
  csm_email: email.nullable().optional(),
  account_executive_email: email.nullable().optional(),
  support_engineer_email: email.nullable().optional(),
  // Merged key by key into the stored metadata.
  metadata: jsonObject.optional(),
});

export const usageSnapshot = z.strictObject({
  customer_external_id: externalId,
  recorded_at: timestamp,
  active_users: count.nullable().optional(),
  licensed_seats: count.nullable().optional(),
  metrics: jsonObject.optional(),
});

export const ENGAGEMENT_TYPES = ['meeting', 'email', 'call', 'qbr', 'nps', 'support_ticket', 'note', 'other'] as const;
export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;

export const engagementEvent = z
  .strictObject({
    customer_external_id: externalId,
    // With an id, a later event of the same id updates it (a ticket changing status).
    external_id: externalId.optional(),
    event_type: z.enum(ENGAGEMENT_TYPES),
    // A time in the future is a scheduled event (the next QBR).
    occurred_at: timestamp,
    title: optionalLine(500),
    description: optionalBody(10_000),
    nps_score: z.number().int().min(0).max(10).nullable().optional(),
    ticket_status: z.enum(TICKET_STATUSES).nullable().optional(),
    metadata: jsonObject.optional(),
  })
  .refine((e) => e.event_type !== 'nps' || typeof e.nps_score === 'number', {
    message: 'An nps event needs an nps_score from 0 to 10.',
    path: ['nps_score'],
  })
  .refine((e) => e.event_type !== 'support_ticket' || typeof e.ticket_status === 'string', {
    message: 'A support_ticket event needs a ticket_status (open, pending, resolved or closed).',
    path: ['ticket_status'],
  });

export const stakeholderUpserted = z.strictObject({
  external_id: externalId,
  customer_external_id: externalId,
  name: recordName.optional(),
  email: email.nullable().optional(),
  title: optionalLine(300),
  role: optionalLine(200),
  influence: z.enum(['low', 'medium', 'high']).nullable().optional(),
  is_champion: z.boolean().optional(),
  is_decision_maker: z.boolean().optional(),
  notes: optionalBody(10_000),
  last_contacted_at: timestamp.nullable().optional(),
});

export const contractUpserted = z
  .strictObject({
    external_id: externalId,
    customer_external_id: externalId,
    contract_number: optionalLine(200),
    status: z.enum(['draft', 'active', 'expired', 'terminated', 'renewed']).optional(),
    start_date: date.optional(),
    end_date: date.nullable().optional(),
    annual_value: money.nullable().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as USD.').optional(),
    auto_renew: z.boolean().optional(),
    notice_period_days: z.number().int().min(0).max(3650).nullable().optional(),
    terms: jsonObject.optional(),
    document_url: z.url().max(2000).nullable().optional(),
  })
  .refine((c) => !c.start_date || !c.end_date || c.end_date >= c.start_date, {
    message: 'end_date must not be before start_date.',
    path: ['end_date'],
  });

export const arrChanged = z.strictObject({
  customer_external_id: externalId,
  arr: money,
  // When the new ARR took effect; defaults to the event's timestamp, then to now.
  recorded_at: timestamp.optional(),
  reason: optionalBody(500),
});

const envelope = <T extends string, S extends z.ZodType>(type: T, data: S) =>
  z.strictObject({
    type: z.literal(type),
    // When the source system produced the event (Standard Webhooks payload `timestamp`).
    timestamp: timestamp.optional(),
    data,
  });

const envelopes = [
  envelope('customer.upserted', customerUpserted),
  envelope('usage.snapshot', usageSnapshot),
  envelope('engagement.event', engagementEvent),
  envelope('stakeholder.upserted', stakeholderUpserted),
  envelope('contract.upserted', contractUpserted),
  envelope('arr.changed', arrChanged),
] as const;

export const ingestEvent = z.discriminatedUnion('type', [...envelopes]);
export type IngestEvent = z.infer<typeof ingestEvent>;
export type IngestEventType = IngestEvent['type'];
export const EVENT_TYPES: readonly IngestEventType[] = [
  'customer.upserted', 'usage.snapshot', 'engagement.event', 'stakeholder.upserted', 'contract.upserted', 'arr.changed',
];

export const ingestBatch = z.strictObject({
  type: z.literal('batch'),
  events: z.array(ingestEvent).min(1).max(MAX_BATCH_EVENTS),
});

/** What the webhook accepts: one event or a batch of them. */
export const ingestBody = z.discriminatedUnion('type', [ingestBatch, ...envelopes]);
export type IngestBody = z.infer<typeof ingestBody>;

/** The events of a body, in order. */
export function eventsOf(body: IngestBody): IngestEvent[] {
  return body.type === 'batch' ? body.events : [body];
}

/** What ingest_apply_batch reports back, per kind of row; the ingest function's answer. */
export const IngestResult = z.object({
  webhook_id: z.string(),
  replayed: z.boolean(),
  events: z.number(),
  applied: z.object({
    customers: z.object({ inserted: z.number(), updated: z.number() }),
    usage_snapshots: z.number(),
    engagement_events: z.number(),
    stakeholders: z.number(),
    contracts: z.number(),
    arr_changes: z.number(),
  }),
  received_at: z.string().nullable(),
});
export type IngestResult = z.infer<typeof IngestResult>;

// The service-role RPCs behind the webhook (supabase/migrations/*_ingest*.sql).

export const ingest_webhook_secrets = {
  args: z.object({ org: z.string() }),
  /** The organisation a path segment names (slug or id) and its active secrets; null when unknown. */
  result: z.object({ org_id: z.string(), secrets: z.array(z.string()) }).nullable(),
};

export const ingest_apply_batch = {
  args: z.object({
    org_id: z.string(),
    webhook_id: z.string(),
    events: z.array(JsonArg),
  }),
  result: IngestResult,
};

export const record_webhook_delivery = {
  args: z.object({
    /** Null when the path named no organisation: nothing is recorded, in the time a record takes. */
    org_id: z.string().nullable(),
    /** Null when the delivery had no webhook-id header. */
    webhook_id: z.string().nullable(),
    status: z.number(),
    outcome: z.enum(DELIVERY_OUTCOMES),
    event_count: z.number().nullish(),
    message: z.string().nullish(),
  }),
  result: z.null(),
};
