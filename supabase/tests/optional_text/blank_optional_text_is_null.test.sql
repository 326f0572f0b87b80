-- An optional free text made only of whitespace or invisible characters is no text: stored
-- as null (or, where null means "keep it", the old text is kept), never as the blank itself;
-- text with whitespace around it is stored without it. (app.trimmed, migration 20261206240000.)
begin;
select plan(15);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

-- A task's description: create_task, update_task and the create_task action.
select tests.authenticate_as('e_csm');
select public.create_task('Call the signer', :'cust', E'\t\n ') ->> 'id' as t1 \gset
select is((select description from app.workflow_tasks where id = :'t1'), null, 'create_task: a description of a tab, a line break and a space is none');
select public.create_task('Send the deck', :'cust', E'\u200b\ufeff') ->> 'id' as t2 \gset
select is((select description from app.workflow_tasks where id = :'t2'), null, 'create_task: a description of zero-width characters is none');
select public.create_task('Book the review', :'cust', E'\u00a0 Bring the usage chart \n') ->> 'id' as t3 \gset
select is((select description from app.workflow_tasks where id = :'t3'), 'Bring the usage chart', 'create_task: a description is stored without the whitespace around it');
select public.update_task(:'t3', jsonb_build_object('description', E'\u3000\u200e')) is not null as u \gset
select is((select description from app.workflow_tasks where id = :'t3'), null, 'update_task: a blank description clears it');
select public.update_task(:'t3', jsonb_build_object('description', E' Agenda first\t')) is not null as u \gset
select is((select description from app.workflow_tasks where id = :'t3'), 'Agenda first', 'update_task: a description is stored trimmed');
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('create_task', :'eid', jsonb_build_object('title', 'Chase legal', 'due_date', (:'today'::date + 2)::text, 'description', E'\r\n\u2800'))
  -> 'result' ->> 'task_id' as t4 \gset
select is((select description from app.workflow_tasks where id = :'t4'), null, 'the create_task action: a blank description is none');

-- A skipped step's note.
select public.execute_action('skip', :'eid', jsonb_build_object('reason', 'Not applicable', 'note', E' \u00a0\t')) is not null as sk \gset
select is((select outcome from app.workflow_step_executions where execution_id = :'eid' and step_index = 0) ? 'note', false,
  'the skip action: a note of whitespace leaves no note on the step');

-- A person's job title: update_person and the invitation.
select tests.authenticate_as('e_admin');
select public.update_person(:'csm', jsonb_build_object('title', E'\t')) is not null as p \gset
select is((select title from app.profiles where id = :'csm'), null, 'update_person: a title of a tab is none');
select public.update_person(:'csm', jsonb_build_object('title', E'\nAccount lead\u200b')) is not null as p \gset
select is((select title from app.profiles where id = :'csm'), 'Account lead', 'update_person: a title is stored trimmed');
select tests.create_supabase_user('opt_new', 'opt.new@test.renubu.dev') as new_user \gset
select tests.authenticate_as_service_role();
select public.create_invited_person(:'admin', :'new_user', 'opt.new@test.renubu.dev', E'\tNew Person\n', 'csm', null, E'\u00a0\n') is not null as inv \gset
select is((select title from app.profiles where id = :'new_user'), null, 'an invitation''s title of whitespace is none');
select is((select full_name from app.profiles where id = :'new_user'), 'New Person', 'and its full name is stored without the tab and line break around it');

-- A saved action's description and name.
select tests.authenticate_as('e_admin');
select public.save_saved_action('call_back', '{}', E'\tCall back\n', 'custom', E'\u200b \t') is not null as sa \gset
select is((select description from app.saved_actions where org_id = :'org' and key = 'call_back'), null,
  'save_saved_action: a new action''s description of whitespace is none');
select is((select name from app.saved_actions where org_id = :'org' and key = 'call_back'), 'Call back',
  'and its name is stored trimmed');
select public.save_saved_action('call_back', '{}', null, null, 'Ring the customer') is not null as sa \gset
select public.save_saved_action('call_back', '{}', null, null, E'\u3000') is not null as sa \gset
select is((select description from app.saved_actions where org_id = :'org' and key = 'call_back'), 'Ring the customer',
  'a blank description later keeps the description, as no description does');

-- A workflow definition's description and its version's change note.
select public.get_workflow_definition('health-check') as def \gset
select public.save_workflow_definition('health-check',
  (:'def'::jsonb -> 'definition') || jsonb_build_object('description', E'\tA quick look\n', 'change_note', E'\n\u200b'),
  (:'def'::jsonb ->> 'version')::int) is not null as saved \gset
select is(
  (select w.description || '|' || coalesce(v.change_note, '(none)')
     from app.workflows w join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
    where w.org_id = :'org' and w.key = 'health-check'),
  'A quick look|(none)', 'save_workflow_definition: the description is stored trimmed and a blank change note is none');

select * from finish();
rollback;
