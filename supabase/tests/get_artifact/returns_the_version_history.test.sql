begin;
select plan(3);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table a as select (public.create_artifact(tests.row_id('workflow_executions', 'mine'), 'email_draft', 'Draft', '{"body": "v1"}') ->> 'id')::uuid as id;
grant select on a to authenticated;
select public.update_artifact((select id from a), '{"content": {"body": "v2"}}', 1);

select is((select array_agg((v ->> 'version')::int) from jsonb_array_elements(public.get_artifact((select id from a)) -> 'versions') v),
  array[2, 1], 'every version is listed, newest first');
select is((select v #>> '{content,body}' from jsonb_array_elements(public.get_artifact((select id from a)) -> 'versions') v where v ->> 'version' = '1'),
  'v1', 'the first version''s content is kept');
select tests.authenticate_as('csm_b');
select throws_ok(format('select public.get_artifact(%L)', (select id from a)), 'PT404', 'Artifact not found', 'another organisation cannot read it');
select * from finish();
rollback;
