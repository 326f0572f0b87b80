-- Narrowing an action's choices (skip reasons, meeting lengths) is refused when a branch of
-- the organisation's own workflow uses a default the change takes away (22023 naming the
-- workflow and the branch), and nothing changes; a narrowing that keeps every branch's
-- default is saved; a branch that was outside the limits before does not block a change.
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_admin');
select config as meeting_core from app.saved_actions where org_id is null and key = 'schedule_meeting' \gset
-- The organisation's own workflow; Quarterly Business Review (the core one that books 60
-- minutes) is switched off, so this is the only workflow run with those defaults.
select lives_ok(format('select public.save_workflow_definition(%L, %L, null)', 'onboarding-call',
  '{"name": "Onboarding call", "type": "custom", "base_score": 55, "steps": [{"key": "call", "title": "Hold the call", "type": "meeting",
    "prompt_template": "Prepare the onboarding call with {{customer.name}}.", "artifact_types": ["meeting_notes"], "branches": [
      {"key": "not-needed", "label": "Not needed", "type": "saved_action", "saved_action_key": "skip", "config": {"defaults": {"reason": "Customer requested skip"}}},
      {"key": "book", "label": "Book an hour", "type": "saved_action", "saved_action_key": "schedule_meeting", "return_step_key": "call",
       "config": {"defaults": {"duration_minutes": 60}}}]}]}'),
  'the organisation saves its own workflow');
select public.set_workflow_enabled('quarterly-review', false) is not null as off \gset

select throws_ok($$ select public.save_saved_action('skip', '{"reasons": ["Other"]}') $$, '22023',
  'These limits would leave workflow branches your organisation runs outside them: '
  || 'Onboarding call: steps[0].branches[0].config.defaults.reason must be one of the skip reasons',
  'removing a skip reason a branch uses is refused');
select is((select a ->> 'scope' from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'skip'), 'core',
  'and the skip action stays the core one');
select throws_ok($$ select public.save_saved_action('schedule_meeting', '{"durations_minutes": [15, 30, 45], "default_duration_minutes": 30}') $$, '22023',
  'These limits would leave workflow branches your organisation runs outside them: '
  || 'Onboarding call: steps[0].branches[1].config.defaults.duration_minutes must be one of 15, 30, 45',
  'removing a meeting length a branch uses is refused');
select is((select a -> 'config' from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'schedule_meeting'), :'meeting_core'::jsonb,
  'and the meeting lengths are unchanged');

select lives_ok($$ select public.save_saved_action('skip', '{"reasons": ["Customer requested skip", "Other"]}') $$,
  'a narrowing that keeps the reason the branch uses is saved');
select is((select a -> 'config' -> 'reasons' from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'skip'),
  '["Customer requested skip", "Other"]'::jsonb, 'with the narrower list');

-- A branch already outside the limits (written around the checks) does not block a change
-- that leaves it no worse; a change that breaks another branch is still refused.
select tests.clear_authentication();
update app.workflow_chat_branches b set config = '{"defaults": {"reason": "Gone fishing"}}'
  from app.workflows w where w.org_id = :'org' and w.key = 'onboarding-call'
   and b.workflow_version_id in (select v.id from app.workflow_versions v where v.workflow_id = w.id) and b.branch_key = 'not-needed';
select tests.authenticate_as('e_admin');
select lives_ok($$ select public.save_saved_action('skip', '{"reasons": ["Other"]}') $$, 'a branch broken before does not block');
select throws_ok($$ select public.save_saved_action('schedule_meeting', '{"durations_minutes": [30], "default_duration_minutes": 30}') $$, '22023', null,
  'another action''s narrowing is still checked');

select tests.clear_authentication();
select is((select array_agg(l.action || ' ' || l.entity_id order by l.id) from app.admin_audit_log l where l.org_id = :'org' and l.entity = 'saved_action'),
  array['override skip', 'update skip'], 'only the saved changes are audited');
select * from finish();
rollback;
