-- A refusal that repeats a key or a value the caller sent quotes it as one displayable line
-- (app.quoted, migration 20261216710000): no text-direction override, no control character,
-- no line break, at most 60 characters. Before, update_user_preferences({"x<U+202E>y": …})
-- answered "x<U+202E>y is not a preference group" and the override turned the rest of the
-- sentence around wherever it was shown (the web app's error text, an MCP agent, the logs).
begin;
select plan(13);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset

-- The message of the refusal `sql` raises, or 'no error'.
create function pg_temp.refusal(sql text) returns text language plpgsql as $$
begin
  execute sql;
  return 'no error';
exception when others then
  declare m text;
  begin
    get stacked diagnostics m = message_text;
    return m;
  end;
end $$;
grant execute on function pg_temp.refusal(text) to authenticated, service_role;

select tests.authenticate_as('e_csm');
select alike(pg_temp.refusal(format('select public.update_user_preferences(%L)', jsonb_build_object(E'x\u202Ey', '{}'::jsonb))),
  'xy is not a preference group%', 'a preference group''s key is quoted without its override');
select alike(pg_temp.refusal(format('select public.update_user_preferences(%L)', jsonb_build_object('ui', jsonb_build_object(E'x\n\u2066y', 1)))),
  'ui.x y is not a preference%', 'a preference''s key: a line break is a space, an isolate is left out');
select alike(pg_temp.refusal(format('select public.get_workflow_queue(filters => %L)', jsonb_build_object(E'stage\u202E', '[]'::jsonb))),
  'filters has an unknown key "stage"%', 'a filter''s key');
select alike(pg_temp.refusal(format('select public.create_workflow_execution(%L, %L)', :'cust', E'renewal\u202Efdp.exe')),
  'workflow_key "renewalfdp.exe" is not a workflow%', 'a workflow key');
select alike(pg_temp.refusal(format('select public.list_customers(filters => %L)', jsonb_build_object('plans', jsonb_build_array(E'gold\u0007')))),
  '%"gold"%', 'a filter''s value');
select tests.clear_authentication();
select alike(pg_temp.refusal(format('select app.require_params_of(%L, array[%L], %L)', jsonb_build_object(E'x\u202Ey', 1), 'days', 'Snooze')),
  'params.xy is not a parameter of Snooze', 'an action''s parameter');

select tests.authenticate_as('e_admin');
select public.get_workflow_definition('overdue') as d \gset
select jsonb_set(:'d'::jsonb -> 'definition', '{steps,0,branches,0,next_step_key}', to_jsonb(E'nowhere\u202Egnp'::text)) as bad_step \gset
select alike(pg_temp.refusal(format('select public.save_workflow_definition(%L, %L, %s)', 'overdue', :'bad_step', :'d'::jsonb ->> 'version')),
  '%"nowheregnp" is not a step of this workflow%', 'a definition''s step reference');
select alike(pg_temp.refusal(format('select public.update_organisation_settings(%L)', jsonb_build_object(E'brief\u2067', 1))),
  'brief is not a settings group%', 'a settings group');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select alike(pg_temp.refusal(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'q-1', jsonb_build_array(
    jsonb_build_object('type', 'arr.changed', 'data', jsonb_build_object('customer_external_id', E'ghost\u202Eid', 'arr', 1))))),
  'event 0: no customer with external id "ghostid"%', 'a sender''s external id');
select tests.clear_authentication();
select alike(pg_temp.refusal(format('select app.check_drafted_text(%L, %L)', 'meeting_notes', jsonb_build_object(E'agenda\u2067', ' '))),
  'content.agenda must not be blank', 'a drafted content''s key');
select alike(pg_temp.refusal(format('select app.contract_field_value(%L, %L)', E'term\u202Es', '1')),
  'Unknown contract field terms', 'a contract field''s key');

select is(length(app.quoted(repeat('k', 100000))), 60, 'a long key is cut to 60 characters, as before');
-- The class: no other function quotes what was sent with its own left(…, 60).
select is_empty($$ select p.oid::regprocedure::text from pg_proc p
                    where p.pronamespace in ('app'::regnamespace, 'public'::regnamespace)
                      and p.proname <> 'quoted' and p.prosrc ~ 'raise exception[^;]*left\(' $$,
  'every refusal that cuts what was sent quotes it through app.quoted');
select * from finish();
rollback;
