-- A task an AI agent creates through the MCP server names the agent (created_by_agent), as its
-- drafts and proposals do: the attested x-renubu-agent (app.calling_agent), never what a
-- caller says. A person's own task names none, forged headers are 42501, and an update keeps
-- the name. Before migration 20261215400200 a task recorded only the person.
begin;
select plan(8);
set client_min_messages = warning;
select tests.create_rls_world();
select tests.row_id('workflow_executions', 'mine') as exec \gset
select customer_id as cust from app.workflow_executions where id = :'exec' \gset
select tests.act_as_agent('Renewal Bot', 'token-1');
select replace(current_setting('request.headers'), 'Bearer token-1', 'Bearer token-2') as replayed_headers \gset
select tests.act_as_agent(null);
select (current_date + 7)::text as due \gset

select tests.authenticate_as('csm_a');
select tests.act_as_agent('Renewal Bot');
select public.create_task('Send the renewal deck', :'cust', due_date => :'due', execution_id => :'exec') as agents_task \gset
select is(:'agents_task'::jsonb ->> 'created_by_agent', 'Renewal Bot', 'the MCP server''s task names the attested agent');
select is((select t ->> 'created_by_agent' from jsonb_array_elements(public.list_tasks(status => 'all') -> 'items') t
            where t ->> 'id' = :'agents_task'::jsonb ->> 'id'), 'Renewal Bot', 'and the task list says so');
select is((select t ->> 'created_by_agent' from jsonb_array_elements(public.get_workflow_execution(:'exec') -> 'tasks') t
            where t ->> 'id' = :'agents_task'::jsonb ->> 'id'), 'Renewal Bot', 'and so do the workflow''s tasks');
select set_config('request.headers', :'replayed_headers', true) is not null as forged \gset
select throws_ok(format($$select public.create_task('Book the room', %L, due_date => %L)$$, :'cust', :'due'),
  '42501', null, 'headers the MCP server did not make for this token are refused');
select tests.act_as_agent(null);

select is(public.create_task('Call the CFO', :'cust', due_date => :'due') ->> 'created_by_agent', null,
  'a person''s own task names no agent');
select tests.clear_authentication();

update app.workflow_tasks set created_by_agent = null, title = 'Send the renewal deck today' where id = (:'agents_task'::jsonb ->> 'id')::uuid;
select is((select created_by_agent from app.workflow_tasks where id = (:'agents_task'::jsonb ->> 'id')::uuid), 'Renewal Bot',
  'an update keeps the agent');
select throws_ok(format($$insert into app.workflow_tasks (org_id, customer_id, title, created_by_agent)
    select org_id, customer_id, 'Claimed', 'Renewal Bot' from app.workflow_executions where id = %L$$, :'exec'),
  '22023', 'created_by_agent is the MCP server''s to say, not sent', 'a writer without the attestation cannot name an agent');
select is((select count(*)::int from app.workflow_tasks where title = 'Claimed'), 0, 'and nothing is stored');
select * from finish();
rollback;
