-- An artifact's content and a proposal's params hold no control character or text-direction
-- override where the screens show them as a line or a text, checked when they are stored or
-- edited, whoever writes them (an agent, the assistant, a person): an email draft whose
-- subject carries U+202E never reaches an approver's screen. Refused with 22023 naming the
-- field (content.subject, params.title) and nothing is written. A subject, a title, a name,
-- a label and a list of addresses are one line; a body, a reason or any other text may hold
-- line breaks, tabs and direction marks. (app.require_displayable_json, migration
-- 20261215400100; the rule of app.text_is_displayable, 20261214300000.)
begin;
select plan(14);
set client_min_messages = warning;
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select tests.row_id('workflow_executions', 'mine') as exec \gset
select public.start_workflow(:'exec') is not null as started \gset
create temp table t as select (public.create_chat_thread(:'exec', 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'Draft an email', 'c-1') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply \gset
select count(*)::int as before from app.workflow_task_artifacts where execution_id = :'exec' \gset

select tests.act_as_agent('Renewal Bot');
select throws_ok(format('select public.create_agent_draft(%L, %L, %L, %L)', :'exec', 'email_draft', 'Renewal check-in',
    jsonb_build_object('to', '[]'::jsonb, 'subject', E'Invoice \u202Efdp.exe', 'body', 'Hi Dana')),
  '22023', 'content.subject must not contain control characters or text-direction overrides',
  'an agent''s draft whose subject holds a right-to-left override is refused');
select throws_ok(format('select public.create_agent_draft(%L, %L, %L, %L)', :'exec', 'email_draft', 'Renewal check-in',
    jsonb_build_object('subject', E'Renewal\ncheck-in', 'body', 'Hi Dana')),
  '22023', 'content.subject must not contain control characters or text-direction overrides',
  'a subject is one line: a line break in it is refused');
select throws_ok(format('select public.create_agent_draft(%L, %L, %L, %L)', :'exec', 'email_draft', 'Renewal check-in',
    jsonb_build_object('subject', 'Renewal', 'body', E'Hi Dana,\nplease pay \u2066now\u2069')),
  '22023', 'content.body must not contain control characters or text-direction overrides', 'a body with isolates is refused');
select throws_ok(format('select public.create_agent_draft(%L, %L, %L, %L)', :'exec', 'email_draft', 'Renewal check-in',
    jsonb_build_object('to', jsonb_build_array('dana@contoso.example', E'ceo\u202E@contoso.example'), 'subject', 'Renewal', 'body', 'Hi')),
  '22023', 'content.to[1] must not contain control characters or text-direction overrides', 'an address in the list is checked too');
select tests.act_as_agent(null);
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'exec'), :before, 'no draft was stored');

select throws_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'exec', 'summary', 'Call summary',
    jsonb_build_object('summary', 'Fine', 'risks', jsonb_build_array('Budget', E'Champion \u202Eleft'))),
  '22023', 'content.risks[1] must not contain control characters or text-direction overrides',
  'any artifact''s text, in a list too, is checked');
select public.create_artifact(:'exec', 'email_draft', 'Renewal', jsonb_build_object('subject', 'Renewal', 'body', E'Hi Dana,\n\tשלום\u200f, thanks')) as draft \gset
select is(:'draft'::jsonb #>> '{content,body}', E'Hi Dana,\n\tשלום\u200f, thanks',
  'a body keeps its line breaks, tabs, Hebrew and direction marks');
select throws_ok(format('select public.update_artifact(%L, %L, 1)', :'draft'::jsonb ->> 'id',
    jsonb_build_object('content', jsonb_build_object('subject', E'Renewal \u202Efdp.exe', 'body', 'Hi'))),
  '22023', 'content.subject must not contain control characters or text-direction overrides', 'an edit of the subject is refused');
select is((select content ->> 'subject' from app.workflow_task_artifacts where id = (:'draft'::jsonb ->> 'id')::uuid), 'Renewal',
  'and the draft is as it was');
select throws_ok(format($$update app.workflow_task_artifacts set content = content || '{"subject": "Re\u202Enewal"}' where id = %L$$, :'draft'::jsonb ->> 'id'),
  '22023', 'content.subject must not contain control characters or text-direction overrides', 'so is a plain update');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select throws_ok(format('select public.create_assistant_artifact(%L, %L, %L, %L, %L, %L, message_id => %L)', :'thread',
    tests.get_supabase_uid('csm_a'), 'email_draft', 'Renewal', jsonb_build_object('to', '[]'::jsonb, 'subject', E'Re\u202Enewal', 'body', 'Hi'), 'mock', :'reply'),
  '22023', 'content.subject must not contain control characters or text-direction overrides', 'the assistant''s draft is checked alike');
select throws_ok(format('select public.propose_action(%L, %L, %L, thread_id => %L, message_id => %L, author_id => %L, source => %L)',
    'create_task', 'A follow-up is due', jsonb_build_object('title', E'Call \u202EDana', 'due_date', (current_date + 7)::text),
    :'thread', :'reply', tests.get_supabase_uid('csm_a'), 'thread'),
  '22023', 'params.title must not contain control characters or text-direction overrides', 'a proposal''s task title is checked when proposed');
select throws_ok(format('select public.propose_action(%L, %L, %L, thread_id => %L, message_id => %L, author_id => %L, source => %L)',
    'snooze', 'Waiting', jsonb_build_object('days', 3, 'reason', E'Customer \u2067asked\u2069'),
    :'thread', :'reply', tests.get_supabase_uid('csm_a'), 'thread'),
  '22023', 'params.reason must not contain control characters or text-direction overrides', 'and its reason');
select is((select count(*)::int from app.action_proposals where thread_id = :'thread'), 0, 'no proposal was stored');
select * from finish();
rollback;
