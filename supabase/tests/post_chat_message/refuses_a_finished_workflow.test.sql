-- A chat still open in a workflow that is finished (cancelled, completed, completed with
-- tasks pending, skipped, superseded) takes no new message: post_chat_message refuses it
-- with the same code and words as opening a chat there, and stores nothing, so the chat
-- function never calls the model. Before, the message and a pending reply were stored and
-- the model ran (its tools then refused), while opening a chat there was refused.
-- A retry of a message stored while the workflow was open still answers the stored pair.
begin;
select plan(17);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
grant select on t to authenticated;
select lives_ok(format($$select public.post_chat_message(%L, 'Before it closed', 'c-open')$$, (select id from t)),
  'a message while the workflow is open is stored');

create temp table finished(status text);
insert into finished values ('cancelled'), ('completed'), ('completed_with_pending_tasks'), ('skipped'), ('superseded');
grant select on finished to authenticated;

create function pg_temp.post_after(status text) returns setof text language plpgsql as $$
declare
  opening text;
begin
  perform tests.clear_authentication();
  update app.workflow_executions set status = post_after.status, completed_at = coalesce(completed_at, now()) where id = tests.row_id('workflow_executions', 'mine');
  perform tests.authenticate_as('csm_a');
  begin
    perform public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review');
  exception when others then
    opening := sqlerrm;
  end;
  return next throws_ok(format($q$select public.post_chat_message(%L, 'One more thing', 'c-%s')$q$, (select id from t), post_after.status),
    'PT409', opening, format('a %s workflow''s open chat is refused as opening one there is', post_after.status));
  return next is(opening, format('Cannot chat in this workflow: it is %s', app.status_words(post_after.status)),
    format('the words say the workflow is %s', app.status_words(post_after.status)));
  perform tests.clear_authentication();
  return next is((select count(*)::int from app.workflow_chat_messages where thread_id = (select id from t)), 2,
    format('nothing more was stored (%s)', post_after.status));
end;
$$;
select pg_temp.post_after(status) from finished;

select tests.authenticate_as('csm_a');
select is(public.post_chat_message((select id from t), 'Before it closed', 'c-open') ->> 'replayed', 'true',
  'a retry of a message stored while the workflow was open answers the stored pair');
select * from finish();
rollback;
