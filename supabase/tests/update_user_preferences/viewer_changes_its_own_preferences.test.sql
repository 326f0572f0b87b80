-- A viewer writes nothing in the organisation, but its own preferences it may change.
begin;
select plan(2);
select tests.create_rls_world();

select tests.authenticate_as('viewer_a');
select is(public.update_user_preferences('{"workflow": {"showCompletedTasks": false}}') #>> '{workflow,showCompletedTasks}', 'false',
          'viewer changes its own preferences');
select is(public.get_user_preferences() #>> '{workflow,showCompletedTasks}', 'false', 'and reads the change back');

select * from finish();
rollback;
