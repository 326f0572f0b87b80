-- An idempotency key names one request across every call that takes one, within the
-- organisation (docs/api-contract.md "Errors").
--
-- What and why: each keyed call kept its keys in its own store (the action log, a task's,
-- a draft's, a chat's or a secret's request_key, a workflow's start and reassign keys, a
-- decision's, an outcome's, an invitation's, app.answered_requests), and checked a key
-- only there. The same person's key was so taken again by another call: an action's key
-- started a workflow, a task's key ran an action, a start's key cancelled a workflow. Each
-- store still answers the same request again and refuses its own other requests as before;
-- what was missing is one place that says which store a key belongs to.
--
-- - app.request_keys: which store (table and key column) each person's key was taken in,
--   one row per organisation, person and key (the primary key leads with org_id). Nobody
--   reads or writes it but app.claim_request_key.
-- - app.claim_request_key: the one rule. A key the person took in another store is PT409
--   "this key was used for a different request", as each store answers another request under
--   its own key. It is called by one trigger on each store (app.claim_row_request_key), after
--   the row holding the key is written: a store's own unique index has by then made a second
--   call with the same key wait for the first and replay it, so the trigger sees only a new
--   request. The claim takes the person's key lock (app.lock_request_key's) without waiting:
--   a call under the key still in flight in another store is a different request, and
--   waiting for it here, with this call's workflow and workload locks held, could deadlock.
-- - Keys are forgotten after a week with the answers (app.forget_answered_requests): the web
--   app replays a key for 24 hours; each store keeps its own keys as before.
-- - The last week's keys are claimed now, first store first. A workflow's start and reassign
--   keys record no person and are not: a key used there in the last week may be taken once
--   more by another call.
-- Not keys of a person's request, and not here: a chat message's client_message_id (checked
-- within its thread, docs/ai-assistant.md) and ingest's webhook-id (a sender's delivery).
-- supabase/tests/request_keys/a_key_names_one_request_across_calls.test.sql.

create table app.request_keys (
  org_id uuid not null references app.organisations (id) on delete cascade,
  made_by uuid not null,
  request_key text not null,
  store text not null,
  created_at timestamptz not null default now(),
  primary key (org_id, made_by, request_key)
);
alter table app.request_keys enable row level security;
revoke all on table app.request_keys from public, anon, authenticated;
grant all on table app.request_keys to service_role;
comment on table app.request_keys is
  'Which store (table.column) each person''s idempotency key was taken in, so one key names one request across every call; read and written only through app.claim_request_key.';

-- Takes `key` for `made_by` in `store`: nothing when it is theirs there already, PT409 when it
-- was taken in another store or is held by their call in flight elsewhere.
create function app.claim_request_key(org_id uuid, made_by uuid, key text, store text)
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
end;
$$;
comment on function app.claim_request_key(uuid, uuid, text, text) is
  'One key names one request: takes a person''s idempotency key for a store (table.column), PT409 when it was taken in another or is in flight there.';
revoke execute on function app.claim_request_key(uuid, uuid, text, text) from public, anon;
grant execute on function app.claim_request_key(uuid, uuid, text, text) to authenticated, service_role;

-- The trigger on each store: claims the key the row was written with. TG_ARGV[0] names the
-- key column, TG_ARGV[1] the person's (empty: the row records none, and the caller made it).
create function app.claim_row_request_key()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_row jsonb := to_jsonb(new);
  v_key text := v_row ->> tg_argv[0];
begin
  if tg_op = 'UPDATE' and v_key is not distinct from (to_jsonb(old) ->> tg_argv[0]) then
    return null;
  end if;
  perform app.claim_request_key(
    (v_row ->> 'org_id')::uuid,
    case when tg_argv[1] = '' then (select auth.uid()) else (v_row ->> tg_argv[1])::uuid end,
    v_key,
    tg_table_name || '.' || tg_argv[0]);
  return null;
end;
$$;
comment on function app.claim_row_request_key() is
  'Trigger on every store of idempotency keys: app.claim_request_key for the key the row was written with.';
revoke execute on function app.claim_row_request_key() from public, anon, authenticated;

-- One trigger per store, of one shape.
do $$
declare
  s record;
begin
  for s in
    select * from (values
      ('action_executions', 'idempotency_key', 'executed_by'),
      ('action_proposals', 'idempotency_key', 'decided_by'),
      ('answered_requests', 'request_key', 'made_by'),
      ('engagement_events', 'request_key', ''),
      ('person_invitations', 'request_key', 'invited_by'),
      ('renewal_outcomes', 'request_key', 'recorded_by'),
      ('webhook_secrets', 'request_key', 'created_by'),
      ('workflow_chat_threads', 'request_key', 'started_by'),
      ('workflow_executions', 'start_request_key', ''),
      ('workflow_executions', 'reassign_request_key', ''),
      ('workflow_task_artifacts', 'request_key', 'created_by'),
      ('workflow_tasks', 'request_key', 'created_by')
    ) v(table_name, key_column, person_column)
  loop
    execute format(
      'create trigger %I after insert or update of %I on app.%I for each row when (new.%I is not null) '
      'execute function app.claim_row_request_key(%L, %L)',
      s.table_name || '_claims_' || s.key_column, s.key_column, s.table_name, s.key_column,
      s.key_column, s.person_column);
  end loop;
end;
$$;

-- The last week's keys, first store first (a workflow's start and reassign keys record no person).
insert into app.request_keys (org_id, made_by, request_key, store)
select k.org_id, k.made_by, k.request_key, k.store
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
 where k.taken_at > now() - interval '7 days'
 order by k.taken_at
on conflict (org_id, made_by, request_key) do nothing;

-- Restated from 20261208190000: forgets the keys of app.request_keys after the same week.
create or replace function app.forget_answered_requests(older_than interval default interval '7 days')
returns integer
language plpgsql
set search_path = ''
as $$
declare
  removed integer;
  keys_removed integer;
begin
  delete from app.answered_requests a where a.created_at < now() - forget_answered_requests.older_than;
  get diagnostics removed = row_count;
  -- Read whole once a day: an index on created_at would cost every keyed call.
  delete from app.request_keys k where k.created_at < now() - forget_answered_requests.older_than;
  get diagnostics keys_removed = row_count;
  return removed + keys_removed;
end;
$$;
comment on function app.forget_answered_requests(interval) is
  'Forgets the answers kept under idempotency keys, and which call took each key (app.request_keys), older than the given age (default 7 days; the web app replays a key for 24 hours); returns how many rows.';
