-- Only admins save; a bad definition is 22023 naming the field; another organisation's
-- admin neither sees nor is affected by the override; a new key creates the org's own workflow.
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.create_member('o_admin', :'other_org', 'admin') is not null as made \gset
select tests.authenticate_as('e_admin');
select public.get_workflow_definition('expansion-proposal') as def \gset
select (:'def'::jsonb ->> 'version')::int as base \gset
select :'def'::jsonb -> 'definition' as doc \gset

select tests.authenticate_as('e_manager');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal', :'doc', :base), '42501', null, 'a manager cannot save');
select throws_ok(format('select public.set_workflow_enabled(%L, false)', 'expansion-proposal'), '42501', null, 'nor switch a workflow off');
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal', :'doc', :base), '42501', null, 'a CSM cannot save');

select tests.authenticate_as('e_admin');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal',
  jsonb_set(:'doc'::jsonb, '{steps,0,branches,0}', '{"key": "go", "label": "Go", "type": "fixed", "response_text": "Ok", "next_step_key": "nowhere"}'), :base),
  '22023', 'The workflow definition is not valid: steps[0].branches[0].next_step_key "nowhere" is not a step of this workflow', 'a branch must lead to a step that exists');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal',
  jsonb_set(:'doc'::jsonb, '{steps,0,branches,0}', '{"key": "act", "label": "Act", "type": "saved_action", "saved_action_key": "no_such_action"}'), :base),
  '22023', 'The workflow definition is not valid: steps[0].branches[0].saved_action_key "no_such_action" is not an action of your organisation', 'a branch must name an action the organisation has');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal',
  jsonb_set(:'doc'::jsonb, '{steps,0,branches,0}', '{"key": "later", "label": "Later", "type": "saved_action", "saved_action_key": "snooze", "config": {"defaults": {"days": 90}}}'), :base),
  '22023', 'The workflow definition is not valid: steps[0].branches[0].config.defaults.days must be a whole number of days from 1 to 30', 'default params must fit the action''s limits');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal', :'doc'::jsonb || '{"type": "custom"}', :base),
  '22023', 'Your organisation''s version of a core workflow keeps its name, type, trigger and score', 'an override keeps the core type');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal', :'doc'::jsonb || '{"steps": []}', :base),
  '22023', null, 'a workflow has at least one step');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'Not A Key', :'doc', :base), '22023', null, 'the key is checked');

select lives_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal',
  jsonb_set(:'doc'::jsonb, '{steps,0,title}', '"Our own first step"'), :base), 'a valid edit saves');
select lives_ok(format('select public.save_workflow_definition(%L, %L, null)', 'onboarding-call',
  '{"name": "Onboarding call", "type": "custom", "base_score": 55, "steps": [{"key": "call", "title": "Hold the call", "type": "meeting", "prompt_template": "Prepare the onboarding call with {{customer.name}}.", "artifact_types": ["meeting_notes"], "branches": []}]}'),
  'a new key creates the organisation''s own workflow');
select is((select jsonb_agg(x ->> 'scope' order by x ->> 'key') from jsonb_array_elements(public.list_workflow_definitions()) x
            where x ->> 'key' in ('expansion-proposal', 'onboarding-call')), '["override", "organisation"]', 'both are in the catalogue');

select tests.authenticate_as('o_admin');
select is((select x ->> 'scope' || ' v' || (x ->> 'version') from jsonb_array_elements(public.list_workflow_definitions()) x where x ->> 'key' = 'expansion-proposal'),
          'core v' || :base, 'another organisation still runs the core definition');
select ok(not exists (select 1 from jsonb_array_elements(public.list_workflow_definitions()) x where x ->> 'key' = 'onboarding-call'),
          'and does not see the first organisation''s own workflow');
select * from finish();
rollback;
