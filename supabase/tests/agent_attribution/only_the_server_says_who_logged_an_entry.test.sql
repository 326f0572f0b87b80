-- Who logged an engagement entry, a person (metadata.logged_by) or an AI agent acting for
-- them (metadata.details.logged_by_agent), is the database's to say, never the caller's: the
-- agent's name is stamped from the MCP server's attestation (the x-renubu-agent headers,
-- proven with app.agent_proof over the caller's own token) and the person from auth.uid().
-- Before (migration 20261214500000), log_engagement stored whatever details it was sent, so a
-- person's note could claim to be "logged by the agent Renewal Bot" (and so mention nobody),
-- and an ingested event could name any colleague as its author, or, naming no uuid, make the
-- customer's timeline fail for everyone.
begin;
select plan(17);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to, external_id)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm', 'C-1') returning id as cust \gset
update app.profiles set full_name = 'Maria Manager', email = 'maria.manager@engine.test' where id = :'manager';

-- The name 'Renewal Bot' with a proof made for another token than the call's (a replayed or
-- invented header); the MCP server's own headers are tests.act_as_agent's.
select encode(convert_to('Renewal Bot', 'UTF8'), 'base64') as bot \gset
select jsonb_build_object('authorization', 'Bearer token-1', 'x-renubu-agent', :'bot',
                          'x-renubu-agent-proof', app.agent_proof('token-2', :'bot'))::text as forged_headers \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text,
    '@maria.manager please approve the 40% discount', '{"logged_by_agent": "Renewal Bot"}'),
  '22023', null, 'a person''s entry that names an agent in its details is refused');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text,
    'Pricing call', '{"logged_by_agent": ""}'),
  '22023', null, 'so is one naming an empty agent');
select is((select count(*)::int from app.engagement_events where customer_id = :'cust'), 0, 'and nothing is stored');

select public.log_engagement(:'cust', 'call', now()::text, 'Pricing call with @Maria Manager', '{"attendees": 3}') as own \gset
select is((select metadata from app.engagement_events where id = (:'own'::jsonb ->> 'id')::uuid),
  jsonb_build_object('details', jsonb_build_object('attendees', 3), 'logged_by', :'csm'::uuid),
  'a person''s entry keeps its details and is the person''s, with no agent');

select set_config('request.headers', :'forged_headers', true);
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L)', :'cust', 'note', now()::text, 'Forged agent'),
  '42501', null, 'agent headers whose proof is not for the caller''s token are refused');
select set_config('request.headers', jsonb_build_object('authorization', 'Bearer token-1', 'x-renubu-agent', :'bot')::text, true);
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L)', :'cust', 'note', now()::text, 'Unproven agent'),
  '42501', null, 'an agent header without its proof is refused');

select tests.act_as_agent('Renewal Bot');
select public.log_engagement(:'cust', 'note', now()::text, '@maria.manager please approve the 40% discount', '{}', 'agent-key-1') as bots \gset
select is(:'bots'::jsonb -> 'details', '{"logged_by_agent": "Renewal Bot"}', 'the MCP server''s entry answers with the agent''s name');
select is((select metadata from app.engagement_events where id = (:'bots'::jsonb ->> 'id')::uuid),
  jsonb_build_object('details', jsonb_build_object('logged_by_agent', 'Renewal Bot'), 'logged_by', :'csm'::uuid),
  'and stores it, for the person whose token it carries');
select is(public.log_engagement(:'cust', 'note', now()::text, '@maria.manager please approve the 40% discount', '{}', 'agent-key-1') ->> 'id',
  :'bots'::jsonb ->> 'id', 'the agent''s retry under its key answers the same entry');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text, 'Agent claims another', '{"logged_by_agent": "Other Bot"}'),
  '22023', null, 'an agent''s details naming an agent are refused too');
select set_config('request.headers', '{}', true);
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L, %L, %L)', :'cust', 'note', now()::text,
    '@maria.manager please approve the 40% discount', '{}', 'agent-key-1'),
  'PT409', null, 'the person sending the agent''s key without the agent is another request');
select tests.clear_authentication();

select is((select count(*)::int from app.notifications where notification_type = 'mention' and data ->> 'engagement_event_id' = :'bots'::jsonb ->> 'id'),
  0, 'the agent''s note mentions nobody; ');

-- An ingested event's metadata is the sender's: it names neither a person nor an agent.
select tests.authenticate_as_service_role();
select public.ingest_apply_batch(:'org', 'attributed', jsonb_build_array(
  jsonb_build_object('type', 'engagement.event', 'data', jsonb_build_object('customer_external_id', 'C-1', 'event_type', 'meeting',
    'occurred_at', '2026-11-01T10:00:00Z', 'title', 'Sent by the CRM',
    'metadata', jsonb_build_object('logged_by', :'manager', 'crm', 'x', 'details', jsonb_build_object('logged_by_agent', 'Renewal Bot', 'room', 4)))),
  jsonb_build_object('type', 'engagement.event', 'data', jsonb_build_object('customer_external_id', 'C-1', 'event_type', 'meeting',
    'occurred_at', '2026-11-01T11:00:00Z', 'title', 'Named by the CRM', 'metadata', jsonb_build_object('logged_by', 'jane@crm.example')))));
select tests.clear_authentication();
select is((select jsonb_agg(metadata order by occurred_at) from app.engagement_events where customer_id = :'cust' and source = 'ingest'),
  '[{"crm": "x", "details": {"room": 4}}, {}]'::jsonb, 'an ingested event''s claims of a person or an agent are not kept');
select tests.authenticate_as('e_csm');
select lives_ok(format('select public.get_customer_timeline(%L)', :'cust'), 'and the customer''s timeline reads');

-- The secret is the server's: no person can read it, nor make a proof with it.
select ok(not has_function_privilege('authenticated', 'public.agent_attestation_key()', 'execute')
          and has_function_privilege('service_role', 'public.agent_attestation_key()', 'execute'),
  'only the service role may read the attestation secret');
select ok(not has_function_privilege('authenticated', 'app.agent_proof(text, text)', 'execute')
          and not has_function_privilege('authenticated', 'app.agent_attestation_secret()', 'execute'),
  'no person may make a proof');
select ok(not has_table_privilege('authenticated', 'app.agent_attestation', 'select')
          and not has_table_privilege('service_role', 'app.agent_attestation', 'select'),
  'nor read the secret''s table');

select * from finish();
rollback;
