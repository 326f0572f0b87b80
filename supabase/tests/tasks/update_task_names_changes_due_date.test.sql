-- update_task names a due date it refuses as changes.due_date, the way it names its other
-- changes (changes.title, changes.priority), never due_date, a parameter it does not take
-- (migration 20261209301000); the task is unchanged.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, renewal_date, assigned_to)
values (:'org', 'Contoso', 1000, current_date + 200, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select public.create_task('Call the CFO', :'cust', due_date => '2030-01-01T09:00:00Z') ->> 'id' as task \gset

select throws_ok(format('select public.update_task(%L, %L)', :'task', '{"due_date": "tomorrow"}'),
  '22023', 'changes.due_date must be a date and time (ISO 8601)', 'a due date that is no ISO 8601 names changes.due_date');
select throws_ok(format('select public.update_task(%L, %L)', :'task', '{"due_date": "2100-01-01"}'),
  '22023', 'changes.due_date must be a date and time in the years 2000 to 2099', 'and one past 2099');
select throws_like(format('select public.update_task(%L, %L)', :'task', '{"priority": "critical"}'),
  'changes.priority must be one of: %', 'as a priority is named under changes');
select is((select due_date from app.workflow_tasks where id = :'task'), '2030-01-01T09:00:00Z'::timestamptz, 'the due date is unchanged');
select tests.clear_authentication();
select * from finish();
rollback;
