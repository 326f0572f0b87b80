-- A mention of a person who has been deactivated notifies nobody: they can no longer sign
-- in to read it. The same message still notifies the colleague it names who is active.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.clear_authentication();
update app.profiles set full_name = 'Maria Manager', email = 'maria.manager@engine.test' where id = :'manager';
update app.profiles set full_name = 'Casey Junior', email = 'casey@engine.test', deactivated_at = now() where id = :'csm2';
update app.profiles set full_name = 'Sam Senior', email = 'sam@engine.test' where id = :'csm';

select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select (public.create_chat_thread(:'eid', (select current_step_key from app.workflow_executions where id = :'eid'))) ->> 'id' as thread \gset
select public.post_chat_message(:'thread', '@Casey Junior and @Maria Manager: who takes Contoso?', 'm1') is not null as p \gset
select tests.authenticate_as('e_manager');
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description)
values (:'org', :'cust', 'note', now(), 'Handover', 'Was with @casey until last week.');
select tests.clear_authentication();

select is((select count(*)::int from app.notifications where user_id = :'csm2' and notification_type = 'mention' and data ->> 'thread_id' = :'thread'),
  0, 'a chat message does not notify the deactivated person it names');
select is((select count(*)::int from app.notifications where user_id = :'csm2' and notification_type = 'mention' and data ? 'engagement_event_id'),
  0, 'a note does not notify the deactivated person it names');
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'mention' and data ->> 'thread_id' = :'thread'),
  1, 'the active colleague named in the same message is notified');

select * from finish();
rollback;
