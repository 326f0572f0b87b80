-- Escalation levels are defined once (app.escalation_levels): a level added there can be
-- offered by an escalate action's config and used to escalate, and is listed with its
-- label for the web app; one not there is refused by the config check and by the table.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Levels Co', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

select is(app.saved_action_config_problems('escalate', '{"levels": ["manager", "board"], "default_level": "manager", "reason_required": true, "notify": "assignee_manager"}'),
  array['config.levels must be a non-empty list of distinct levels from manager, vp_cs, ceo'], 'an unknown level is refused, naming the known ones');
select is((select array_agg(x ->> 'label') from jsonb_array_elements(public.list_escalation_levels()) x), array['Manager', 'VP Customer Success', 'CEO'], 'the levels are listed with their labels, lowest first');

insert into app.escalation_levels (key, label, sort) values ('board', 'Board', 4);
select is(app.saved_action_config_problems('escalate', '{"levels": ["manager", "board"], "default_level": "board", "reason_required": true, "notify": "assignee_manager"}'),
  '{}'::text[], 'once added, a config may offer it');
select ok(public.list_escalation_levels() -> -1 = '{"key": "board", "label": "Board"}', 'and it is listed');
-- The organisation offers it through its own escalate action (an admin's override).
select tests.authenticate_as('e_admin');
select lives_ok($$ select public.save_saved_action('escalate', '{"levels": ["manager", "board"], "default_level": "board"}') $$, 'an admin offers it');
select tests.authenticate_as('e_csm');
select is(public.execute_action('escalate', :'eid', '{"level": "board", "reason": "Needs the board"}') -> 'execution' ->> 'status', 'escalated', 'a CSM escalates to it');
select tests.clear_authentication();
select is(tests.violation(format($$ update app.workflow_escalations set level = 'pope' where execution_id = %L $$, :'eid')), '23503 workflow_escalations_level_is_known',
  'a direct write of an unknown level is refused by the named foreign key');

select * from finish();
rollback;
