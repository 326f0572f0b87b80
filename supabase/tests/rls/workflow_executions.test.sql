-- workflow_executions: a csm changes their own and unassigned executions, never a
-- colleague's; viewer changes none; managers change all; delete is for managers/admins.
begin;
select plan(13);
select tests.create_rls_world();

select tests.authenticate_as('viewer_a');
select is((select count(*)::int from app.workflow_executions), 3, 'viewer reads the organisation''s executions');
select is_empty($$ update app.workflow_executions set status = 'in_progress' returning 1 $$, 'viewer: update matches nothing');

select tests.authenticate_as('csm_a');
select isnt_empty(format($$ update app.workflow_executions set status = 'in_progress' where id = %L returning 1 $$, tests.row_id('workflow_executions', 'mine')),
                  'csm: updates their own execution');
select is_empty(format($$ update app.workflow_executions set status = 'in_progress' where id = %L returning 1 $$, tests.row_id('workflow_executions', 'theirs')),
                'csm: a colleague''s execution matches nothing');
select isnt_empty(format($$ update app.workflow_executions set assigned_to = auth.uid() where id = %L returning 1 $$, tests.row_id('workflow_executions', 'open')),
                  'csm: claims an unassigned execution');
select throws_ok(format($$ update app.workflow_executions set assigned_to = %L where id = %L $$, tests.get_supabase_uid('csm2_a'), tests.row_id('workflow_executions', 'mine')),
                 '42501', null, 'csm: cannot hand their execution to a colleague');
select is_empty(format($$ delete from app.workflow_executions where id = %L returning 1 $$, tests.row_id('workflow_executions', 'mine')),
                'csm: delete matches nothing');

select tests.authenticate_as('manager_a');
select isnt_empty(format($$ update app.workflow_executions set assigned_to = %L where id = %L returning 1 $$, tests.get_supabase_uid('csm_a'), tests.row_id('workflow_executions', 'theirs')),
                  'manager: reassigns any execution');
select isnt_empty(format($$ delete from app.workflow_executions where id = %L returning 1 $$, tests.row_id('workflow_executions', 'theirs')),
                  'manager: deletes an execution');

select tests.authenticate_as('csm_b');
select is_empty(format($$ update app.workflow_executions set status = 'cancelled' where id = %L returning 1 $$, tests.row_id('workflow_executions', 'mine')),
                'another organisation''s csm: matches nothing');

select tests.clear_authentication();
select throws_ok(
  format($$ insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id)
            select org_id, customer_id, workflow_id, workflow_version_id from app.workflow_executions where id = %L $$,
         tests.row_id('workflow_executions', 'mine')),
  '23505', null, 'a second open execution of the same workflow for a customer is refused');
select throws_ok(
  format($$ update app.workflow_executions set assigned_to = %L where id = %L $$, tests.get_supabase_uid('csm_b'), tests.row_id('workflow_executions', 'mine')),
  '23503', null, 'an execution cannot be assigned to someone of another organisation');
select throws_ok(
  format($$ update app.workflow_executions set status = 'snoozed' where id = %L $$, tests.row_id('workflow_executions', 'mine')),
  '23514', null, 'a snoozed execution needs a wake time');

select * from finish();
rollback;
