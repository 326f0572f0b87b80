begin;
select plan(4);
select tests.create_rls_world();
insert into app.workflow_chat_branches (workflow_version_id, org_id, step_key, branch_key, label, branch_type, position, response_text, next_step_key, prompt_template, allow_off_script, saved_action_key)
select v.id, v.org_id, 'review', b.key, b.label, b.type, b.pos, b.response, b.next_step, b.prompt, b.off_script, b.action
  from app.workflow_versions v
  join app.workflows w on w.id = v.workflow_id and w.key = 'test-flow'
 cross join (values
   ('ask', 'Ask the assistant', 'llm', 2, null, null, 'Discuss the account', true, null),
   ('looks-fine', 'Looks fine', 'fixed', 1, 'Great, moving on.', 'done', null, false, null),
   ('snooze', 'Snooze it', 'saved_action', 3, null, null, null, false, 'snooze')
 ) as b(key, label, type, pos, response, next_step, prompt, off_script, action);

select tests.authenticate_as('viewer_a');
select is((select array_agg(b ->> 'branch_key') from jsonb_array_elements(public.get_step_chat_branches('test-flow', 'review')) b),
  array['looks-fine', 'ask', 'snooze'], 'the branches of the step, in their position order');
select is((select b ->> 'allow_off_script' from jsonb_array_elements(public.get_step_chat_branches('test-flow', 'review')) b where b ->> 'branch_key' = 'ask'),
  'true', 'an llm branch says whether off-script questions are allowed');
select is(public.get_step_chat_branches('test-flow', 'other-step'), '[]'::jsonb, 'a step without branches has none');

select tests.authenticate_as('csm_b');
select throws_ok($$select public.get_step_chat_branches('test-flow', 'review')$$, 'PT404', null,
  'another organisation''s workflow is not found');

select * from finish();
rollback;
