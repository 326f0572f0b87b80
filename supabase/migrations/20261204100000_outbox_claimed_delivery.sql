-- Email is sent once, approval cannot be bypassed, an idempotency key names one request
-- (issue 10 items 2, 7 and 8; domain.md "Email: sent once", api.md `execute-action`).
--
-- Why: twelve concurrent execute-action calls with one idempotency key delivered twelve
-- emails, because every replay found the side effect `pending` and sent it again. Now a
-- delivery is CLAIMED in the database before it happens, and only the holder of the claim
-- (a lease) may record its outcome:
--
--            claim (for update skip locked; attempts + 1; lease token and expiry)
--   queued ───────────────────────────────────────────────────────────► sending
--     ▲  ▲                                                               │  │  │
--     │  └── lease expired (the worker died): back to the queue ─────────┘  │  │
--     │                                                                     │  │
--     └── failed attempt 1..4: retry after 1 min, 5 min, 30 min, 2 h ◄──────┘  │
--                                     sent | delivered_to_sink | failed ◄──────┘
--                                     (failed: the 5th attempt failed)
--
-- - public.claim_outbox_message(outbox_id): the execute-action function claims the row
--   its action queued; a replay that finds it in flight or done gets its current state
--   and sends nothing. public.claim_due_outbox_messages(max_messages): the outbox-drain
--   function (scheduled) claims what is due, so queued mail never waits for a client.
--   public.complete_outbox_message(outbox_id, lease_token, …) records the outcome, the
--   action log's side effect and, once delivered, marks the draft sent. All three are
--   service role only. record_action_side_effect no longer writes emails at all.
-- - send_email: with approval required, the recipients and subject are the approved
--   draft's; params.to/cc/subject that differ are refused (PT409, detail
--   `approval_overridden`; the function then withdraws the approval through
--   public.withdraw_overridden_approval, service role only). A draft already sent (or on
--   its way) needs `resend: true`. approve_artifact refuses the author's own approval
--   unless the organisation sets allow_self_approval (default false).
-- - The action log keeps a hash of the canonical request (action, execution, params); the
--   same key with another request is PT409 "this key was used for a different request".
--
-- Functions changed here are copied whole from their first migration (create or replace):
-- app.claim_action_log, public.execute_action, public.record_action_side_effect
-- (20261125140000), app.artifact_json and public.approve_artifact (20261125300100).

-- ------------------------------------------------------------------------ schema

-- A row in `sending` before this migration had no way back; give it one.
update app.email_outbox o set status = 'queued' where o.status = 'sending';

alter table app.email_outbox
  add column lease_token uuid,
  add column lease_expires_at timestamptz,
  add constraint email_outbox_sending_holds_a_lease
    check (status <> 'sending' or (lease_token is not null and lease_expires_at is not null)),
  add constraint email_outbox_attempts_are_at_most_five check (attempts <= 5);
comment on column app.email_outbox.lease_token is 'Who holds the current delivery attempt: only that holder records its outcome.';
comment on column app.email_outbox.lease_expires_at is 'When an unfinished delivery attempt is given up and the row returns to the queue.';
-- The drain picks due rows and expired leases in order.
drop index if exists app.email_outbox_due_idx;
create index email_outbox_due_idx on app.email_outbox (next_attempt_at) where status = 'queued';
create index email_outbox_lease_expires_at_idx on app.email_outbox (lease_expires_at) where status = 'sending';

alter table app.workflow_task_artifacts
  add column sent_at timestamptz,
  add column sent_outbox_id uuid references app.email_outbox (id) on delete set null,
  add constraint workflow_task_artifacts_sent_is_dated check (sent_outbox_id is null or sent_at is not null);
create index workflow_task_artifacts_sent_outbox_id_idx on app.workflow_task_artifacts (sent_outbox_id)
  where sent_outbox_id is not null;
comment on column app.workflow_task_artifacts.sent_at is 'When this email draft was last delivered (sent_outbox_id: which outbox row).';

alter table app.organisation_settings
  add column allow_self_approval boolean not null default false;
comment on column app.organisation_settings.allow_self_approval is
  'Whether the author of an artifact may approve it themselves where email approval is required (default: no).';

alter table app.action_executions add column request_hash text;
comment on column app.action_executions.request_hash is
  'sha256 of the canonical request (action key, execution, params as sent): a replayed idempotency key must carry the same.';

-- ------------------------------------------------------------------------ helpers

-- The canonical request behind an idempotency key. jsonb's text form is canonical (keys
-- sorted and unique, insignificant whitespace dropped), so equal requests hash equally.
create or replace function app.action_request_hash(action_key text, execution_id uuid, params jsonb)
returns text
language sql
immutable
set search_path = ''
as $$
  select encode(sha256(convert_to(jsonb_build_object(
           'action_key', action_request_hash.action_key,
           'execution_id', action_request_hash.execution_id,
           'params', coalesce(action_request_hash.params, '{}'::jsonb))::text, 'UTF8')), 'hex')
$$;
revoke execute on function app.action_request_hash(text, uuid, jsonb) from public, anon;
grant execute on function app.action_request_hash(text, uuid, jsonb) to authenticated, service_role;

-- Addresses as a set: lower case, sorted, no repeats.
create or replace function app.email_set(addresses text[])
returns text[]
language sql
immutable
set search_path = ''
as $$
  select coalesce(array_agg(distinct lower(x) order by lower(x)), '{}'::text[]) from unnest(email_set.addresses) x
$$;
revoke execute on function app.email_set(text[]) from public, anon;
grant execute on function app.email_set(text[]) to authenticated, service_role;

-- Which of the draft's recipients and subject the send parameters ask to change:
-- '{recipients, cc recipients, subject}' or a part of it, '{}' when none. A malformed
-- address list is a 22023. One rule for execute_action and withdraw_overridden_approval.
create or replace function app.email_overrides(draft app.workflow_task_artifacts, params jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_changed text[] := '{}'::text[];
  v_list text[];
  v_subject text := nullif(btrim(email_overrides.params ->> 'subject'), '');
begin
  if email_overrides.params ? 'to' then
    v_list := case when email_overrides.params -> 'to' = '[]'::jsonb then '{}'::text[]
                   else app.email_list(email_overrides.params -> 'to') end;
    if v_list is null then
      raise exception 'to must be an email address or a list of them' using errcode = '22023';
    end if;
    if app.email_set(v_list) <> app.email_set(coalesce(app.email_list(email_overrides.draft.content -> 'to'), '{}')) then
      v_changed := v_changed || 'recipients'::text;
    end if;
  end if;
  if email_overrides.params ? 'cc' then
    v_list := case when email_overrides.params -> 'cc' = '[]'::jsonb then '{}'::text[]
                   else app.email_list(email_overrides.params -> 'cc') end;
    if v_list is null then
      raise exception 'cc must be an email address or a list of them' using errcode = '22023';
    end if;
    if app.email_set(v_list) <> app.email_set(coalesce(app.email_list(email_overrides.draft.content -> 'cc'), '{}')) then
      v_changed := v_changed || 'cc recipients'::text;
    end if;
  end if;
  if v_subject is not null and v_subject is distinct from
     coalesce(nullif(btrim(email_overrides.draft.content ->> 'subject'), ''), email_overrides.draft.title) then
    v_changed := v_changed || 'subject'::text;
  end if;
  return v_changed;
end;
$$;
revoke execute on function app.email_overrides(app.workflow_task_artifacts, jsonb) from public, anon;
grant execute on function app.email_overrides(app.workflow_task_artifacts, jsonb) to authenticated, service_role;

-- The wait after the n-th failed attempt; null: no more attempts (the row is `failed`).
create or replace function app.outbox_retry_delay(attempts integer)
returns interval
language sql
immutable
set search_path = ''
as $$
  select case outbox_retry_delay.attempts
    when 1 then interval '1 minute'
    when 2 then interval '5 minutes'
    when 3 then interval '30 minutes'
    when 4 then interval '2 hours'
  end
$$;
revoke execute on function app.outbox_retry_delay(integer) from public, anon;
grant execute on function app.outbox_retry_delay(integer) to service_role;

-- An outbox row as the API shows it (no lease token).
create or replace function app.outbox_json(o app.email_outbox)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', o.id, 'status', o.status, 'attempts', o.attempts, 'next_attempt_at', o.next_attempt_at,
    'lease_expires_at', o.lease_expires_at, 'last_error', o.last_error,
    'provider_message_id', o.provider_message_id, 'sent_at', o.sent_at,
    'artifact_id', o.artifact_id, 'action_execution_id', o.action_execution_id)
$$;
revoke execute on function app.outbox_json(app.email_outbox) from public, anon;
grant execute on function app.outbox_json(app.email_outbox) to service_role;

-- The action log's `send_email` side effect follows its outbox row: status, error,
-- attempts, when the next attempt is due.
create or replace function app.sync_send_email_effect(o app.email_outbox)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_effects jsonb;
begin
  if o.action_execution_id is null then
    return '[]'::jsonb;
  end if;
  update app.action_executions x
     set side_effects = (
       select coalesce(jsonb_agg(case when el ->> 'type' = 'send_email'
                 then el || jsonb_build_object(
                        'status', case o.status when 'queued' then case when o.attempts > 0 then 'retrying' else 'pending' end
                                                else o.status end,
                        'error', o.last_error, 'attempts', o.attempts, 'outbox_id', o.id,
                        'next_attempt_at', case when o.status = 'queued' then o.next_attempt_at end,
                        'provider_message_id', o.provider_message_id, 'updated_at', now())
                 else el end order by ord), '[]'::jsonb)
         from jsonb_array_elements(x.side_effects) with ordinality as t(el, ord))
   where x.id = o.action_execution_id
  returning x.side_effects into v_effects;
  return coalesce(v_effects, '[]'::jsonb);
end;
$$;
revoke execute on function app.sync_send_email_effect(app.email_outbox) from public, anon;
grant execute on function app.sync_send_email_effect(app.email_outbox) to service_role;

-- A claimed row: what the sender needs, with the lease token that proves the claim.
create or replace function app.claimed_outbox_json(o app.email_outbox)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select app.outbox_json(o) || jsonb_build_object(
    'lease_token', o.lease_token,
    'from', (select p.email from app.profiles p where p.id = o.requested_by),
    'to', to_jsonb(o.to_addresses), 'cc', to_jsonb(o.cc_addresses), 'subject', o.subject,
    'body_text', o.body_text, 'body_html', o.body_html)
$$;
revoke execute on function app.claimed_outbox_json(app.email_outbox) from public, anon;
grant execute on function app.claimed_outbox_json(app.email_outbox) to service_role;

-- Leases that ran out: the row returns to the queue (or fails, after its last attempt).
-- The token stays, so a late holder whose row nobody claimed since may still finish it.
create or replace function app.release_expired_outbox_leases()
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  o app.email_outbox;
  n integer := 0;
begin
  for o in
    update app.email_outbox x
       set status = case when x.attempts >= 5 then 'failed' else 'queued' end,
           lease_expires_at = null,
           next_attempt_at = now(),
           last_error = coalesce(x.last_error, 'The delivery attempt was interrupted; it is retried.')
     where x.id in (select y.id from app.email_outbox y
                     where y.status = 'sending' and y.lease_expires_at <= now()
                     for update skip locked)
    returning x.*
  loop
    perform app.sync_send_email_effect(o);
    n := n + 1;
  end loop;
  return n;
end;
$$;
revoke execute on function app.release_expired_outbox_leases() from public, anon;
grant execute on function app.release_expired_outbox_leases() to service_role;

-- ------------------------------------------------------------------------ claim, complete

create or replace function public.claim_outbox_message(outbox_id uuid, lease_seconds integer default 300)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  o app.email_outbox;
begin
  if claim_outbox_message.outbox_id is null then
    raise exception 'outbox_id is required' using errcode = '22023';
  end if;
  if claim_outbox_message.lease_seconds is null or claim_outbox_message.lease_seconds not between 5 and 3600 then
    raise exception 'lease_seconds must be between 5 and 3600' using errcode = '22023';
  end if;
  perform app.release_expired_outbox_leases();
  -- Skip locked: a row another worker is claiming or finishing right now is not ours.
  select * into o from app.email_outbox x
   where x.id = claim_outbox_message.outbox_id and x.status = 'queued' and x.next_attempt_at <= now()
   for update skip locked;
  if not found then
    select * into o from app.email_outbox x where x.id = claim_outbox_message.outbox_id;
    if not found then
      raise exception 'Outbox message not found' using errcode = 'PT404';
    end if;
    return jsonb_build_object('claimed', false, 'outbox', app.outbox_json(o),
      'side_effects', (select x.side_effects from app.action_executions x where x.id = o.action_execution_id));
  end if;
  update app.email_outbox x
     set status = 'sending', attempts = x.attempts + 1, lease_token = gen_random_uuid(),
         lease_expires_at = clock_timestamp() + make_interval(secs => claim_outbox_message.lease_seconds)
   where x.id = o.id
  returning x.* into o;
  return jsonb_build_object('claimed', true, 'outbox', app.claimed_outbox_json(o),
                            'side_effects', app.sync_send_email_effect(o));
end;
$$;
comment on function public.claim_outbox_message(uuid, integer) is
  'Service role only: claims one due outbox row for delivery (a lease); {claimed: false, outbox} when it is in flight, done or not due.';
revoke execute on function public.claim_outbox_message(uuid, integer) from public, anon, authenticated;
grant execute on function public.claim_outbox_message(uuid, integer) to service_role;

create or replace function public.claim_due_outbox_messages(max_messages integer default 20, lease_seconds integer default 300)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  o app.email_outbox;
  v_claimed jsonb := '[]'::jsonb;
begin
  if claim_due_outbox_messages.max_messages is null or claim_due_outbox_messages.max_messages not between 1 and 100 then
    raise exception 'max_messages must be between 1 and 100' using errcode = '22023';
  end if;
  if claim_due_outbox_messages.lease_seconds is null or claim_due_outbox_messages.lease_seconds not between 5 and 3600 then
    raise exception 'lease_seconds must be between 5 and 3600' using errcode = '22023';
  end if;
  perform app.release_expired_outbox_leases();
  for o in
    update app.email_outbox x
       set status = 'sending', attempts = x.attempts + 1, lease_token = gen_random_uuid(),
           lease_expires_at = clock_timestamp() + make_interval(secs => claim_due_outbox_messages.lease_seconds)
     where x.id in (select y.id from app.email_outbox y
                     where y.status = 'queued' and y.next_attempt_at <= now()
                     order by y.next_attempt_at
                     limit claim_due_outbox_messages.max_messages
                     for update skip locked)
    returning x.*
  loop
    perform app.sync_send_email_effect(o);
    v_claimed := v_claimed || jsonb_build_array(app.claimed_outbox_json(o));
  end loop;
  return v_claimed;
end;
$$;
comment on function public.claim_due_outbox_messages(integer, integer) is
  'Service role only (the outbox drain): claims up to max_messages due outbox rows, each with its lease token.';
revoke execute on function public.claim_due_outbox_messages(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_due_outbox_messages(integer, integer) to service_role;

create or replace function public.complete_outbox_message(
  outbox_id uuid,
  lease_token uuid,
  delivery_status text,
  error_message text default null,
  provider_message_id text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  o app.email_outbox;
  v_delay interval;
  v_ok boolean := complete_outbox_message.delivery_status in ('sent', 'delivered_to_sink');
begin
  if complete_outbox_message.delivery_status is null
     or complete_outbox_message.delivery_status not in ('sent', 'delivered_to_sink', 'failed') then
    raise exception 'delivery_status must be sent, delivered_to_sink or failed' using errcode = '22023';
  end if;
  select * into o from app.email_outbox x where x.id = complete_outbox_message.outbox_id for update;
  if not found then
    raise exception 'Outbox message not found' using errcode = 'PT404';
  end if;
  -- Only the holder of the latest claim records an outcome, and only once.
  if o.lease_token is distinct from complete_outbox_message.lease_token
     or o.status in ('sent', 'delivered_to_sink', 'cancelled') then
    raise exception 'This delivery attempt no longer holds the message' using errcode = 'PT409',
      hint = 'Another attempt claimed it after this lease expired, or it is already finished; claim it again.';
  end if;
  if v_ok then
    update app.email_outbox x
       set status = complete_outbox_message.delivery_status, sent_at = now(), last_error = null,
           provider_message_id = coalesce(complete_outbox_message.provider_message_id, x.provider_message_id),
           lease_expires_at = null
     where x.id = o.id
    returning x.* into o;
    update app.workflow_task_artifacts t
       set sent_at = o.sent_at, sent_outbox_id = o.id
     where t.id = o.artifact_id;
  else
    v_delay := app.outbox_retry_delay(o.attempts);
    update app.email_outbox x
       set status = case when v_delay is null then 'failed' else 'queued' end,
           next_attempt_at = now() + coalesce(v_delay, interval '0'),
           last_error = left(coalesce(complete_outbox_message.error_message, 'Sending the email failed.'), 500),
           lease_expires_at = null
     where x.id = o.id
    returning x.* into o;
  end if;
  return jsonb_build_object('outbox', app.outbox_json(o), 'side_effects', app.sync_send_email_effect(o));
end;
$$;
comment on function public.complete_outbox_message(uuid, uuid, text, text, text) is
  'Service role only: the outcome of a claimed delivery; failures retry after 1 min, 5 min, 30 min, 2 h, then fail.';
revoke execute on function public.complete_outbox_message(uuid, uuid, text, text, text) from public, anon, authenticated;
grant execute on function public.complete_outbox_message(uuid, uuid, text, text, text) to service_role;

-- Service role only (the execute-action function, after execute_action refused a send
-- whose recipients or subject differ from the approved draft): that request withdraws
-- the approval, recorded in the draft's approval log. The refusing transaction could not
-- keep it (an error rolls everything back), like log_refused_action.
create or replace function public.withdraw_overridden_approval(executed_by uuid, execution_id uuid, params jsonb)
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_art app.workflow_task_artifacts;
  v_overrides text[];
begin
  select t.* into v_art
    from app.workflow_task_artifacts t
    join app.profiles p on p.id = withdraw_overridden_approval.executed_by and p.org_id = t.org_id
   where t.id = app.uuid_param(withdraw_overridden_approval.params, 'artifact_id')
     and t.execution_id = withdraw_overridden_approval.execution_id
     and t.artifact_type = 'email_draft' and t.approved_by is not null
   for update of t;
  if not found then
    return false;
  end if;
  v_overrides := app.email_overrides(v_art, withdraw_overridden_approval.params);
  if cardinality(v_overrides) = 0 then
    return false;
  end if;
  update app.workflow_task_artifacts t
     set approved_by = null, approved_at = null,
         metadata = jsonb_set(t.metadata, '{approval_log}',
           coalesce(t.metadata -> 'approval_log', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
             'approved', false, 'by', withdraw_overridden_approval.executed_by, 'at', now(),
             'reason', 'send asked for other ' || array_to_string(v_overrides, ' and '))))
   where t.id = v_art.id;
  return true;
end;
$$;
comment on function public.withdraw_overridden_approval(uuid, uuid, jsonb) is
  'Service role only: withdraws the approval of a draft whose send asked for other recipients or subject.';
revoke execute on function public.withdraw_overridden_approval(uuid, uuid, jsonb) from public, anon, authenticated;
grant execute on function public.withdraw_overridden_approval(uuid, uuid, jsonb) to service_role;

-- A crashed worker's lease returns to the queue even when no drain runs.
select cron.schedule('release-expired-outbox-leases', '* * * * *', $$select app.release_expired_outbox_leases()$$);

-- ------------------------------------------------------------------------ changed functions

create or replace function app.artifact_json(a app.workflow_task_artifacts)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', a.id,
    'execution_id', a.execution_id,
    'step_key', a.step_key,
    'task_id', a.task_id,
    'thread_id', a.thread_id,
    'artifact_type', a.artifact_type,
    'title', a.title,
    'content', a.content,
    'version', a.version,
    'generated_by', a.generated_by,
    'ai_model', a.ai_model,
    'ai_prompt', a.ai_prompt,
    'approved', a.approved_by is not null,
    'approved_by', a.approved_by,
    'approved_at', a.approved_at,
    'created_by', a.created_by,
    'metadata', a.metadata,
    'sent_at', a.sent_at,
    'sent_outbox_id', a.sent_outbox_id,
    'created_at', a.created_at,
    'updated_at', a.updated_at
  )
$$;
grant execute on function app.artifact_json(app.workflow_task_artifacts) to authenticated, service_role;

create or replace function app.claim_action_log(
  execution_id uuid,
  saved_action_id uuid,
  params jsonb,
  idempotency_key text
)
returns uuid
language plpgsql
security definer -- users have no insert privilege on the action log; this is its only writer for them
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_key text;
  v_id uuid;
  v_hash text;
  v_prior_hash text;
begin
  if v_me is null or v_org is null or coalesce(app.current_member_role(), '') not in ('csm', 'manager', 'admin')
     or not exists (select 1 from app.workflow_executions e
                     where e.id = claim_action_log.execution_id and e.org_id = v_org)
     or not app.can_work_on_execution(claim_action_log.execution_id) then
    raise exception 'You may not run actions on this workflow' using errcode = '42501',
      hint = 'Only its assigned CSM, a manager or an admin can change it.';
  end if;
  select s.key into v_key from app.saved_actions s
   where s.id = claim_action_log.saved_action_id and s.is_active and (s.org_id = v_org or s.org_id is null);
  if v_key is null then
    raise exception 'saved_action_id is not an action available to your organisation' using errcode = '22023';
  end if;
  v_hash := app.action_request_hash(v_key, claim_action_log.execution_id, claim_action_log.params);
  insert into app.action_executions (org_id, execution_id, saved_action_id, action_key, executed_by, params, success,
                                     idempotency_key, request_hash)
  values (v_org, claim_action_log.execution_id, claim_action_log.saved_action_id, v_key, v_me,
          coalesce(claim_action_log.params, '{}'::jsonb), false, claim_action_log.idempotency_key, v_hash)
  on conflict on constraint action_executions_idempotency_key_is_unique_per_user do nothing
  returning id into v_id;
  if v_id is null then
    -- The key is taken (a concurrent call with it has committed by now): a replay must be
    -- the same request, or it would silently answer with another request's result.
    select x.request_hash into v_prior_hash from app.action_executions x
     where x.org_id = v_org and x.executed_by = v_me and x.idempotency_key = claim_action_log.idempotency_key;
    if v_prior_hash <> v_hash then -- null: logged before requests were hashed
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Use a new idempotency key for each new action; a retry repeats the same action, workflow and params.';
    end if;
  end if;
  return v_id;
end;
$$;
comment on function app.claim_action_log(uuid, uuid, jsonb, text) is
  'execute_action''s log claim: the caller''s unfinished entry, or null when the idempotency key is already used.';
revoke execute on function app.claim_action_log(uuid, uuid, jsonb, text) from public, anon;
grant execute on function app.claim_action_log(uuid, uuid, jsonb, text) to authenticated;

create or replace function public.execute_action(
  action_key text,
  execution_id uuid,
  params jsonb default '{}'::jsonb,
  idempotency_key text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_params jsonb := coalesce(execute_action.params, '{}'::jsonb);
  v_key text := execute_action.idempotency_key;
  v_settings app.organisation_settings;
  a app.saved_actions;
  e app.workflow_executions;
  prior app.action_executions;
  v_log_id uuid;
  v_result jsonb := '{}'::jsonb;
  v_effects jsonb := '[]'::jsonb;
  v_customer_name text;
  v_workflow_name text;
  -- per action
  v_int integer;
  v_min integer;
  v_max integer;
  v_text text;
  v_list jsonb;
  v_when timestamptz;
  v_emails text[];
  v_cc text[];
  v_id uuid;
  v_task_id uuid;
  v_assignee uuid;
  v_manager uuid;
  v_art app.workflow_task_artifacts;
  v_requires_approval boolean;
  v_uid text;
  v_overrides text[];
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not run actions on workflows' using errcode = '42501',
      hint = 'Viewers can read workflows but not change them.';
  end if;
  if coalesce(btrim(execute_action.action_key), '') = '' then
    raise exception 'action_key is required' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  if v_key is not null and (btrim(v_key) = '' or length(v_key) > 200) then
    raise exception 'idempotency_key must be 1 to 200 characters' using errcode = '22023';
  end if;
  select * into a from app.saved_actions s
   where s.key = execute_action.action_key and s.is_active and (s.org_id = v_org or s.org_id is null)
   order by s.org_id nulls last limit 1;
  if not found then
    raise exception 'action_key "%" is not an action available to your organisation', execute_action.action_key
      using errcode = '22023', hint = 'See list_saved_actions for the available keys.';
  end if;
  e := app.require_workable_execution(execute_action.execution_id, 'run actions on');

  -- Claim the idempotency key before anything else; a concurrent call with the same key
  -- waits here until this transaction ends, then replays.
  v_log_id := app.claim_action_log(e.id, a.id, v_params, v_key);
  if v_log_id is null then
    select * into prior from app.action_executions x
     where x.org_id = v_org and x.executed_by = v_me and x.idempotency_key = v_key;
    if prior.execution_id is distinct from e.id or prior.action_key is distinct from a.key then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Use a new idempotency key for each new action; a retry repeats the same action, workflow and params.';
    end if;
    return jsonb_build_object(
      'action_execution_id', prior.id, 'action_key', prior.action_key, 'success', prior.success,
      'result', prior.result, 'execution', app.execution_summary(e.id),
      'side_effects', prior.side_effects, 'replayed', true);
  end if;

  -- Guard: workload lock, then the row, then the state.
  perform app.lock_assignee_workload(e.assigned_to);
  select * into e from app.workflow_executions x where x.id = e.id for update;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot run "%" on this workflow: it is %', a.name, app.status_words(e.status)
      using errcode = 'PT409', hint = 'Closed workflows cannot change.';
  end if;
  select * into v_settings from app.organisation_settings s where s.org_id = v_org;
  select c.name into v_customer_name from app.customers c where c.id = e.customer_id;
  select w.name into v_workflow_name from app.workflows w where w.id = e.workflow_id;

  case a.action_type
  -- ---------------------------------------------------------------------------- snooze
  when 'snooze' then
    v_min := coalesce((a.config ->> 'min_days')::integer, v_settings.snooze_min_days, 1);
    v_max := coalesce((a.config ->> 'max_days')::integer, v_settings.snooze_max_days, 30);
    if v_params ? 'days' then
      if jsonb_typeof(v_params -> 'days') <> 'number' or (v_params ->> 'days')::numeric <> trunc((v_params ->> 'days')::numeric) then
        raise exception 'days must be a whole number of days between % and %', v_min, v_max using errcode = '22023';
      end if;
      v_int := (v_params ->> 'days')::numeric::integer;
    else
      v_int := coalesce((a.config ->> 'default_days')::integer, v_settings.snooze_default_days, 7);
    end if;
    if v_int < v_min or v_int > v_max then
      raise exception 'days must be between % and %', v_min, v_max using errcode = '22023',
        hint = 'Snooze for ' || v_min || ' to ' || v_max || ' days.';
    end if;
    v_text := nullif(btrim(v_params ->> 'reason'), '');
    if v_text is null and coalesce((a.config ->> 'reason_required')::boolean, true) then
      raise exception 'reason is required to snooze a workflow' using errcode = '22023';
    end if;
    if e.status = 'snoozed' then
      raise exception 'Cannot snooze this workflow: it is already snoozed until %', e.snoozed_until using errcode = 'PT409',
        hint = 'Wait until it returns to the queue, or start it to resume now.';
    end if;
    update app.workflow_executions x
       set status = 'snoozed',
           snoozed_until = now() + make_interval(days => v_int),
           metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'snoozed', 'days', v_int, 'reason', v_text, 'from_status', e.status,
             'until', now() + make_interval(days => v_int)))
     where x.id = e.id;
    v_params := v_params || jsonb_build_object('days', v_int);
    v_result := jsonb_build_object('snoozed_until', now() + make_interval(days => v_int), 'days', v_int, 'reason', v_text);

  -- ---------------------------------------------------------------------------- skip
  when 'skip' then
    v_list := coalesce(a.config -> 'reasons',
      '["Not applicable", "Already completed", "Customer requested skip", "Internal decision", "Other"]'::jsonb);
    v_text := v_params ->> 'reason';
    if v_text is null or not (v_list ? v_text) then
      raise exception 'reason must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_list) r)
        using errcode = '22023';
    end if;
    if e.status not in ('in_progress', 'escalated') then
      raise exception 'Cannot skip a step: the workflow is %', app.status_words(e.status) using errcode = 'PT409',
        hint = 'Start the workflow first.';
    end if;
    v_result := app.finish_step(e, v_params ->> 'step_key', 'skipped',
                                jsonb_strip_nulls(jsonb_build_object('note', v_params ->> 'note')), v_text);

  -- ---------------------------------------------------------------------------- escalate
  when 'escalate' then
    v_list := coalesce(a.config -> 'levels', '["manager", "vp_cs", "ceo"]'::jsonb);
    v_text := coalesce(v_params ->> 'level', a.config ->> 'default_level', 'manager');
    if not (v_list ? v_text) then
      raise exception 'level must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_list) r)
        using errcode = '22023';
    end if;
    if nullif(btrim(v_params ->> 'reason'), '') is null then
      raise exception 'reason is required to escalate a workflow' using errcode = '22023';
    end if;
    v_assignee := coalesce(e.assigned_to, v_me);
    select p.manager_id into v_manager from app.profiles p where p.id = v_assignee;
    update app.workflow_executions x
       set status = 'escalated',
           snoozed_until = null,
           metadata = app.with_history(x.metadata, jsonb_build_object(
                        'event', 'escalated', 'level', v_text, 'reason', btrim(v_params ->> 'reason'), 'from_status', e.status))
                      || jsonb_build_object('escalations', coalesce(x.metadata -> 'escalations', '[]'::jsonb) || jsonb_build_array(
                        jsonb_build_object('level', v_text, 'reason', btrim(v_params ->> 'reason'), 'by', v_me, 'at', now(),
                                           'manager_id', v_manager, 'from_status', e.status)))
     where x.id = e.id;
    if v_manager is not null then
      -- The id is made here: RLS lets the caller write the manager's notification but not read it back.
      v_id := gen_random_uuid();
      insert into app.notifications (id, org_id, user_id, notification_type, title, body, data)
      values (v_id, v_org, v_manager, 'escalation',
              'Escalated to you: ' || v_workflow_name || ' for ' || v_customer_name,
              btrim(v_params ->> 'reason'),
              jsonb_build_object('execution_id', e.id, 'level', v_text, 'escalated_by', v_me, 'assignee_id', v_assignee));
      v_effects := jsonb_build_array(jsonb_build_object(
        'type', 'notify_manager', 'status', 'delivered', 'recipient_id', v_manager, 'notification_id', v_id,
        'attempts', 1, 'error', null, 'updated_at', now()));
    else
      v_effects := jsonb_build_array(jsonb_build_object(
        'type', 'notify_manager', 'status', 'skipped', 'recipient_id', null, 'attempts', 0,
        'error', 'The assignee has no manager to notify', 'updated_at', now()));
    end if;
    v_params := v_params || jsonb_build_object('level', v_text);
    v_result := jsonb_build_object('level', v_text, 'reason', btrim(v_params ->> 'reason'),
                                   'manager_id', v_manager, 'notification_id', v_id);

  -- ---------------------------------------------------------------------------- schedule_meeting
  when 'schedule_meeting' then
    v_list := coalesce(a.config -> 'durations_minutes', '[15, 30, 45, 60]'::jsonb);
    if v_params ? 'duration_minutes' then
      if jsonb_typeof(v_params -> 'duration_minutes') <> 'number' or not (v_list @> jsonb_build_array(v_params -> 'duration_minutes')) then
        raise exception 'duration_minutes must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_list) r)
          using errcode = '22023';
      end if;
      v_int := (v_params ->> 'duration_minutes')::numeric::integer;
    else
      v_int := coalesce((a.config ->> 'default_duration_minutes')::integer, 30);
    end if;
    v_when := app.timestamp_param(v_params, 'scheduled_at');
    if v_when is null then
      raise exception 'scheduled_at is required: the date and time of the meeting' using errcode = '22023';
    end if;
    v_emails := app.email_list(v_params -> 'attendees');
    if v_emails is null then
      raise exception 'attendees must be a list of email addresses' using errcode = '22023';
    end if;
    v_text := coalesce(nullif(btrim(v_params ->> 'title'), ''), 'Follow-up: ' || v_customer_name);
    v_assignee := coalesce(e.assigned_to, v_me);
    insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                    priority, assigned_to, created_by, due_date, metadata)
    values (v_org, e.customer_id, e.id, e.current_step_key, 'Hold meeting: ' || v_text,
            'Meeting of ' || v_int || ' minutes scheduled from ' || v_workflow_name || '.',
            coalesce(a.config ->> 'creates_task_type', 'schedule_meeting'), 'medium', v_assignee, v_me, v_when,
            jsonb_build_object('action_execution_id', v_log_id))
    returning id into v_task_id;
    insert into app.workflow_meetings (org_id, execution_id, action_execution_id, task_id, organiser_id, title,
                                       scheduled_at, duration_minutes, attendees)
    values (v_org, e.id, v_log_id, v_task_id, v_me, v_text, v_when, v_int, v_emails)
    returning id, invite_uid into v_id, v_uid;
    update app.workflow_executions x
       set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'meeting_scheduled', 'meeting_id', v_id))
                      || jsonb_build_object('meetings', coalesce(x.metadata -> 'meetings', '[]'::jsonb) || jsonb_build_array(
                        jsonb_build_object('id', v_id, 'title', v_text, 'scheduled_at', v_when, 'duration_minutes', v_int,
                                           'attendees', to_jsonb(v_emails), 'task_id', v_task_id)))
     where x.id = e.id;
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'calendar_invite', 'status', 'pending', 'meeting_id', v_id, 'attempts', 0, 'error', null, 'updated_at', now()));
    v_params := v_params || jsonb_build_object('duration_minutes', v_int);
    v_result := jsonb_build_object('meeting_id', v_id, 'task_id', v_task_id, 'title', v_text, 'scheduled_at', v_when,
                                   'duration_minutes', v_int, 'attendees', to_jsonb(v_emails), 'invite_uid', v_uid,
                                   'organiser_email', (select p.email from app.profiles p where p.id = v_me),
                                   'description', v_workflow_name || ' for ' || v_customer_name);

  -- ---------------------------------------------------------------------------- send_email
  when 'send_email' then
    v_id := app.uuid_param(v_params, 'artifact_id');
    if v_id is null then
      raise exception 'artifact_id is required: the id of the email draft to send' using errcode = '22023';
    end if;
    if v_params ? 'resend' and jsonb_typeof(v_params -> 'resend') <> 'boolean' then
      raise exception 'resend must be true or false' using errcode = '22023';
    end if;
    -- The draft is locked: an edit, an approval or another send of it waits for this one.
    select * into v_art from app.workflow_task_artifacts t where t.id = v_id and t.execution_id = e.id for update;
    if not found or v_art.artifact_type <> 'email_draft' then
      raise exception 'artifact_id must be an email draft of this workflow' using errcode = '22023';
    end if;
    v_requires_approval := case
      when jsonb_typeof(a.config -> 'requires_approval') = 'boolean' then (a.config ->> 'requires_approval')::boolean
      else coalesce(v_settings.require_email_approval, true) end;
    if v_requires_approval and v_art.approved_at is null then
      raise exception 'Cannot send this email: the draft is not approved' using errcode = 'PT409',
        hint = 'Your organisation requires approval: approve the draft, then send it.';
    end if;
    -- An approval covers the draft's recipients and subject; asking for others is not the
    -- approved email. (The execute-action function then withdraws the approval.)
    v_overrides := app.email_overrides(v_art, v_params);
    if v_requires_approval and cardinality(v_overrides) > 0 then
      raise exception 'Cannot send this email: its % differ from the approved draft', array_to_string(v_overrides, ' and ')
        using errcode = 'PT409', detail = 'approval_overridden',
        hint = 'Send the draft as approved, or change the draft itself and have it approved again.';
    end if;
    -- Once sent (or on its way), sending it again is an explicit resend.
    select o.status into v_text from app.email_outbox o
     where o.artifact_id = v_art.id and o.status in ('queued', 'sending', 'sent', 'delivered_to_sink')
     order by o.created_at desc limit 1;
    if found and not coalesce((v_params ->> 'resend')::boolean, false) then
      raise exception 'Cannot send this email: it was already sent%',
        case when v_text in ('queued', 'sending') then ' (it is on its way)' else '' end
        using errcode = 'PT409', hint = 'To send it again, pass resend: true.';
    end if;
    if v_requires_approval then
      v_emails := app.email_list(v_art.content -> 'to');
      v_cc := coalesce(app.email_list(v_art.content -> 'cc'), '{}');
      v_text := coalesce(nullif(btrim(v_art.content ->> 'subject'), ''), v_art.title);
    else
      v_emails := app.email_list(coalesce(v_params -> 'to', v_art.content -> 'to'));
      v_cc := coalesce(app.email_list(coalesce(v_params -> 'cc', v_art.content -> 'cc')), '{}');
      v_text := coalesce(nullif(btrim(v_params ->> 'subject'), ''), nullif(btrim(v_art.content ->> 'subject'), ''), v_art.title);
    end if;
    if v_emails is null or cardinality(v_emails) = 0 then
      raise exception 'to is required: the draft has no valid recipient' using errcode = '22023',
        hint = 'Add recipients to the draft.';
    end if;
    insert into app.email_outbox (org_id, execution_id, artifact_id, action_execution_id, requested_by,
                                  to_addresses, cc_addresses, subject, body_text, body_html, status)
    values (v_org, e.id, v_art.id, v_log_id, v_me, v_emails, v_cc, v_text,
            coalesce(v_art.content ->> 'body', v_art.content ->> 'text', ''), v_art.content ->> 'html', 'queued')
    returning id into v_id;
    update app.workflow_executions x
       set metadata = app.with_history(x.metadata, jsonb_build_object(
                        'event', 'email_queued', 'outbox_id', v_id, 'artifact_id', v_art.id))
     where x.id = e.id;
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'send_email', 'status', 'pending', 'outbox_id', v_id, 'attempts', 0, 'error', null, 'updated_at', now()));
    v_result := jsonb_build_object('outbox_id', v_id, 'artifact_id', v_art.id, 'to', to_jsonb(v_emails),
                                   'cc', to_jsonb(v_cc), 'subject', v_text, 'status', 'queued',
                                   'resend', coalesce((v_params ->> 'resend')::boolean, false));

  -- ---------------------------------------------------------------------------- create_task
  when 'create_task' then
    v_when := app.timestamp_param(v_params, 'due_date');
    if v_when is null then
      raise exception 'due_date is required for a follow-up task' using errcode = '22023';
    end if;
    v_list := coalesce(a.config -> 'priorities', '["low", "medium", "high", "urgent"]'::jsonb);
    v_text := coalesce(v_params ->> 'priority', a.config ->> 'default_priority', 'medium');
    if not (v_list ? v_text) then
      raise exception 'priority must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_list) r)
        using errcode = '22023';
    end if;
    if coalesce(v_params ->> 'task_type', a.config ->> 'default_task_type', 'follow_up') not in (
      'review_contract', 'draft_email', 'schedule_meeting', 'analyze_usage', 'prepare_proposal', 'follow_up',
      'escalate', 'update_crm', 'get_transcript', 'review_recommendation', 'custom') then
      raise exception 'task_type is not a known task type' using errcode = '22023';
    end if;
    if v_params ? 'assigned_to' then
      v_assignee := app.uuid_param(v_params, 'assigned_to');
      if v_assignee is null or not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
        raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
      end if;
    else
      v_assignee := coalesce(e.assigned_to, v_me);
    end if;
    insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                    priority, assigned_to, created_by, due_date, metadata)
    values (v_org, e.customer_id, e.id, e.current_step_key,
            coalesce(nullif(btrim(v_params ->> 'title'), ''), 'Follow up with ' || v_customer_name),
            v_params ->> 'description',
            coalesce(v_params ->> 'task_type', a.config ->> 'default_task_type', 'follow_up'),
            v_text, v_assignee, v_me, v_when, jsonb_build_object('action_execution_id', v_log_id))
    returning id into v_task_id;
    if v_assignee <> v_me then
      insert into app.notifications (org_id, user_id, notification_type, title, body, data)
      values (v_org, v_assignee, 'task_assigned', 'New task: ' || coalesce(nullif(btrim(v_params ->> 'title'), ''), 'Follow up with ' || v_customer_name),
              'Assigned to you from ' || v_workflow_name || ' for ' || v_customer_name || '.',
              jsonb_build_object('task_id', v_task_id, 'execution_id', e.id, 'assigned_by', v_me));
    end if;
    update app.workflow_executions x
       set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'task_created', 'task_id', v_task_id))
     where x.id = e.id;
    v_params := v_params || jsonb_build_object('priority', v_text);
    v_result := jsonb_build_object('task_id', v_task_id, 'due_date', v_when, 'priority', v_text, 'assigned_to', v_assignee);

  -- ---------------------------------------------------------------------------- custom
  else
    update app.workflow_executions x
       set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'custom_action', 'action_key', a.key))
     where x.id = e.id;
    v_result := jsonb_build_object('recorded', true);
  end case;

  perform app.complete_action_log(v_log_id, v_params, v_result, v_effects);

  return jsonb_build_object(
    'action_execution_id', v_log_id, 'action_key', a.key, 'success', true, 'result', v_result,
    'execution', app.execution_summary(e.id), 'side_effects', v_effects, 'replayed', false);
end;
$$;
comment on function public.execute_action(text, uuid, jsonb, text) is
  'Applies a saved action''s state change and logs it; idempotent under idempotency_key (replayed: true).';
revoke execute on function public.execute_action(text, uuid, jsonb, text) from public, anon;
grant execute on function public.execute_action(text, uuid, jsonb, text) to authenticated;

create or replace function public.record_action_side_effect(
  action_execution_id uuid,
  effect_type text,
  status text,
  error_message text default null,
  details jsonb default '{}'::jsonb
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_log app.action_executions;
  v_effects jsonb;
  v_details jsonb := coalesce(record_action_side_effect.details, '{}'::jsonb);
  v_ok boolean := record_action_side_effect.status in ('delivered', 'sent', 'delivered_to_sink', 'stored', 'skipped');
begin
  if record_action_side_effect.effect_type = 'send_email' then
    raise exception 'send_email is recorded by the delivery that holds its lease' using errcode = '22023',
      hint = 'Claim the outbox row with claim_outbox_message and finish it with complete_outbox_message.';
  end if;
  if record_action_side_effect.status not in ('pending', 'delivered', 'sent', 'delivered_to_sink', 'stored', 'failed', 'skipped') then
    raise exception 'status must be one of pending, delivered, sent, delivered_to_sink, stored, failed, skipped' using errcode = '22023';
  end if;
  select * into v_log from app.action_executions x where x.id = record_action_side_effect.action_execution_id for update;
  if not found then
    raise exception 'Action execution not found' using errcode = 'PT404';
  end if;

  select coalesce(jsonb_agg(case when el ->> 'type' = record_action_side_effect.effect_type
             then el || (v_details - 'ics') || jsonb_build_object(
                    'status', record_action_side_effect.status,
                    'error', record_action_side_effect.error_message,
                    'attempts', coalesce((el ->> 'attempts')::integer, 0) + 1,
                    'updated_at', now())
             else el end order by ord), '[]'::jsonb)
    into v_effects
    from jsonb_array_elements(v_log.side_effects) with ordinality as t(el, ord);
  if not exists (select 1 from jsonb_array_elements(v_log.side_effects) el where el ->> 'type' = record_action_side_effect.effect_type) then
    v_effects := v_effects || jsonb_build_array((v_details - 'ics') || jsonb_build_object(
      'type', record_action_side_effect.effect_type, 'status', record_action_side_effect.status,
      'error', record_action_side_effect.error_message, 'attempts', 1, 'updated_at', now()));
  end if;
  update app.action_executions x set side_effects = v_effects where x.id = v_log.id;

  if record_action_side_effect.effect_type = 'calendar_invite' and record_action_side_effect.status <> 'pending' then
    update app.workflow_meetings m
       set invite_ics = coalesce(v_details ->> 'ics', m.invite_ics),
           invite_status = case when v_ok then 'stored' else 'failed' end,
           invite_error = record_action_side_effect.error_message
     where m.action_execution_id = v_log.id;
  end if;
  return v_effects;
end;
$$;
comment on function public.record_action_side_effect(uuid, text, text, text, jsonb) is
  'Service role only: records the outcome of a side effect of an executed action (email, invite) with its error and attempts.';
revoke execute on function public.record_action_side_effect(uuid, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.record_action_side_effect(uuid, text, text, text, jsonb) to service_role;

create or replace function public.approve_artifact(artifact_id uuid, approved boolean default true)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
  settings app.organisation_settings;
begin
  if approve_artifact.approved is null then
    raise exception 'approved must be true or false' using errcode = '22023', hint = 'Pass false to withdraw an approval.';
  end if;
  artifact := app.artifact_for_write(approve_artifact.artifact_id);

  -- Four eyes: where approval is required, the author approves their own draft only when
  -- the organisation allows it.
  if approve_artifact.approved and artifact.created_by = (select auth.uid()) then
    select * into settings from app.organisation_settings s where s.org_id = artifact.org_id;
    if coalesce(settings.require_email_approval, true) and not coalesce(settings.allow_self_approval, false) then
      raise exception 'You may not approve your own draft' using errcode = '42501',
        hint = 'Ask a manager or a colleague to approve it; an admin can allow self-approval in the organisation settings.';
    end if;
  end if;

  -- Approving an approved artifact (or withdrawing an unapproved one) changes nothing.
  if (artifact.approved_by is not null) = approve_artifact.approved then
    return app.artifact_json(artifact);
  end if;

  update app.workflow_task_artifacts a
     set approved_by = case when approve_artifact.approved then (select auth.uid()) end,
         approved_at = case when approve_artifact.approved then now() end,
         metadata = jsonb_set(a.metadata, '{approval_log}',
           coalesce(a.metadata -> 'approval_log', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
             'approved', approve_artifact.approved, 'by', (select auth.uid()), 'at', now())))
   where a.id = artifact.id
  returning * into artifact;
  return app.artifact_json(artifact);
end;
$$;
comment on function public.approve_artifact(uuid, boolean) is 'Approves an artifact (who, when) or withdraws the approval; both are logged in metadata.approval_log. The author may approve their own only where the organisation allows it (42501).';
revoke execute on function public.approve_artifact(uuid, boolean) from public, anon;
grant execute on function public.approve_artifact(uuid, boolean) to authenticated;
