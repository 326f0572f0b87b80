-- An admin edits a core workflow's step: the organisation gets its own row and version 2;
-- the core row and its version are unchanged; an execution opened before keeps its steps,
-- one opened after gets the new ones, under the same workflow identity; the change is audited.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select id as core_id, current_version as core_version from app.workflows where org_id is null and key = 'risk-intervention' \gset
select count(*) as core_branches from app.workflow_chat_branches b join app.workflow_versions v on v.id = b.workflow_version_id
 where v.workflow_id = :'core_id' \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to) values (:'org', 'Before Co', 90000, 40, :'csm') returning id as cust1 \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to) values (:'org', 'After Co', 90000, 40, :'csm') returning id as cust2 \gset

select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust1', 'risk-intervention') ->> 'id') as e1 \gset
select public.start_workflow(:'e1') is not null as started \gset
select public.get_workflow_execution(:'e1') -> 'steps' -> 0 ->> 'title' as old_title \gset

select tests.authenticate_as('e_admin');
select public.get_workflow_definition('risk-intervention') as def \gset
select jsonb_set(:'def'::jsonb -> 'definition', '{steps,0,title}', '"Call the sponsor first"') || '{"change_note": "Sponsor call first"}' as edited \gset
select public.save_workflow_definition('risk-intervention', :'edited'::jsonb, (:'def'::jsonb ->> 'version')::int) as saved \gset
select is((:'saved'::jsonb ->> 'version')::int, :core_version + 1, 'saving creates the next version');
select is(:'saved'::jsonb ->> 'scope', 'override', 'the organisation now has its own version of the core workflow');
select is(:'saved'::jsonb -> 'previous' ->> 'scope', 'core', 'the previous version is the core one (for the diff)');

select tests.clear_authentication();
select results_eq(format($$ select current_version, updated_at <= now() from app.workflows where id = %L $$, :'core_id'),
                  format($$ values (%s, true) $$, :core_version), 'the core row keeps its version');
select is((select count(*) from app.workflow_chat_branches b join app.workflow_versions v on v.id = b.workflow_version_id
            where v.workflow_id = :'core_id'), :'core_branches'::bigint, 'the core branches are unchanged');
select is((select v.config -> 'steps' -> 0 ->> 'title' from app.workflow_versions v where v.workflow_id = :'core_id' and v.version = :core_version),
          :'old_title', 'the core version''s steps are unchanged');

select tests.authenticate_as('e_csm');
select is(public.get_workflow_execution(:'e1') -> 'steps' -> 0 ->> 'title', :'old_title', 'the running execution keeps its steps');
select (public.create_workflow_execution(:'cust2', 'risk-intervention') ->> 'id') as e2 \gset
select is(public.get_workflow_execution(:'e2') -> 'steps' -> 0 ->> 'title', 'Call the sponsor first', 'a new execution gets the new steps');
select is((public.get_workflow_execution(:'e2') -> 'workflow' ->> 'version')::int, :core_version + 1, 'and runs the new version');
select is(public.get_workflow_execution(:'e2') -> 'workflow' ->> 'id', :'core_id', 'under the same workflow identity as before');
select is((select count(*) from jsonb_array_elements(public.get_workflow_execution(:'e2') -> 'steps' -> 0 -> 'branches')),
          jsonb_array_length(:'edited'::jsonb -> 'steps' -> 0 -> 'branches')::bigint, 'the branches came along');

select tests.clear_authentication();
select is((select l.action || ' ' || l.entity_id || ' ' || (l.after ->> 'version') from app.admin_audit_log l where l.org_id = :'org' and l.entity = 'workflow_definition'),
          'override risk-intervention ' || (:core_version + 1), 'the change is in the audit log');

select * from finish();
rollback;
