-- A workflow definition's whole numbers are refused when written with a fraction, even a
-- zero one: a branch's default snooze days (7.0) and meeting minutes (30.0, which jsonb
-- finds among the lengths offered) and a score trigger's min (60.0), 22023 naming the
-- field, and nothing is saved; so no branch stores a default its action would refuse
-- (migration 20261206213000).
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_admin');
select public.get_workflow_definition('expansion-proposal') as def \gset
select (:'def'::jsonb ->> 'version')::int as base \gset
select :'def'::jsonb -> 'definition' as doc \gset

select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal',
  jsonb_set(:'doc'::jsonb, '{steps,0,branches,0}', '{"key": "later", "label": "Later", "type": "saved_action", "saved_action_key": "snooze", "config": {"defaults": {"days": 7.0}}}'), :base),
  '22023', 'The workflow definition is not valid: steps[0].branches[0].config.defaults.days must be a whole number of days from 1 to 30',
  'a default of 7.0 snooze days is refused naming it');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal',
  jsonb_set(:'doc'::jsonb, '{steps,0,branches,0}', '{"key": "meet", "label": "Meet", "type": "saved_action", "saved_action_key": "schedule_meeting", "config": {"defaults": {"duration_minutes": 30.0}}}'), :base),
  '22023', 'The workflow definition is not valid: steps[0].branches[0].config.defaults.duration_minutes must be one of 15, 30, 45, 60',
  'a default of 30.0 minutes is refused naming it');
select throws_ok(format('select public.save_workflow_definition(%L, %L, null)', 'risk-watch',
  '{"name": "Risk watch", "type": "custom", "base_score": 55, "trigger": {"kind": "score", "field": "risk_score", "min": 60.0}, "steps": [{"key": "call", "title": "Call the customer", "type": "meeting", "prompt_template": "Prepare a call with {{customer.name}}.", "artifact_types": ["meeting_notes"], "branches": []}]}'),
  '22023', 'The workflow definition is not valid: trigger.min must be a whole number from 0 to 100', 'a trigger min of 60.0 is refused naming it');
select is((public.get_workflow_definition('expansion-proposal') ->> 'version')::int, :base, 'nothing was saved');
select is((select count(*)::int from app.workflows where org_id = :'org' and key = 'risk-watch'), 0, 'nor created');

select lives_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal',
  jsonb_set(:'doc'::jsonb, '{steps,0,branches,0}', '{"key": "later", "label": "Later", "type": "saved_action", "saved_action_key": "snooze", "config": {"defaults": {"days": 7}}}'), :base),
  'the same default written as a whole number saves');
select * from finish();
rollback;
