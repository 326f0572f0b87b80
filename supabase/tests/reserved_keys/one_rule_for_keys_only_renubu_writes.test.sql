-- The keys only Renubu writes in a caller's JSON are one rule, app.reserved_keys_in, the same
-- at every door (migration 20261216310000, docs/business-rules.md "Keys only Renubu writes"):
-- compared without case or surrounding space, refused from a person (22023 naming the key),
-- removed from a sender with nobody signed in (the ingest). Before, an artifact's metadata was
-- compared so but an engagement entry's by exact keys, so a note's details could carry
-- "Logged_By_Agent" or a "logged_by" of its own, which nothing showed and everything stored.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to, external_id)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm', 'C-1') returning id as cust \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text,
    'Pricing call', '{"Logged_By_Agent": "Renewal Bot"}'),
  '22023', 'details.Logged_By_Agent cannot be set', 'an agent''s name in details in other letters is refused');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text,
    'Pricing call', '{" logged_by_agent ": "Renewal Bot"}'),
  '22023', 'details. logged_by_agent  cannot be set', 'so is one with spaces around it');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text,
    'Pricing call', format('{"logged_by": "%s"}', :'manager')),
  '22023', 'details.logged_by cannot be set', 'a person of its own inside details is refused');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text,
    'Pricing call', format('{"LOGGED_BY": "%s"}', :'manager')),
  '22023', 'details.LOGGED_BY cannot be set', 'in any letters');
select is((select count(*)::int from app.engagement_events where customer_id = :'cust'), 0, 'and nothing is stored');
select lives_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text,
    'Pricing call', '{"logged_by_agent_note": "fine", "attendees": 3}'),
  'keys that only begin like a reserved one are the caller''s');

-- The same rule on the table itself (a manager may insert entries directly).
select tests.authenticate_as('e_manager');
select throws_ok(format($$insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, metadata, source)
                          values (%L, %L, 'note', now(), 'x', '{"Logged_By": "%s"}', 'manual')$$, :'org', :'cust', :'csm'),
  '22023', null, 'a person''s own insert naming someone else in other letters is refused');

-- A sender with nobody signed in (the ingest) keeps its metadata, less the reserved keys in any letters.
select tests.clear_authentication();
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, metadata, source)
values (:'org', :'cust', 'email', now(), 'From the CRM',
        jsonb_build_object('Logged_By', :'manager', 'subject', 'Hi', 'details', jsonb_build_object('LOGGED_BY_AGENT', 'Bot', 'Logged_By', 'x', 'thread', 7)),
        'crm') returning id as ingested \gset
select is((select metadata from app.engagement_events where id = :'ingested'),
          '{"subject": "Hi", "details": {"thread": 7}}'::jsonb, 'an ingested entry''s reserved keys go in any letters, the rest stays');

-- Artifacts: the same function says it (the keys and words are the artifact's).
select tests.authenticate_as('e_csm');
select throws_ok($$select app.refuse_reserved_artifact_metadata('{"Approved_By": "x"}', 'metadata')$$,
  '22023', 'metadata.Approved_By cannot be set', 'an artifact''s reserved key in other letters is refused, as before');
select is(app.reserved_keys_in('{"Approval_Log": 1, " sent_at ": 2, "title": 3}', app.artifact_reserved_metadata_keys()),
          array[' sent_at ', 'Approval_Log'], 'one function finds them for both, in the object''s order');
select is(app.reserved_keys_in('"text"', array['x']), '{}'::text[], 'a value that is no object names none');
select is(app.reserved_keys_in(null, array['x']), '{}'::text[], 'nor does none');

select * from finish();
rollback;
