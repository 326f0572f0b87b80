-- mention: @Full Name or @email-local-part of a colleague in a user's chat message or in a
-- note logged on a customer notifies them once; the author, other organisations' people,
-- assistant messages, email addresses and ingested events notify nobody.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.clear_authentication();
update app.profiles set full_name = 'Maria Manager', email = 'maria.manager@engine.test' where id = :'manager';
update app.profiles set full_name = 'Casey Junior', email = 'casey@engine.test' where id = :'csm2';
update app.profiles set full_name = 'Maria Manager', email = 'maria.elsewhere@other.test' where id = :'other_manager';
update app.profiles set full_name = 'Sam Senior', email = 'sam@engine.test' where id = :'csm';
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select (public.create_chat_thread(:'eid', (select current_step_key from app.workflow_executions where id = :'eid'))) ->> 'id' as thread \gset
select public.post_chat_message(:'thread', '@Maria Manager can you approve 10%? cc @casey, and mail me at sam@casey.test. @Sam Senior', 'm1') is not null as p \gset
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'mention' and data ->> 'thread_id' = :'thread'),
  1, 'the full name mentions the manager');
select is((select count(*)::int from app.notifications where user_id = :'csm2' and notification_type = 'mention'), 1, 'the email local part mentions csm2, once');
select is((select count(*)::int from app.notifications where user_id = :'other_manager' and notification_type = 'mention'), 0, 'the namesake in another organisation is not told');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'mention'), 0, 'the author is not told of their own mention');
select is((select title from app.notifications where user_id = :'manager' and notification_type = 'mention'), 'Sam Senior mentioned you in Emergency Stage for Contoso',
  'the title says who and where');
select tests.clear_authentication();
insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content)
values (:'org', :'thread', 99, 'assistant', 'I will ask @Maria Manager');
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'mention'), 1, 'assistant messages mention nobody');

-- Notes logged by a person (log_engagement writes them as the person; a manager may insert directly).
select tests.authenticate_as('e_manager');
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description)
values (:'org', :'cust', 'note', now(), 'Call recap', 'Pricing pushback; @sam please join Thursday.');
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'mention' and data ->> 'customer_id' = :'cust' and data ? 'engagement_event_id'),
  1, 'a note mentions the csm');
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, description)
values (:'org', :'cust', 'email', now(), 'Forwarded by the webhook: @sam');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'mention' and data ? 'engagement_event_id'),
  1, 'an ingested event notifies nobody');

select * from finish();
rollback;
