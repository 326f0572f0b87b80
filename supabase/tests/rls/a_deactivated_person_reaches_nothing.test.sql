-- A deactivated person's access token stays valid until it expires (up to an hour). From the
-- moment they are deactivated it must reach nothing: every membership helper the policies
-- and RPCs rest on (current_org_id, current_member_role, has_role, is_member_of,
-- can_work_on_*) refuses them, so reads and writes are refused for every role, not only in
-- the administration RPCs: 42501 "Your account is deactivated" (migration 20261206252000;
-- before, the helpers answered null or false and reads came back empty).
begin;
select plan(13);
set client_min_messages = warning;
select tests.create_rls_world();
select id as exec_mine from app.workflow_executions where metadata ->> 'label' = 'mine' \gset
select id as thread_mine from app.workflow_chat_threads where metadata ->> 'label' = 'mine' \gset
select id as art_mine from app.workflow_task_artifacts where metadata ->> 'label' = 'mine' \gset
select id as cust_a from app.customers where metadata ->> 'label' = 'a' \gset
update app.profiles set deactivated_at = now()
 where id in (tests.get_supabase_uid('csm_a'), tests.get_supabase_uid('manager_a'));

select tests.authenticate_as('csm_a');
select throws_ok('select app.current_org_id()', '42501', 'Your account is deactivated', 'a deactivated csm has no organisation: they are told so');
select throws_ok('select app.current_member_role()', '42501', 'Your account is deactivated', 'and no role');
select throws_ok($$select app.has_role('csm')$$, '42501', 'Your account is deactivated', 'has_role refuses them');
select throws_ok(format('select app.is_member_of(%L)', tests.org_id('Org A')), '42501', 'Your account is deactivated',
  'they are no member of their old organisation');
select is(app.can_work_on_execution(:'exec_mine') or app.can_work_on_thread(:'thread_mine')
          or app.can_work_on_artifact(:'art_mine'), false, 'and can work on nothing, not even their own workflow');
select throws_ok('select 1 from app.customers', '42501', 'Your account is deactivated', 'they read no customers');
select throws_ok('select 1 from app.workflow_executions', '42501', 'Your account is deactivated', 'and no workflows');
select throws_ok(format($$ select public.log_engagement(%L, 'note', now()::text, 'still here') $$, :'cust_a'),
                 '42501', null, 'they log no activity');
select throws_ok('select public.list_customers()', '42501', null, 'and list no customers');

select tests.authenticate_as('manager_a');
select throws_ok(format($$ select public.reassign_workflow(%L, %L, 'grab') $$, :'exec_mine', tests.get_supabase_uid('csm2_a')),
                 null, null, 'a deactivated manager reassigns nothing (refused or not found)');
select tests.clear_authentication();
select is((select assigned_to from app.workflow_executions where id = :'exec_mine'), tests.get_supabase_uid('csm_a'),
          'the workflow still belongs to its csm');

-- The active people of the organisation are untouched.
select tests.authenticate_as('csm2_a');
select isnt(app.current_org_id(), null, 'an active csm still has their organisation');
select isnt_empty('select 1 from app.customers', 'and reads customers');

select * from finish();
rollback;
