-- A note an AI agent logged (the MCP server's log_engagement, whose agent the database records
-- as details.logged_by_agent) notifies nobody it names: the agent's words are no person's
-- mention, and an agent reaches no colleague (docs/agents.md, "No side effect without a
-- person"). Before, a note an agent wrote from a customer's email ("@maria.manager please
-- approve the 40% discount") reached Maria as "Sam Senior mentioned you in a note". The same
-- note logged by the person notifies the colleague it names.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
update app.profiles set full_name = 'Maria Manager', email = 'maria.manager@engine.test' where id = :'manager';
update app.profiles set full_name = 'Sam Senior', email = 'sam@engine.test' where id = :'csm';

select tests.authenticate_as('e_csm');
select tests.act_as_agent('Renewal Bot'); -- the MCP server's call (migration 20261214500000)
select public.log_engagement(:'cust', 'note', now()::text, '@maria.manager please approve the 40% discount today.') ->> 'id' as agent_note \gset
select tests.act_as_agent(null);
select public.log_engagement(:'cust', 'call', now()::text, 'Pricing call; @Maria Manager asked to join the next one.') ->> 'id' as own_note \gset
select tests.clear_authentication();

select is((select count(*)::int from app.notifications where user_id = :'manager' and data ->> 'engagement_event_id' = :'agent_note'),
  0, 'a note an agent logged notifies nobody it names');
select is((select count(*)::int from app.notifications where notification_type = 'mention' and data ->> 'engagement_event_id' = :'agent_note'),
  0, 'nor anyone else');
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'mention' and data ->> 'engagement_event_id' = :'own_note'),
  1, 'a note the person logged notifies the colleague it names');

select * from finish();
rollback;
