-- Vendored pgTAP helpers (after supabase-test-helpers), installed by the first test file
-- so CI needs no network and no seed data. pg_prove runs each file in its own session;
-- this file commits the `tests` schema (no surrounding transaction), so every later file
-- can use it. Everything is `create or replace`: running the suite twice is harmless.
-- `supabase db reset` drops the schema again (it is not owned by supabase_admin).
--
--   tests.create_supabase_user(identifier, email, phone, metadata) -> uuid
--   tests.get_supabase_uid(identifier) -> uuid
--   tests.authenticate_as(identifier)       -- role authenticated + request.jwt.claims
--   tests.authenticate_as_service_role()
--   tests.clear_authentication()            -- back to the session's own role, no claims
--   tests.create_organisation(name) -> uuid
--   tests.create_member(identifier, org_id, role, experience_level) -> uuid  (user + profile)
--   tests.create_rls_world()                -- two organisations, every role, one of everything
--   tests.create_engine_world()             -- 'Engine Org' and 'Other Org' with their people (engine tests)
--   tests.violation(statement) -> text      -- 'no error' or the SQLSTATE and constraint it fails with
--   tests.kept_queue_stats_are_fresh(label, viewer, people) -- pgTAP: kept queue stats = a fresh aggregate
--   tests.act_as_agent(name, token)         -- this transaction's calls attested as the MCP server's for an agent

set client_min_messages = warning;
create extension if not exists pgtap with schema extensions;

-- Migrations revoke EXECUTE on new functions from PUBLIC (so RPCs are granted one by
-- one); pgTAP, created after them by the same role, must be callable by the test roles.
do $$
declare
  fn regprocedure;
begin
  for fn in
    select p.oid::regprocedure
    from pg_proc p
    join pg_depend d on d.objid = p.oid and d.deptype = 'e'
    join pg_extension e on e.oid = d.refobjid and e.extname = 'pgtap'
  loop
    execute format('grant execute on function %s to public', fn);
  end loop;
end
$$;

create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

create or replace function tests.create_supabase_user(
  identifier text,
  email text default null,
  phone text default null,
  metadata jsonb default null
)
returns uuid
language plpgsql
security definer -- writes auth.users whatever role the test has switched to
set search_path = ''
as $$
declare
  user_id uuid := gen_random_uuid();
begin
  insert into auth.users (id, aud, role, email, phone, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
  values (
    user_id,
    'authenticated',
    'authenticated',
    coalesce(create_supabase_user.email, concat(user_id, '@test.renubu.dev')),
    create_supabase_user.phone,
    jsonb_build_object('test_identifier', create_supabase_user.identifier) || coalesce(create_supabase_user.metadata, '{}'::jsonb),
    '{}'::jsonb,
    now(),
    now()
  );
  return user_id;
end;
$$;

create or replace function tests.get_supabase_uid(identifier text)
returns uuid
language plpgsql
stable
security definer -- reads auth.users whatever role the test has switched to
set search_path = ''
as $$
declare
  user_id uuid;
begin
  select u.id into user_id
  from auth.users u
  where u.raw_user_meta_data ->> 'test_identifier' = get_supabase_uid.identifier
  limit 1;
  if user_id is null then
    raise exception 'No test user with identifier %', get_supabase_uid.identifier;
  end if;
  return user_id;
end;
$$;

create or replace function tests.authenticate_as(identifier text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  user_id uuid;
  user_email text;
begin
  -- Switching from one test user to another: look the new one up as the session's role.
  perform set_config('role', 'none', true);
  user_id := tests.get_supabase_uid(authenticate_as.identifier);
  select u.email into user_email from auth.users u where u.id = user_id;
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', jsonb_build_object(
    'sub', user_id, 'role', 'authenticated', 'aud', 'authenticated', 'email', user_email,
    'app_metadata', '{}'::jsonb, 'user_metadata', '{}'::jsonb
  )::text, true);
end;
$$;

create or replace function tests.authenticate_as_service_role()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'service_role', true);
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
end;
$$;

create or replace function tests.authenticate_as_anon()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '{"role": "anon"}', true);
end;
$$;

create or replace function tests.clear_authentication()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'none', true);
  perform set_config('request.jwt.claims', '', true);
end;
$$;

grant execute on function tests.create_supabase_user(text, text, text, jsonb) to anon, authenticated, service_role;
grant execute on function tests.get_supabase_uid(text) to anon, authenticated, service_role;
grant execute on function tests.authenticate_as(text) to anon, authenticated, service_role;
grant execute on function tests.authenticate_as_service_role() to anon, authenticated, service_role;
grant execute on function tests.authenticate_as_anon() to anon, authenticated, service_role;
grant execute on function tests.clear_authentication() to anon, authenticated, service_role;

-- Renubu fixtures. Run them as the session's own role (before authenticate_as).
create or replace function tests.create_organisation(name text)
returns uuid
language sql
set search_path = ''
as $$
  insert into app.organisations (name, slug)
  values (create_organisation.name, concat('test-', replace(gen_random_uuid()::text, '-', '')))
  returning id
$$;

create or replace function tests.create_member(
  identifier text,
  org_id uuid,
  role text,
  experience_level text default 'mid'
)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  user_id uuid := tests.create_supabase_user(create_member.identifier, concat(create_member.identifier, '@test.renubu.dev'));
begin
  insert into app.profiles (id, org_id, role, full_name, email, experience_level)
  values (user_id, create_member.org_id, create_member.role, initcap(replace(create_member.identifier, '_', ' ')),
          concat(create_member.identifier, '@test.renubu.dev'), create_member.experience_level);
  return user_id;
end;
$$;

-- Two organisations. In org A: admin_a, manager_a, csm_a, csm2_a, viewer_a; in org B:
-- admin_b, csm_b. Customers 'a' (external id A-1, csm_a), 'a-theirs' (csm2_a), 'a-open'
-- (nobody) in org A and 'b' (B-1, csm_b) in org B; an org-A workflow definition with a
-- version; one open execution per customer: 'mine' (csm_a), 'theirs' (csm2_a), 'open'
-- (unassigned), 'b' (csm_b). Each execution has a step, a thread, a message, an artifact and a
-- task (metadata ->> 'label' says which). Find rows with tests.row_id(table, label).
create or replace function tests.create_rls_world()
returns void
language plpgsql
set search_path = ''
as $$
declare
  org_a uuid := tests.create_organisation('Org A');
  org_b uuid := tests.create_organisation('Org B');
  wf_id uuid;
  wv_id uuid;
  cust_a uuid;
  cust_b uuid;
  e record;
  exec_id uuid;
  thread_id uuid;
  artifact_id uuid;
  message_id uuid;
begin
  perform tests.create_member('admin_a', org_a, 'admin', 'expert');
  perform tests.create_member('manager_a', org_a, 'manager', 'senior');
  perform tests.create_member('csm_a', org_a, 'csm', 'mid');
  perform tests.create_member('csm2_a', org_a, 'csm', 'junior');
  perform tests.create_member('viewer_a', org_a, 'viewer');
  perform tests.create_member('admin_b', org_b, 'admin');
  perform tests.create_member('csm_b', org_b, 'csm');

  insert into app.customers (org_id, external_id, name, arr, health_score, renewal_date, assigned_to, metadata)
  values (org_a, 'A-1', 'Acme', 120000, 70, current_date + 20, tests.get_supabase_uid('csm_a'), '{"label": "a"}')
  returning id into cust_a;
  insert into app.customers (org_id, external_id, name, arr, health_score, renewal_date, assigned_to, metadata)
  values (org_b, 'B-1', 'Bolt', 90000, 40, current_date + 100, tests.get_supabase_uid('csm_b'), '{"label": "b"}')
  returning id into cust_b;

  insert into app.workflows (org_id, key, name, workflow_type, base_score)
  values (org_a, 'test-flow', 'Test flow', 'custom', 50) returning id into wf_id;
  insert into app.workflow_versions (workflow_id, org_id, version, config)
  values (wf_id, org_a, 1, '{"steps": [{"key": "review", "title": "Review"}]}') returning id into wv_id;

  for e in
    select * from (values
      ('mine', org_a, cust_a, tests.get_supabase_uid('csm_a')),
      ('theirs', org_a, cust_a, tests.get_supabase_uid('csm2_a')),
      ('open', org_a, cust_a, null::uuid),
      ('b', org_b, cust_b, tests.get_supabase_uid('csm_b'))
    ) as t(label, org_id, customer_id, assignee)
  loop
    -- One open execution per customer and workflow: 'theirs' and 'open' get their own customer.
    if e.label in ('theirs', 'open') then
      insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to, metadata)
      values (org_a, concat('Acme ', e.label), 60000, 65, current_date + 45, e.assignee, jsonb_build_object('label', concat('a-', e.label)))
      returning id into e.customer_id;
    end if;
    insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps, metadata)
    values (e.org_id, e.customer_id, wf_id, wv_id, e.assignee, 1, jsonb_build_object('label', e.label))
    returning id into exec_id;
    insert into app.workflow_step_executions (org_id, execution_id, step_key, step_index, title, outcome)
    values (e.org_id, exec_id, 'review', 0, 'Review', jsonb_build_object('label', e.label));
    insert into app.workflow_chat_threads (org_id, execution_id, step_key, metadata)
    values (e.org_id, exec_id, 'review', jsonb_build_object('label', e.label)) returning id into thread_id;
    insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content, client_message_id, metadata)
    values (e.org_id, thread_id, 1, 'user', 'Hello', 'c-1', jsonb_build_object('label', e.label)) returning id into message_id;
    insert into app.workflow_llm_context (org_id, thread_id, system_prompt, model, customer_context)
    values (e.org_id, thread_id, 'You help CSMs.', 'mock', jsonb_build_object('label', e.label));
    insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, success, tool_input)
    values (e.org_id, thread_id, message_id, 'get_customer_context', true, jsonb_build_object('label', e.label));
    insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, metadata)
    values (e.org_id, exec_id, 'email_draft', 'Draft', '{}', jsonb_build_object('label', e.label)) returning id into artifact_id;
    insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content, metadata)
    values (e.org_id, artifact_id, 1, 'Draft', '{}', jsonb_build_object('label', e.label));
    insert into app.workflow_tasks (org_id, customer_id, execution_id, title, assigned_to, metadata)
    values (e.org_id, e.customer_id, exec_id, 'Follow up', e.assignee, jsonb_build_object('label', e.label));
    insert into app.action_executions (org_id, execution_id, action_key, success, params)
    values (e.org_id, exec_id, 'snooze', true, jsonb_build_object('label', e.label));
  end loop;
end;
$$;

-- The people the workflow-engine tests work with, made in one call so that each test can
-- start with `select * from tests.create_engine_world() \gset` and then use :'org',
-- :'csm' ... as psql variables. 'Engine Org' has e_admin (expert), e_manager (senior,
-- the manager of both csms), e_csm (senior), e_csm2 (junior) and e_viewer; 'Other Org'
-- has o_manager and o_csm. `today` is the engine organisation's own date.
create or replace function tests.create_engine_world()
returns table (org uuid, admin uuid, manager uuid, csm uuid, csm2 uuid, viewer uuid,
               other_org uuid, other_manager uuid, other_csm uuid, today date)
language plpgsql
set search_path = ''
as $$
begin
  org := tests.create_organisation('Engine Org');
  admin := tests.create_member('e_admin', org, 'admin', 'expert');
  manager := tests.create_member('e_manager', org, 'manager', 'senior');
  csm := tests.create_member('e_csm', org, 'csm', 'senior');
  csm2 := tests.create_member('e_csm2', org, 'csm', 'junior');
  viewer := tests.create_member('e_viewer', org, 'viewer');
  update app.profiles p set manager_id = create_engine_world.manager where p.id in (create_engine_world.csm, create_engine_world.csm2);
  other_org := tests.create_organisation('Other Org');
  other_manager := tests.create_member('o_manager', other_org, 'manager');
  other_csm := tests.create_member('o_csm', other_org, 'csm');
  today := app.organisation_today(org);
  return next;
end;
$$;

-- An email to send in the Engine Org: the customer Contoso renewing in 3 days (so the
-- orchestrator opens its `emergency` renewal) and an email_draft on that workflow written
-- by `csm_id` and approved by `approver_id`. The shared start of the outbox, send_email and
-- approval tests.
create or replace function tests.create_approved_email_draft(org_id uuid, csm_id uuid, approver_id uuid, today date)
returns table (cust uuid, eid uuid, art uuid)
language plpgsql
set search_path = ''
as $$
begin
  insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
  values (create_approved_email_draft.org_id, 'Contoso', 180000, 68, create_approved_email_draft.today + 3, csm_id)
  returning id into cust;
  perform app.run_orchestrator_for_org(create_approved_email_draft.org_id);
  select e.id into eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
   where e.customer_id = cust and w.key = 'emergency';
  insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by, approved_by, approved_at)
  values (create_approved_email_draft.org_id, eid, 'email_draft', 'Renewal',
          '{"to": ["cfo@contoso.example"], "cc": ["cto@contoso.example"], "subject": "Your renewal", "body": "Hello"}',
          csm_id, approver_id, now())
  returning id into art;
  return next;
end;
$$;

-- Two pending invitations of the Engine Org's admin `admin_id`: one sent and not taken up yet
-- (`sent_user`: Sent One, sent.one@engine.example, as `sent_role`) and one kept unsent
-- (`unsent_id`: Olly Elsewhere, a viewer, at `elsewhere`, the address of `elsewhere_person`, a
-- person of another organisation). Every other Auth user has joined (confirmed, signed in). The
-- shared start of the invitations tests; the session is left unauthenticated.
create or replace function tests.create_pending_invitations(admin_id uuid, elsewhere_person uuid, sent_role text default 'csm')
returns table (sent_user uuid, unsent_id uuid, elsewhere text)
language plpgsql
set search_path = ''
as $$
begin
  select p.email into elsewhere from app.profiles p where p.id = create_pending_invitations.elsewhere_person;
  sent_user := tests.create_supabase_user('sent_one', 'sent.one@engine.example');
  update auth.users u set email_confirmed_at = now(), last_sign_in_at = now() where u.id <> sent_user;
  perform tests.authenticate_as_service_role();
  perform public.create_invited_person(admin_id, sent_user, 'sent.one@engine.example', 'Sent One', sent_role);
  unsent_id := (public.create_unsent_invitation(admin_id, elsewhere, 'Olly Elsewhere', 'viewer') #>> '{person,id}')::uuid;
  perform tests.clear_authentication();
  return next;
end;
$$;

-- Two customers of `csm_id` in the Engine Org renewing in 3 days (Contoso, 180 000 ARR,
-- and Fabrikam, 90 000), after an orchestrator run: their open renewals `eid` and `eid2`.
-- The shared start of the *_once_per_key tests, where the second workflow shows that a
-- key used on another workflow is refused and leaves that workflow as it was.
create or replace function tests.create_two_open_renewals(org_id uuid, csm_id uuid, today date)
returns table (cust uuid, eid uuid, cust2 uuid, eid2 uuid)
language plpgsql
set search_path = ''
as $$
begin
  insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
  values (create_two_open_renewals.org_id, 'Contoso', 180000, 68, create_two_open_renewals.today + 3, csm_id)
  returning id into cust;
  insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
  values (create_two_open_renewals.org_id, 'Fabrikam', 90000, 70, create_two_open_renewals.today + 3, csm_id)
  returning id into cust2;
  perform app.run_orchestrator_for_org(create_two_open_renewals.org_id);
  select e.id into eid from app.workflow_executions e where e.customer_id = cust and e.renewal_stage is not null;
  select e.id into eid2 from app.workflow_executions e where e.customer_id = cust2 and e.renewal_stage is not null;
  return next;
end;
$$;

-- The id of the fixture row of `table_name` whose label column says `label`.
create or replace function tests.row_id(table_name text, label text)
returns uuid
language plpgsql
stable
security definer -- finds fixture rows whatever role the test has switched to
set search_path = ''
as $$
declare
  label_column text := case row_id.table_name
    when 'workflow_step_executions' then 'outcome'
    when 'workflow_llm_context' then 'customer_context'
    when 'workflow_llm_tool_calls' then 'tool_input'
    when 'action_executions' then 'params'
    else 'metadata'
  end;
  found uuid;
begin
  execute format('select id from app.%I where %I ->> ''label'' = $1 limit 1', row_id.table_name, label_column)
    into found using row_id.label;
  if found is null then
    raise exception 'No % row labelled %', row_id.table_name, row_id.label;
  end if;
  return found;
end;
$$;

grant execute on function tests.row_id(text, text) to authenticated, service_role, anon;

-- How many rows of an app table belonging to an organisation the current role can see.
create or replace function tests.visible_rows(table_name text, org_id uuid)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  n integer;
begin
  execute format('select count(*)::int from app.%I where %I = $1', visible_rows.table_name,
                 case when visible_rows.table_name = 'organisations' then 'id' else 'org_id' end)
    into n using visible_rows.org_id;
  return n;
end;
$$;

-- The id of a fixture organisation ('Org A', 'Org B').
create or replace function tests.org_id(name text)
returns uuid
language sql
stable
security definer -- finds fixture rows whatever role the test has switched to
set search_path = ''
as $$
  select o.id from app.organisations o where o.name = org_id.name order by o.created_at desc limit 1
$$;

grant execute on function tests.visible_rows(text, uuid) to authenticated, service_role, anon;
grant execute on function tests.org_id(text) to authenticated, service_role, anon;

-- What a statement fails with, for tests of named constraints: its SQLSTATE and the
-- constraint it names, plus a remark when the message (what PostgREST shows as `message`)
-- does not say that name too; 'no error' when it succeeds. Runs as the caller, so RLS and
-- grants apply exactly as they would to the statement itself.
create or replace function tests.violation(statement text)
returns text
language plpgsql
set search_path = ''
as $$
declare
  state text;
  name text;
  message text;
begin
  execute violation.statement;
  return 'no error';
exception when others then
  get stacked diagnostics state = returned_sqlstate, name = constraint_name, message = message_text;
  return concat_ws(' ', state, nullif(name, ''),
                   case when name <> '' and position(name in message) = 0 then '(the message does not name it)' end);
end;
$$;

grant execute on function tests.violation(text) to authenticated, service_role, anon;

-- One pgTAP check per person and include_snoozed: the queue stats `viewer` (a manager)
-- sees for the person, as the unfiltered queue reads them from the kept statistics, equal
-- what a filter that keeps every lane aggregates from the queue itself. The tests of the
-- kept statistics run it after each kind of change.
create or replace function tests.kept_queue_stats_are_fresh(label text, viewer text, people text[])
returns setof text
language plpgsql
set search_path = extensions -- pgTAP's is() calls its own functions unqualified
as $$
declare
  who text;
  snoozed boolean;
  kept jsonb;
  fresh jsonb;
begin
  foreach who in array kept_queue_stats_are_fresh.people loop
    foreach snoozed in array array[false, true] loop
      perform tests.authenticate_as(kept_queue_stats_are_fresh.viewer);
      kept := public.get_workflow_queue(1, null, tests.get_supabase_uid(who), snoozed)::jsonb -> 'stats';
      fresh := public.get_workflow_queue(1, null, tests.get_supabase_uid(who), snoozed,
                                         '{"lanes": ["now", "soon", "planned"]}')::jsonb -> 'stats';
      perform tests.clear_authentication();
      return next is(kept, fresh, pg_catalog.format('%s: %s, include_snoozed %s', kept_queue_stats_are_fresh.label, who, snoozed));
    end loop;
  end loop;
end;
$$;

begin;
select plan(1);
select has_function('tests', 'authenticate_as', array['text'], 'the pgTAP helper schema is installed');
select * from finish();
rollback;

-- The MCP server's attestation headers for an agent (functions-shared/mcp/attestation.ts):
-- every call of this transaction is the named agent's, on a bearer token 'token' (null
-- name: no agent). Definer: the proof's secret is readable by no API role.
create or replace function tests.act_as_agent(name text, token text default 'test-token')
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_agent text := encode(convert_to(act_as_agent.name, 'UTF8'), 'base64');
begin
  perform set_config('request.headers', case when act_as_agent.name is null then '{}' else jsonb_build_object(
    'authorization', 'Bearer ' || act_as_agent.token, 'x-renubu-agent', v_agent,
    'x-renubu-agent-proof', app.agent_proof(act_as_agent.token, v_agent))::text end, true);
end;
$$;
grant execute on function tests.act_as_agent(text, text) to authenticated, service_role;
