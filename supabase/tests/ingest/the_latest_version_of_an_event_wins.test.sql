-- An engagement event with an external id keeps its latest version whatever order the
-- deliveries arrive in: a ticket's "open" delivered after its "closed" (a retry arriving
-- late) does not reopen it; the version is the event's timestamp, else its occurred_at; at
-- the same time the greater md5 of the data wins, in either order; inside one delivery the
-- same rule picks (migration 20261207704000). Before, the last delivery won.
begin;
select plan(7);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

-- By occurred_at: closed at 10:00, then the 09:00 open delivered late.
select public.ingest_apply_batch(tests.org_id('Org A'), 'v-1', '[{"type": "engagement.event", "data": {"customer_external_id": "A-1",
  "external_id": "T-1", "event_type": "support_ticket", "ticket_status": "closed", "occurred_at": "2026-11-20T10:00:00Z"}}]'::jsonb);
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'v-2', '[{"type": "engagement.event", "data": {"customer_external_id": "A-1",
  "external_id": "T-1", "event_type": "support_ticket", "ticket_status": "open", "occurred_at": "2026-11-20T09:00:00Z"}}]'::jsonb)
  -> 'applied' -> 'engagement_events', '0'::jsonb, 'an earlier version delivered late is acknowledged, not applied');
select is((select ticket_status from app.engagement_events where external_id = 'T-1'), 'closed', 'and the ticket stays closed');

-- By the event's timestamp (a ticket's update), its occurred_at (opened) the same.
select public.ingest_apply_batch(tests.org_id('Org A'), 'v-3', '[{"type": "engagement.event", "timestamp": "2026-11-21T12:00:00Z",
  "data": {"customer_external_id": "A-1", "external_id": "T-2", "event_type": "support_ticket", "ticket_status": "resolved",
           "occurred_at": "2026-11-20T08:00:00Z"}}]'::jsonb);
select public.ingest_apply_batch(tests.org_id('Org A'), 'v-4', '[{"type": "engagement.event", "timestamp": "2026-11-21T11:00:00Z",
  "data": {"customer_external_id": "A-1", "external_id": "T-2", "event_type": "support_ticket", "ticket_status": "pending",
           "occurred_at": "2026-11-20T08:00:00Z"}}]'::jsonb);
select is((select ticket_status from app.engagement_events where external_id = 'T-2'), 'resolved', 'the later timestamp wins');
select public.ingest_apply_batch(tests.org_id('Org A'), 'v-5', '[{"type": "engagement.event", "timestamp": "2026-11-22T09:00:00Z",
  "data": {"customer_external_id": "A-1", "external_id": "T-2", "event_type": "support_ticket", "ticket_status": "open",
           "occurred_at": "2026-11-20T08:00:00Z"}}]'::jsonb);
select is((select ticket_status from app.engagement_events where external_id = 'T-2'), 'open', 'and a later one still replaces it (reopened)');

-- The same time, two versions: the same one is kept in either order.
select public.ingest_apply_batch(tests.org_id('Org A'), 'v-6', '[{"type": "engagement.event", "data": {"customer_external_id": "A-1",
  "external_id": "T-3", "event_type": "support_ticket", "ticket_status": "open", "occurred_at": "2026-11-20T10:00:00Z"}}]'::jsonb);
select public.ingest_apply_batch(tests.org_id('Org A'), 'v-7', '[{"type": "engagement.event", "data": {"customer_external_id": "A-1",
  "external_id": "T-3", "event_type": "support_ticket", "ticket_status": "closed", "occurred_at": "2026-11-20T10:00:00Z"}}]'::jsonb);
select public.ingest_apply_batch(tests.org_id('Org A'), 'v-8', '[{"type": "engagement.event", "data": {"customer_external_id": "A-1",
  "external_id": "T-4", "event_type": "support_ticket", "ticket_status": "closed", "occurred_at": "2026-11-20T10:00:00Z"}}]'::jsonb);
select public.ingest_apply_batch(tests.org_id('Org A'), 'v-9', '[{"type": "engagement.event", "data": {"customer_external_id": "A-1",
  "external_id": "T-4", "event_type": "support_ticket", "ticket_status": "open", "occurred_at": "2026-11-20T10:00:00Z"}}]'::jsonb);
select is((select ticket_status from app.engagement_events where external_id = 'T-3'),
          (select ticket_status from app.engagement_events where external_id = 'T-4'),
  'two versions of the same time: the same one wins whichever arrives first');

-- Inside one delivery: the later by time, not the last in the list.
select public.ingest_apply_batch(tests.org_id('Org A'), 'v-10', '[
  {"type": "engagement.event", "data": {"customer_external_id": "A-1", "external_id": "T-5", "event_type": "support_ticket",
   "ticket_status": "closed", "occurred_at": "2026-11-20T10:00:00Z"}},
  {"type": "engagement.event", "data": {"customer_external_id": "A-1", "external_id": "T-5", "event_type": "support_ticket",
   "ticket_status": "open", "occurred_at": "2026-11-20T09:00:00Z"}}]'::jsonb);
select is((select ticket_status from app.engagement_events where external_id = 'T-5'), 'closed', 'inside a delivery, the later event wins');
select is((select count(*)::int from app.engagement_events where external_id like 'T-%'), 5, 'one row per external id');
select tests.clear_authentication();
select * from finish();
rollback;
