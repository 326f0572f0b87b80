-- An engagement event with an external id keeps its latest version, whatever order the
-- deliveries arrive in (docs/customer-intelligence.md, "Events").
--
-- What and why: `engagement.event` with an `external_id` replaced the stored event with every
-- delivery, so the last delivery won, not the latest event. Webhooks are retried and may
-- arrive out of order: a ticket's "open" delivered late (a retry after a timeout) over its
-- "closed" reopened a closed ticket in Renubu, and the CSM saw an open support ticket that the
-- support desk had closed.
--
-- Now each event carries the time its source says it is from, `source_updated_at`: the
-- event's `timestamp` (Standard Webhooks: when the source produced it, a ticket's update),
-- else its `occurred_at`. A delivery replaces the stored event only when it is later; at the
-- same time, the one whose `data` (as canonical JSON text) has the greater md5 wins
-- (`source_version`), so the result does not depend on the order of arrival. Inside one delivery the same rule picks among several
-- events of one external id (it was the last in the delivery). Rows stored before have no
-- `source_updated_at` and are compared by their `occurred_at`. A stale delivery is
-- acknowledged (200) and counts no engagement event as applied. Two deliveries at once: the insert's
-- conflict waits for the first's row and compares with it as committed.
-- Restated whole from 20261204000900_ingest_and_webhooks.sql: the version and the condition
-- are the only changes. Tests: supabase/tests/ingest/the_latest_version_of_an_event_wins.test.sql,
-- tests/integration/ingest-races.test.ts.

alter table app.engagement_events
  add column source_updated_at timestamptz,
  add column source_version text;
comment on column app.engagement_events.source_updated_at is
  'Ingest: the time the source says this version of the event is from (the event''s timestamp, else occurred_at); a delivery of an earlier one does not replace it.';
comment on column app.engagement_events.source_version is
  'Ingest: the md5 of the event''s data as canonical JSON text, the tie-break between two versions of the same time (the greater wins).';

create or replace function app.ingest_apply_engagement_event(org uuid, events jsonb, customer_ids jsonb)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_keyed integer;
  v_new integer;
begin
  insert into app.engagement_events as e (
    org_id, customer_id, external_id, event_type, occurred_at, title, description, nps_score, ticket_status, metadata, source,
    source_updated_at, source_version)
  select distinct on (d.external_id)
         org, (customer_ids ->> d.customer_external_id)::uuid, d.external_id, d.event_type, d.occurred_at,
         d.title, d.description, d.nps_score, d.ticket_status, coalesce(t.ev -> 'data' -> 'metadata', '{}'::jsonb), 'ingest',
         coalesce((t.ev ->> 'timestamp')::timestamptz, d.occurred_at), md5((t.ev -> 'data')::text)
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
    cross join lateral jsonb_to_record(t.ev -> 'data') as d(customer_external_id text, external_id text, event_type text,
           occurred_at timestamptz, title text, description text, nps_score integer, ticket_status text)
   where t.ev ->> 'type' = 'engagement.event' and t.ev -> 'data' ->> 'external_id' is not null
   -- the latest version of each, by the rule below
   order by d.external_id, coalesce((t.ev ->> 'timestamp')::timestamptz, d.occurred_at) desc, md5((t.ev -> 'data')::text) desc
  on conflict (org_id, external_id) do update
     set (customer_id, event_type, occurred_at, title, description, nps_score, ticket_status, metadata, source,
          source_updated_at, source_version)
       = (excluded.customer_id, excluded.event_type, excluded.occurred_at, excluded.title, excluded.description,
          excluded.nps_score, excluded.ticket_status, excluded.metadata, excluded.source,
          excluded.source_updated_at, excluded.source_version)
   -- Only a later version replaces the stored one (the same time: the greater md5), so
   -- a delivery arriving late never brings an event back to an earlier state.
   where (excluded.source_updated_at, excluded.source_version)
       > (coalesce(e.source_updated_at, e.occurred_at), coalesce(e.source_version, ''));
  get diagnostics v_keyed = row_count;

  insert into app.engagement_events (
    org_id, customer_id, event_type, occurred_at, title, description, nps_score, ticket_status, metadata, source)
  select org, (customer_ids ->> d.customer_external_id)::uuid, d.event_type, d.occurred_at,
         d.title, d.description, d.nps_score, d.ticket_status, coalesce(t.ev -> 'data' -> 'metadata', '{}'::jsonb), 'ingest'
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
    cross join lateral jsonb_to_record(t.ev -> 'data') as d(customer_external_id text, event_type text,
           occurred_at timestamptz, title text, description text, nps_score integer, ticket_status text)
   where t.ev ->> 'type' = 'engagement.event' and t.ev -> 'data' ->> 'external_id' is null;
  get diagnostics v_new = row_count;
  return v_keyed + v_new;
end;
$$;
comment on function app.ingest_apply_engagement_event(uuid, jsonb, jsonb) is
  'Applies the engagement.event events of a delivery (an event with an external id only when later than the stored one); returns the rows written.';
revoke execute on function app.ingest_apply_engagement_event(uuid, jsonb, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_apply_engagement_event(uuid, jsonb, jsonb) to service_role;
