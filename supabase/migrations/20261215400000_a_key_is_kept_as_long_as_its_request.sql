-- The same idempotency key never applies twice, however late the retry: a key is kept for as
-- long as what it recorded (docs/api-contract.md "Errors").
--
-- What and why: two things forgot keys, and a retry under a forgotten key was applied again.
-- (1) A daily pg_cron job (forget-answered-requests, 20261208190000, widened by
-- 20261212300000) removed after a week the lifecycle calls' answers (app.answered_requests:
-- a Wake, Cancel, Complete, Withdraw, Resolve or task action sent again a week later ran
-- again when its work was back in the state it needs, a task snoozed twice) and which call
-- took each key (app.request_keys: an action's key started a workflow a week later). The
-- week rested on the web app's 24 hours of replay; an agent or a script retries on its own
-- clock. (2) A workflow's start and reassign keys are kept on the workflow, where the next
-- start or reassignment overwrites them: a manager's first Reassign sent again after a second
-- one reassigned the workflow back.
--
-- - The job is unscheduled and app.forget_answered_requests dropped, with the index on
--   answered_requests.created_at that served it alone. An answer and a claim are removed with
--   their organisation (and an answer with its person), as the action log is: one row per
--   keyed request, as the action log keeps one per action, each written by one index probe.
-- - app.claim_request_key: a key claimed already in the same store, on a row being written
--   with it, is a key used again (the store's own unique index has replayed every retry of a
--   request whose row still holds its key before this trigger runs): PT409, nothing applied.
--   Before, a claim in the same store was taken as the same request.
-- - The claims the job removed are taken again from every store, first store first; answers
--   it removed are gone (their calls' own checks refuse a retry whose work has moved on).
-- Restates app.claim_request_key from 20261212300000; the same-store branch is the change.
-- supabase/tests/request_keys/a_key_is_kept_as_long_as_its_request.test.sql.

select cron.unschedule('forget-answered-requests');
drop function app.forget_answered_requests(interval);
drop index app.answered_requests_created_at_idx;

create or replace function app.claim_request_key(org_id uuid, made_by uuid, key text, store text)
returns void
language plpgsql
security definer -- writes app.request_keys, which people cannot read or write
set search_path = ''
as $$
declare
  v_store text;
begin
  if claim_request_key.key is null or claim_request_key.made_by is null or claim_request_key.org_id is null then
    return;
  end if;
  -- The lock of app.lock_request_key, held already by a call that took it first.
  if not pg_catalog.pg_try_advisory_xact_lock(
       pg_catalog.hashtextextended('renubu.request-key:' || claim_request_key.made_by::text || ':' || claim_request_key.key, 0)) then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      detail = 'Another request under this key is in flight.',
      hint = 'Send a new idempotency_key for a new request.';
  end if;
  insert into app.request_keys as r (org_id, made_by, request_key, store)
  values (claim_request_key.org_id, claim_request_key.made_by, claim_request_key.key, claim_request_key.store)
  on conflict on constraint request_keys_pkey do nothing;
  if found then
    return;
  end if;
  select r.store into v_store from app.request_keys r
   where r.org_id = claim_request_key.org_id and r.made_by = claim_request_key.made_by
     and r.request_key = claim_request_key.key;
  if v_store is distinct from claim_request_key.store then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for a new request.';
  end if;
  -- Taken in this store already, and no row of it holds the key now (its unique index would
  -- have replayed the request): a later request overwrote it, or its row was removed.
  raise exception 'this key was used for a different request' using errcode = 'PT409',
    detail = 'This key was used before, by a request since replaced or undone.',
    hint = 'Send a new idempotency_key for a new request.';
end;
$$;
comment on function app.claim_request_key(uuid, uuid, text, text) is
  'One key names one request, once: takes a person''s idempotency key for a store (table.column), PT409 when it was taken before (in another store, or in this one by a request since overwritten or removed) or is in flight.';

-- The claims forgotten since 20261212300000, from every store, first store first.
insert into app.request_keys (org_id, made_by, request_key, store, created_at)
select k.org_id, k.made_by, k.request_key, k.store, k.taken_at
  from (
    select a.org_id, a.executed_by, a.idempotency_key, 'action_executions.idempotency_key', a.created_at
      from app.action_executions a where a.idempotency_key is not null and a.executed_by is not null
    union all
    select p.org_id, p.decided_by, p.idempotency_key, 'action_proposals.idempotency_key', p.decided_at
      from app.action_proposals p where p.idempotency_key is not null and p.decided_by is not null
    union all
    select r.org_id, r.made_by, r.request_key, 'answered_requests.request_key', r.created_at from app.answered_requests r
    union all
    select e.org_id, (e.metadata ->> 'logged_by')::uuid, e.request_key, 'engagement_events.request_key', e.created_at
      from app.engagement_events e where e.request_key is not null and e.metadata ->> 'logged_by' is not null
    union all
    select i.org_id, i.invited_by, i.request_key, 'person_invitations.request_key', i.created_at from app.person_invitations i
    union all
    select o.org_id, o.recorded_by, o.request_key, 'renewal_outcomes.request_key', o.recorded_at
      from app.renewal_outcomes o where o.request_key is not null and o.recorded_by is not null
    union all
    select w.org_id, w.created_by, w.request_key, 'webhook_secrets.request_key', w.created_at
      from app.webhook_secrets w where w.request_key is not null and w.created_by is not null
    union all
    select t.org_id, t.started_by, t.request_key, 'workflow_chat_threads.request_key', t.created_at
      from app.workflow_chat_threads t where t.request_key is not null and t.started_by is not null
    union all
    select a.org_id, a.created_by, a.request_key, 'workflow_task_artifacts.request_key', a.created_at
      from app.workflow_task_artifacts a where a.request_key is not null and a.created_by is not null
    union all
    select t.org_id, t.created_by, t.request_key, 'workflow_tasks.request_key', t.created_at
      from app.workflow_tasks t where t.request_key is not null and t.created_by is not null
  ) k(org_id, made_by, request_key, store, taken_at)
 order by k.taken_at
on conflict (org_id, made_by, request_key) do nothing;

comment on table app.answered_requests is
  'What a person''s lifecycle call (cancel_workflow, complete_workflow, wake_workflow, withdraw_escalation, resolve_escalation, act_on_task, complete_step, choose_chat_branch, reassign_workflows, reassign_customer, hand_over_work) asked and answered under an idempotency key, kept with the organisation; read and written only through app.answer_under_key and app.remember_answer.';
comment on table app.request_keys is
  'Which store (table.column) each person''s idempotency key was taken in, kept with the organisation, so one key names one request across every call and is never applied twice; read and written only through app.claim_request_key.';
