-- Actions and the email outbox: execute_action and one function per action kind, the action
-- log, meetings, AI proposals, and the outbox with its claimed, retried and scheduled delivery.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.

create table app.action_executions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  execution_id uuid not null,
  saved_action_id uuid references app.saved_actions (id) on delete set null,
  action_key text not null,
  executed_by uuid,
  params jsonb not null default '{}'::jsonb,
  result jsonb not null default '{}'::jsonb,
  success boolean not null,
  error_message text,
  idempotency_key text,
  -- Side effects run after the state change (email, notification, invite), each with a status.
  side_effects jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint action_executions_params_is_object check (jsonb_typeof(params) = 'object'),
  constraint action_executions_side_effects_is_array check (jsonb_typeof(side_effects) = 'array'),
  constraint action_executions_idempotency_key_is_not_blank check (btrim(idempotency_key) <> ''),
  constraint action_executions_idempotency_key_is_unique_per_user unique (org_id, executed_by, idempotency_key),
  constraint action_executions_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint action_executions_executor_is_in_organisation foreign key (org_id, executed_by)
    references app.profiles (org_id, id) on delete set null (executed_by),
  constraint action_executions_id_org_id_key unique (id, org_id),
  request_hash text
);
comment on table app.action_executions is 'The log of every saved action executed: who, when, params, result, success.';
alter table app.action_executions enable row level security;
-- The action log is append-only history that users cannot forge: no user role may insert,
-- update or delete it (no privilege, 42501), so a csm cannot write a made-up entry (any
-- outcome, any params). It is written only by two security definer helpers that
-- execute_action calls: app.claim_action_log inserts the caller's unfinished entry (the
-- idempotency claim, `on conflict do nothing`), deciding itself who, which organisation
-- and which action, and refusing a caller who may not work on the execution;
-- app.complete_action_log records the outcome on that entry only (the caller's own, still
-- unfinished, claimed in this same transaction). The service-role writers
-- (record_action_side_effect, log_refused_action) bypass RLS.
grant select on app.action_executions to authenticated;
comment on column app.action_executions.request_hash is
  'sha256 of the canonical request (action key, execution, params as sent): a replayed idempotency key must carry the same.';

create index action_executions_execution_id_idx on app.action_executions (execution_id, org_id, created_at desc);

create index action_executions_saved_action_id_idx on app.action_executions (saved_action_id)
  where saved_action_id is not null;

-- The email outbox (docs/workflow-engine.md "Side effects"). Sending an email is a side
-- effect with its own status; the state change that asked for it is recorded first and
-- never undone by a failed send, so the outbox row is the durable hand-off (retried until
-- sent).
create table app.email_outbox (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  execution_id uuid,
  artifact_id uuid,
  action_execution_id uuid,
  requested_by uuid,
  to_addresses text[] not null,
  cc_addresses text[] not null default '{}',
  subject text not null,
  body_text text not null,
  body_html text,
  status text not null default 'queued',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  provider_message_id text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint email_outbox_has_a_recipient check (cardinality(to_addresses) >= 1),
  constraint email_outbox_subject_is_not_blank check (btrim(subject) <> ''),
  constraint email_outbox_attempts_is_not_negative check (attempts >= 0),
  constraint email_outbox_sent_is_dated check (status <> 'sent' or sent_at is not null),
  constraint email_outbox_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete set null (execution_id),
  constraint email_outbox_requester_is_in_organisation foreign key (requested_by, org_id)
    references app.profiles (id, org_id) on delete set null (requested_by),
  constraint email_outbox_action_execution_is_in_organisation foreign key (action_execution_id, org_id) references app.action_executions (id, org_id) on delete set null (action_execution_id),
  constraint email_outbox_status_is_known check (status in ('queued', 'sending', 'sent', 'delivered_to_sink', 'failed', 'cancelled')),
  lease_token uuid,
  lease_expires_at timestamptz,
  constraint email_outbox_sending_holds_a_lease check (status <> 'sending' or (lease_token is not null and lease_expires_at is not null)),
  constraint email_outbox_attempts_are_at_most_five check (attempts <= 5)
);
comment on table app.email_outbox is 'Emails waiting to be sent or sent, each with its own delivery status.';
alter table app.email_outbox enable row level security;
grant select, insert, update, delete on app.email_outbox to authenticated;
comment on column app.email_outbox.lease_token is 'Who holds the current delivery attempt: only that holder records its outcome.';
comment on column app.email_outbox.lease_expires_at is 'When an unfinished delivery attempt is given up and the row returns to the queue.';

-- The sender picks due rows in order.
create index email_outbox_org_id_status_idx on app.email_outbox (org_id, status, next_attempt_at);

create index email_outbox_execution_id_idx on app.email_outbox (execution_id, org_id) where execution_id is not null;

create index email_outbox_artifact_id_idx on app.email_outbox (artifact_id, org_id) where artifact_id is not null;

create index email_outbox_requested_by_idx on app.email_outbox (requested_by, org_id) where requested_by is not null;

-- Newest-first keyset pages of an organisation's outbox.
create index if not exists email_outbox_org_id_created_at_idx
  on app.email_outbox (org_id, created_at desc, id desc);

create index email_outbox_action_execution_id_idx on app.email_outbox (action_execution_id, org_id)
  where action_execution_id is not null;

-- Email is sent once, approval cannot be bypassed, an idempotency key names one request
-- (issue 10 items 2, 7 and 8; docs/business-rules.md "Email is sent once").
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

-- ------------------------------------------------------------------------ schema

create index email_outbox_due_idx on app.email_outbox (next_attempt_at) where status = 'queued';

create index email_outbox_lease_expires_at_idx on app.email_outbox (lease_expires_at) where status = 'sending';

-- Saved actions: list_saved_actions, execute_action, the meetings they schedule, and the
-- service-role hook that records side effects (docs/business-rules.md "Actions";
-- docs/workflow-engine.md "Saved actions").
--
-- Why this shape:
-- - Idempotency is the unique constraint (org_id, executed_by, idempotency_key) of the
--   action log: execute_action inserts its log row FIRST with `on conflict do nothing`.
--   A concurrent call with the same key waits on that insert until the first commits,
--   then finds the row and replays its stored result; nothing is applied twice.
-- - The state change and its log commit together. Side effects outside the database
--   (mail transport, calendar invite) run afterwards in the execute-action Edge Function;
--   each is recorded in `action_executions.side_effects` with its own status, error and
--   attempts through public.record_action_side_effect (service role only), so a failure
--   never undoes the state change and a replay with the same key retries it.
-- - The manager's in-app notification of an escalation is written in the same
--   transaction as the escalation (it cannot be half-done) and reported as a side effect.
-- - Metadata is appended to (history, escalations, meetings arrays), never overwritten.
-- - Limits come from the saved action's config, else the organisation's settings, else
--   the defaults of docs/business-rules.md "Actions".

create table app.workflow_meetings (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  execution_id uuid not null,
  action_execution_id uuid,
  task_id uuid,
  organiser_id uuid,
  title text not null,
  scheduled_at timestamptz not null,
  duration_minutes integer not null,
  attendees text[] not null default '{}',
  -- The iCalendar UID stays the same for every re-send of the invite.
  invite_uid text not null default (gen_random_uuid()::text || '@renubu'),
  invite_ics text,
  invite_status text not null default 'pending',
  invite_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_meetings_title_is_not_blank check (btrim(title) <> ''),
  constraint workflow_meetings_duration_is_positive check (duration_minutes > 0),
  constraint workflow_meetings_invite_status_is_known check (invite_status in ('pending', 'stored', 'failed')),
  constraint workflow_meetings_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint workflow_meetings_organiser_is_in_organisation foreign key (organiser_id, org_id)
    references app.profiles (id, org_id) on delete set null (organiser_id),
  constraint workflow_meetings_action_execution_is_in_organisation foreign key (action_execution_id, org_id) references app.action_executions (id, org_id) on delete set null (action_execution_id)
);
comment on table app.workflow_meetings is 'Follow-up meetings scheduled from a workflow, with their iCalendar invite.';
alter table app.workflow_meetings enable row level security;
grant select, insert, update, delete on app.workflow_meetings to authenticated;
grant select, insert, update, delete on app.workflow_meetings to service_role;

create index workflow_meetings_execution_id_idx on app.workflow_meetings (execution_id, org_id, scheduled_at);

create index workflow_meetings_task_id_idx on app.workflow_meetings (task_id, org_id) where task_id is not null;

create index workflow_meetings_organiser_id_idx on app.workflow_meetings (organiser_id, org_id) where organiser_id is not null;

-- A meeting's action-log reference stays inside its organisation, like every other
-- reference (docs/data-model.md "Rules the database enforces itself").
-- The composite key makes a cross-organisation reference impossible by construction;
-- deleting the log entry nulls only the reference, never org_id.

create index workflow_meetings_action_execution_id_idx
  on app.workflow_meetings (action_execution_id, org_id)
  where action_execution_id is not null;

-- AI proposals: the assistant proposes, a person decides (issue 12 item 5; docs/branches-and-proposals.md "AI
-- proposals", docs/branches-and-proposals.md "AI proposals").
--
--                 propose_action (service role: chat, brief, agent)
--                          │
--                          ▼
--                      proposed ──decide_proposal(approve => true)──► approved  (execute_action ran
--                       │    │                                                  as the approver;
--                       │    └──decide_proposal(approve => false)──► rejected   action log linked)
--                       └── 7 days undecided (hourly job) ─────────► expired
--
-- Why this shape:
-- - Nothing the model emits executes anything: the chat's propose_action tool only stores a
--   row. public.propose_action stores it:
--   * source `thread` / `brief`: the service role only (the chat and daily-brief functions,
--     like create_assistant_artifact), naming the person the assistant works for
--     (`author_id`); a chat proposal is tied to the reply being answered (the pending
--     assistant message of its thread). No signed-in person can store one as the model's.
--   * source `agent`: an agent client through the mcp function, which acts with the
--     person's own token: the proposal is that person's (`proposed_for` = auth.uid()),
--     recorded with the client's name, and only on a workflow they may work on.
-- - Deciding goes through public.execute_action, called as the approver (security
--   invoker), so the action's own rules, limits, idempotency and log apply unchanged; the
--   proposal keeps the id of the action log row (`action_execution_id`).
-- - The proposal row is locked before anything else, so two people deciding at once get
--   one decision; a decision replayed with the same idempotency key by the same person
--   returns the stored outcome (`replayed: true`) and executes nothing again.
-- - Users cannot write the table (no insert/update privilege): the decision is written by
--   two security definer helpers that check the caller may work on the workflow.
-- - The same open proposal (workflow, action, params) is stored once: a model that repeats
--   itself does not flood the CSM with cards.

create table app.action_proposals (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  execution_id uuid not null,
  action_key text not null,
  params jsonb not null default '{}'::jsonb,
  rationale text not null,
  -- Where it came from: a chat reply (thread + message), a daily brief, an agent client.
  source text not null,
  thread_id uuid,
  message_id uuid,
  source_ref text,
  -- The person the assistant was working for when it proposed.
  proposed_for uuid not null,
  status text not null default 'proposed',
  expires_at timestamptz not null default now() + interval '7 days',
  decided_by uuid,
  decided_at timestamptz,
  -- The params actually executed (the proposal's, or the approver's edit of them).
  decided_params jsonb,
  action_execution_id uuid,
  idempotency_key text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint action_proposals_status_is_known check (status in ('proposed', 'approved', 'rejected', 'expired')),
  constraint action_proposals_source_is_known check (source in ('thread', 'brief', 'agent')),
  constraint action_proposals_thread_source_names_its_reply check (source <> 'thread' or (thread_id is not null and message_id is not null)),
  constraint action_proposals_params_is_object check (jsonb_typeof(params) = 'object'),
  constraint action_proposals_rationale_is_not_blank check (btrim(rationale) <> ''),
  constraint action_proposals_decision_is_dated check ((status in ('approved', 'rejected')) = (decided_by is not null and decided_at is not null)),
  constraint action_proposals_approval_links_the_action_log check (status <> 'approved' or action_execution_id is not null),
  constraint action_proposals_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint action_proposals_proposed_for_is_in_organisation foreign key (proposed_for, org_id)
    references app.profiles (id, org_id) on delete cascade,
  constraint action_proposals_decided_by_is_in_organisation foreign key (decided_by, org_id)
    references app.profiles (id, org_id) on delete set null (decided_by),
  constraint action_proposals_action_log_is_in_organisation foreign key (action_execution_id, org_id)
    references app.action_executions (id, org_id) on delete set null (action_execution_id)
);
comment on table app.action_proposals is
  'Actions the assistant proposed; a person approves (executed through execute_action, log linked) or rejects; undecided ones expire after 7 days.';
alter table app.action_proposals enable row level security;
grant select on app.action_proposals to authenticated;
grant select, insert, update, delete on app.action_proposals to service_role;
grant insert on app.action_proposals to authenticated;

create index action_proposals_org_id_status_idx on app.action_proposals (org_id, status, created_at desc);

create index action_proposals_execution_id_idx on app.action_proposals (execution_id, org_id, created_at desc);

create index action_proposals_thread_id_idx on app.action_proposals (thread_id, org_id) where thread_id is not null;

create index action_proposals_message_id_idx on app.action_proposals (message_id, org_id) where message_id is not null;

create index action_proposals_proposed_for_idx on app.action_proposals (proposed_for, org_id);

create index action_proposals_decided_by_idx on app.action_proposals (decided_by, org_id) where decided_by is not null;

create index action_proposals_action_execution_id_idx on app.action_proposals (action_execution_id, org_id)
  where action_execution_id is not null;

create index action_proposals_expires_at_idx on app.action_proposals (expires_at) where status = 'proposed';

create unique index action_proposals_one_open_per_suggestion on app.action_proposals (execution_id, action_key, md5(params::text))
  where status = 'proposed';

-- A list of email addresses from a jsonb string or array; null when any entry is not one.
create or replace function app.email_list(value jsonb)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case
    when email_list.value is null or jsonb_typeof(email_list.value) = 'null' then '{}'::text[]
    when jsonb_typeof(email_list.value) = 'string' then
      case when btrim(email_list.value #>> '{}') ~ '^[^@\s]+@[^@\s]+$' then array[btrim(email_list.value #>> '{}')] end
    when jsonb_typeof(email_list.value) = 'array' then (
      select case when bool_and(jsonb_typeof(x) = 'string' and btrim(x #>> '{}') ~ '^[^@\s]+@[^@\s]+$')
                  then coalesce(array_agg(btrim(x #>> '{}')), '{}'::text[]) end
        from jsonb_array_elements(email_list.value) x)
  end
$$;
grant execute on function app.email_list(jsonb) to authenticated, service_role;

-- A timestamptz parameter, or a 22023 naming it.
create or replace function app.timestamp_param(params jsonb, name text)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  raw text := timestamp_param.params ->> timestamp_param.name;
begin
  if raw is null or btrim(raw) = '' then
    return null;
  end if;
  return raw::timestamptz;
exception when others then
  raise exception '% must be a date and time (ISO 8601)', timestamp_param.name using errcode = '22023';
end;
$$;
grant execute on function app.timestamp_param(jsonb, text) to authenticated, service_role;

-- An optional id in action parameters: null when it is missing or not a uuid, so the
-- caller raises one 22023 that names the parameter for both cases.
create or replace function app.uuid_param(params jsonb, name text)
returns uuid
language plpgsql
immutable
set search_path = ''
as $$
begin
  return (uuid_param.params ->> uuid_param.name)::uuid;
exception when others then
  return null;
end;
$$;
grant execute on function app.uuid_param(jsonb, text) to authenticated, service_role;

-- The action log is history users cannot forge: execute_action writes it only through
-- these two helpers; no user role may insert or update the table directly.
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
revoke execute on function app.claim_action_log(uuid, uuid, jsonb, text) from public, anon;
grant execute on function app.claim_action_log(uuid, uuid, jsonb, text) to authenticated;
comment on function app.claim_action_log(uuid, uuid, jsonb, text) is
  'execute_action''s log claim: the caller''s unfinished entry, or null when the idempotency key is already used.';

create or replace function app.complete_action_log(
  action_execution_id uuid,
  params jsonb,
  result jsonb,
  side_effects jsonb
)
returns void
language plpgsql
security definer -- users have no update privilege on the action log; this completes only their own entry of this transaction
set search_path = ''
as $$
begin
  update app.action_executions x
     set success = true, result = complete_action_log.result, params = complete_action_log.params,
         side_effects = complete_action_log.side_effects
   where x.id = complete_action_log.action_execution_id
     and x.org_id = app.current_org_id()
     and x.executed_by = (select auth.uid())
     and not x.success and x.error_message is null and x.result = '{}'::jsonb
     and x.created_at = now()
     and app.can_work_on_execution(x.execution_id);
  if not found then
    raise exception 'Only an action running in this transaction can complete its own log entry' using errcode = '42501',
      hint = 'The action log is history: run the action with execute_action.';
  end if;
end;
$$;
comment on function app.complete_action_log(uuid, jsonb, jsonb, jsonb) is
  'execute_action''s log completion: the outcome of the caller''s own entry claimed in this transaction.';
revoke execute on function app.complete_action_log(uuid, jsonb, jsonb, jsonb) from public, anon;
grant execute on function app.complete_action_log(uuid, jsonb, jsonb, jsonb) to authenticated;

-- execute_action: the guard (an escalated workflow is a hold), the idempotency claim, and the
-- dispatch to one function per action kind (app.action_<key>, below).
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
  a app.saved_actions;
  e app.workflow_executions;
  prior app.action_executions;
  v_log_id uuid;
  v_applied jsonb;
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
  if e.status = 'escalated' then
    raise exception 'Cannot run "%" on this workflow: it is escalated and waits for a decision', a.name
      using errcode = 'PT409',
      hint = 'Its assignee can withdraw the escalation; a manager can return, reassign or close it.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot run "%" on this workflow: it is %', a.name, app.status_words(e.status)
      using errcode = 'PT409', hint = 'Closed workflows cannot change.';
  end if;

  v_applied := case a.action_type
    when 'snooze' then app.action_snooze(a, e, v_params, v_log_id)
    when 'skip' then app.action_skip(a, e, v_params, v_log_id)
    when 'escalate' then app.action_escalate(a, e, v_params, v_log_id)
    when 'schedule_meeting' then app.action_schedule_meeting(a, e, v_params, v_log_id)
    when 'send_email' then app.action_send_email(a, e, v_params, v_log_id)
    when 'create_task' then app.action_create_task(a, e, v_params, v_log_id)
    else app.action_custom(a, e, v_params, v_log_id)
  end;

  perform app.complete_action_log(v_log_id, v_applied -> 'params', v_applied -> 'result', v_applied -> 'side_effects');

  return jsonb_build_object(
    'action_execution_id', v_log_id, 'action_key', a.key, 'success', true, 'result', v_applied -> 'result',
    'execution', app.execution_summary(e.id), 'side_effects', v_applied -> 'side_effects', 'replayed', false);
end;
$$;
revoke execute on function public.execute_action(text, uuid, jsonb, text) from public, anon;
grant execute on function public.execute_action(text, uuid, jsonb, text) to authenticated;
comment on function public.execute_action(text, uuid, jsonb, text) is
  'Applies a saved action''s state change and logs it; idempotent under idempotency_key (replayed: true). An escalated workflow refuses actions.';

-- Service role only (the execute-action Edge Function): the outcome of one side effect.
-- Updates the effect's entry in the action log (status, error, attempts) and its
-- subject: the outbox row for `send_email`, the meeting's invite for `calendar_invite`.
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
revoke execute on function public.record_action_side_effect(uuid, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.record_action_side_effect(uuid, text, text, text, jsonb) to service_role;
comment on function public.record_action_side_effect(uuid, text, text, text, jsonb) is
  'Service role only: records the outcome of a side effect of an executed action (email, invite) with its error and attempts.';

-- Service role only (the execute-action Edge Function): logs a refused call (bad params,
-- illegal transition, not allowed), which the refusing transaction itself could not keep
-- because a database error rolls everything back. The idempotency key is kept in the
-- result, not in its unique column, so a corrected retry with the same key still applies.
-- Calls for executions that do not exist or belong to another organisation are not logged.
create or replace function public.log_refused_action(
  executed_by uuid,
  action_key text,
  execution_id uuid,
  params jsonb,
  idempotency_key text,
  error_code text,
  error_message text
)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid;
begin
  insert into app.action_executions (org_id, execution_id, saved_action_id, action_key, executed_by, params,
                                     result, success, error_message)
  select e.org_id, e.id,
         (select s.id from app.saved_actions s
           where s.key = log_refused_action.action_key and (s.org_id = e.org_id or s.org_id is null)
           order by s.org_id nulls last limit 1),
         left(coalesce(log_refused_action.action_key, ''), 100), p.id,
         case when jsonb_typeof(log_refused_action.params) = 'object' then log_refused_action.params else '{}'::jsonb end,
         jsonb_build_object('refused', true, 'error_code', log_refused_action.error_code,
                            'idempotency_key', log_refused_action.idempotency_key),
         false, left(log_refused_action.error_message, 500)
    from app.workflow_executions e
    join app.profiles p on p.id = log_refused_action.executed_by and p.org_id = e.org_id
   where e.id = log_refused_action.execution_id
  returning id into v_id;
  return v_id;
end;
$$;
comment on function public.log_refused_action(uuid, text, uuid, jsonb, text, text, text) is
  'Service role only: records a refused execute_action call in the action log (success false, the error).';
revoke execute on function public.log_refused_action(uuid, text, uuid, jsonb, text, text, text) from public, anon, authenticated;
grant execute on function public.log_refused_action(uuid, text, uuid, jsonb, text, text, text) to service_role;

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

-- The outbox is drained by a scheduled worker, not only by the request that queued a mail
-- (docs/workflow-engine.md "Email delivery"): every minute pg_cron asks the `outbox-drain`
-- Edge Function to deliver what is due, calling it the way Supabase documents for
-- scheduled Edge Functions — `net.http_post` (pg_net) with the project URL and the service
-- role key read from Vault. docs/deploy.md shows the two `vault.create_secret` calls a
-- hosted project needs; `renubu start` stores them on the local stack, whose pg_net and
-- Vault stand-ins (local/db/bootstrap.sql) offer the same interface.
--
-- Without those secrets the job does nothing (a project that has not set them up yet is not
-- an error), and it calls the function only when a message is due, so an idle project
-- makes no request.

-- One Edge Function call from the database, written once for every scheduled job that
-- makes one: the request id, or null when the project has not stored both secrets.
create or replace function app.request_edge_function(function_name text, timeout_milliseconds integer)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_url text;
  v_key text;
begin
  select s.decrypted_secret into v_url from vault.decrypted_secrets s where s.name = 'project_url';
  select s.decrypted_secret into v_key from vault.decrypted_secrets s where s.name = 'service_role_key';
  if v_url is null or v_key is null then
    return null;
  end if;
  return net.http_post(
    url := rtrim(v_url, '/') || '/functions/v1/' || request_edge_function.function_name,
    body := '{}'::jsonb,
    params := '{}'::jsonb,
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || v_key),
    timeout_milliseconds := request_edge_function.timeout_milliseconds
  );
end;
$$;
comment on function app.request_edge_function(text, integer) is
  'pg_cron jobs: asks an Edge Function of this project to run (net.http_post with the project URL and service role key from Vault); null without those secrets.';
revoke execute on function app.request_edge_function(text, integer) from public, anon, authenticated;

create or replace function app.request_outbox_drain()
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
begin
  if not exists (select 1 from app.email_outbox o where o.status = 'queued' and o.next_attempt_at <= now()) then
    return null;
  end if;
  return app.request_edge_function('outbox-drain', 30000);
end;
$$;
comment on function app.request_outbox_drain() is
  'pg_cron, every minute: asks the outbox-drain Edge Function to deliver due mail (net.http_post, secrets from Vault).';
revoke execute on function app.request_outbox_drain() from public, anon, authenticated;

-- execute_action becomes a guard and a dispatcher over one small function per action kind
-- (app.action_snooze, app.action_skip, app.action_escalate, app.action_schedule_meeting,
-- app.action_send_email, app.action_create_task, app.action_custom), and `escalated` is a
-- hold (docs/escalation-loop.md "Escalation, hand-back and reassignment").
--
-- Why: one body for every action could not be read on one screen, and the escalation loop
-- needs a rule in the guard that every action obeys:
-- - an escalated workflow refuses every action (PT409): it waits for its assignee to
--   withdraw the escalation or for a manager's decision (resolve_escalation), so the
--   assignee cannot keep working on it, escalate it again or skip its steps;
-- - escalate also opens the workflow's row in app.workflow_escalations (with the status
--   and snooze it had, so a return puts it back there) and records the snooze it ends.
--
-- Each app.action_<kind>(a, e, params, log_id) runs as the caller (RLS applies) — what it
-- records in the execution's history or the step's outcome names its log row — after the
-- guard has claimed the idempotency key and locked the execution, and returns
-- {params, result, side_effects}: the params as applied (defaults filled in), the result
-- and the side effects the log records.

-- What the messages of an action name: the customer's and the workflow's names.
create or replace function app.action_context(e app.workflow_executions)
returns table (customer_name text, workflow_name text)
language sql
stable
set search_path = ''
as $$
  select c.name, w.name
    from app.customers c, app.workflows w
   where c.id = (action_context.e).customer_id and w.id = (action_context.e).workflow_id
$$;
revoke execute on function app.action_context(app.workflow_executions) from public, anon;
grant execute on function app.action_context(app.workflow_executions) to authenticated, service_role;

-- ---------------------------------------------------------------------------- snooze
create or replace function app.action_snooze(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_settings app.organisation_settings;
  v_min integer;
  v_max integer;
  v_days integer;
  v_reason text;
  v_until timestamptz;
begin
  select * into v_settings from app.organisation_settings s where s.org_id = e.org_id;
  v_min := coalesce((a.config ->> 'min_days')::integer, v_settings.snooze_min_days, 1);
  v_max := coalesce((a.config ->> 'max_days')::integer, v_settings.snooze_max_days, 30);
  if params ? 'days' then
    if jsonb_typeof(params -> 'days') <> 'number' or (params ->> 'days')::numeric <> trunc((params ->> 'days')::numeric) then
      raise exception 'days must be a whole number of days between % and %', v_min, v_max using errcode = '22023';
    end if;
    v_days := (params ->> 'days')::numeric::integer;
  else
    v_days := coalesce((a.config ->> 'default_days')::integer, v_settings.snooze_default_days, 7);
  end if;
  if v_days < v_min or v_days > v_max then
    raise exception 'days must be between % and %', v_min, v_max using errcode = '22023',
      hint = 'Snooze for ' || v_min || ' to ' || v_max || ' days.';
  end if;
  v_reason := nullif(btrim(params ->> 'reason'), '');
  if v_reason is null and coalesce((a.config ->> 'reason_required')::boolean, true) then
    raise exception 'reason is required to snooze a workflow' using errcode = '22023';
  end if;
  if e.status = 'snoozed' then
    raise exception 'Cannot snooze this workflow: it is already snoozed until %', e.snoozed_until using errcode = 'PT409',
      hint = 'Wait until it returns to the queue, or wake it to resume now.';
  end if;
  v_until := now() + make_interval(days => v_days);
  update app.workflow_executions x
     set status = 'snoozed',
         snoozed_until = v_until,
         metadata = app.with_history(x.metadata, jsonb_build_object(
           'event', 'snoozed', 'days', v_days, 'reason', v_reason, 'from_status', e.status, 'until', v_until,
           'action_log_id', log_id))
   where x.id = e.id;
  return jsonb_build_object(
    'params', params || jsonb_build_object('days', v_days),
    'result', jsonb_build_object('snoozed_until', v_until, 'days', v_days, 'reason', v_reason),
    'side_effects', '[]'::jsonb);
end;
$$;
revoke execute on function app.action_snooze(app.saved_actions, app.workflow_executions, jsonb, uuid) from public, anon;
grant execute on function app.action_snooze(app.saved_actions, app.workflow_executions, jsonb, uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------- skip
create or replace function app.action_skip(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_reasons jsonb := coalesce(a.config -> 'reasons',
    '["Not applicable", "Already completed", "Customer requested skip", "Internal decision", "Other"]'::jsonb);
  v_reason text := params ->> 'reason';
begin
  if v_reason is null or not (v_reasons ? v_reason) then
    raise exception 'reason must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_reasons) r)
      using errcode = '22023';
  end if;
  if e.status <> 'in_progress' then
    raise exception 'Cannot skip a step: the workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'Start the workflow first.';
  end if;
  return jsonb_build_object(
    'params', params,
    'result', app.finish_step(e, params ->> 'step_key', 'skipped',
                              jsonb_strip_nulls(jsonb_build_object('note', params ->> 'note', 'action_log_id', log_id)), v_reason),
    'side_effects', '[]'::jsonb);
end;
$$;
revoke execute on function app.action_skip(app.saved_actions, app.workflow_executions, jsonb, uuid) from public, anon;
grant execute on function app.action_skip(app.saved_actions, app.workflow_executions, jsonb, uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------- escalate
-- The escalation row is written before the status, so the trigger that opens a missing
-- escalation (app.executions_open_their_escalation) finds it and adds nothing.
create or replace function app.action_escalate(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_levels jsonb := coalesce(a.config -> 'levels', to_jsonb(app.lookup_keys('escalation_level')));
  v_level text := coalesce(params ->> 'level', a.config ->> 'default_level', 'manager');
  v_reason text := nullif(btrim(params ->> 'reason'), '');
  v_assignee uuid;
  v_manager uuid;
  v_customer_name text;
  v_workflow_name text;
  v_id uuid;
  v_effects jsonb;
begin
  if not (v_levels ? v_level) then
    raise exception 'level must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_levels) r)
      using errcode = '22023';
  end if;
  if v_reason is null then
    raise exception 'reason is required to escalate a workflow' using errcode = '22023';
  end if;
  select x.customer_name, x.workflow_name into v_customer_name, v_workflow_name from app.action_context(e) x;
  v_assignee := coalesce(e.assigned_to, v_me);
  select p.manager_id into v_manager from app.profiles p where p.id = v_assignee;
  -- The escalation row first: the status trigger below then finds it and adds none.
  insert into app.workflow_escalations (org_id, execution_id, level, reason, escalated_by, assignee_id, manager_id,
                                        from_status, from_snoozed_until, action_execution_id)
  values (e.org_id, e.id, v_level, v_reason, v_me, v_assignee, v_manager, e.status, e.snoozed_until, log_id);
  update app.workflow_executions x
     set status = 'escalated',
         snoozed_until = null,
         metadata = app.with_history(x.metadata, jsonb_build_object(
                      'event', 'escalated', 'level', v_level, 'reason', v_reason, 'from_status', e.status))
                    || jsonb_build_object('escalations', coalesce(x.metadata -> 'escalations', '[]'::jsonb) || jsonb_build_array(
                      jsonb_strip_nulls(jsonb_build_object('level', v_level, 'reason', v_reason, 'by', v_me, 'at', now(),
                                         'manager_id', v_manager, 'from_status', e.status, 'snoozed_until', e.snoozed_until))))
   where x.id = e.id;
  if v_manager is not null then
    -- The id is made here: RLS lets the caller write the manager's notification but not read it back.
    v_id := gen_random_uuid();
    insert into app.notifications (id, org_id, user_id, notification_type, title, body, data)
    values (v_id, e.org_id, v_manager, 'escalation',
            'Escalated to you: ' || v_workflow_name || ' for ' || v_customer_name,
            v_reason,
            jsonb_build_object('execution_id', e.id, 'level', v_level, 'escalated_by', v_me, 'assignee_id', v_assignee));
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'notify_manager', 'status', 'delivered', 'recipient_id', v_manager, 'notification_id', v_id,
      'attempts', 1, 'error', null, 'updated_at', now()));
  else
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'notify_manager', 'status', 'skipped', 'recipient_id', null, 'attempts', 0,
      'error', 'The assignee has no manager to notify', 'updated_at', now()));
  end if;
  return jsonb_build_object(
    'params', params || jsonb_build_object('level', v_level),
    'result', jsonb_build_object('level', v_level, 'reason', v_reason, 'manager_id', v_manager, 'notification_id', v_id),
    'side_effects', v_effects);
end;
$$;
revoke execute on function app.action_escalate(app.saved_actions, app.workflow_executions, jsonb, uuid) from public, anon;
grant execute on function app.action_escalate(app.saved_actions, app.workflow_executions, jsonb, uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------- schedule_meeting
create or replace function app.action_schedule_meeting(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_durations jsonb := coalesce(a.config -> 'durations_minutes', '[15, 30, 45, 60]'::jsonb);
  v_minutes integer;
  v_when timestamptz;
  v_attendees text[];
  v_title text;
  v_assignee uuid := coalesce(e.assigned_to, v_me);
  v_customer_name text;
  v_workflow_name text;
  v_task_id uuid;
  v_id uuid;
  v_uid text;
begin
  if params ? 'duration_minutes' then
    if jsonb_typeof(params -> 'duration_minutes') <> 'number' or not (v_durations @> jsonb_build_array(params -> 'duration_minutes')) then
      raise exception 'duration_minutes must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_durations) r)
        using errcode = '22023';
    end if;
    v_minutes := (params ->> 'duration_minutes')::numeric::integer;
  else
    v_minutes := coalesce((a.config ->> 'default_duration_minutes')::integer, 30);
  end if;
  v_when := app.timestamp_param(params, 'scheduled_at');
  if v_when is null then
    raise exception 'scheduled_at is required: the date and time of the meeting' using errcode = '22023';
  end if;
  v_attendees := app.email_list(params -> 'attendees');
  if v_attendees is null then
    raise exception 'attendees must be a list of email addresses' using errcode = '22023';
  end if;
  select x.customer_name, x.workflow_name into v_customer_name, v_workflow_name from app.action_context(e) x;
  v_title := coalesce(nullif(btrim(params ->> 'title'), ''), 'Follow-up: ' || v_customer_name);
  insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                  priority, assigned_to, created_by, due_date, metadata)
  values (e.org_id, e.customer_id, e.id, e.current_step_key, 'Hold meeting: ' || v_title,
          'Meeting of ' || v_minutes || ' minutes scheduled from ' || v_workflow_name || '.',
          coalesce(a.config ->> 'creates_task_type', 'schedule_meeting'), 'medium', v_assignee, v_me, v_when,
          jsonb_build_object('action_execution_id', log_id))
  returning id into v_task_id;
  insert into app.workflow_meetings (org_id, execution_id, action_execution_id, task_id, organiser_id, title,
                                     scheduled_at, duration_minutes, attendees)
  values (e.org_id, e.id, log_id, v_task_id, v_me, v_title, v_when, v_minutes, v_attendees)
  returning id, invite_uid into v_id, v_uid;
  update app.workflow_executions x
     set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'meeting_scheduled', 'meeting_id', v_id))
                    || jsonb_build_object('meetings', coalesce(x.metadata -> 'meetings', '[]'::jsonb) || jsonb_build_array(
                      jsonb_build_object('id', v_id, 'title', v_title, 'scheduled_at', v_when, 'duration_minutes', v_minutes,
                                         'attendees', to_jsonb(v_attendees), 'task_id', v_task_id)))
   where x.id = e.id;
  return jsonb_build_object(
    'params', params || jsonb_build_object('duration_minutes', v_minutes),
    'result', jsonb_build_object('meeting_id', v_id, 'task_id', v_task_id, 'title', v_title, 'scheduled_at', v_when,
                                 'duration_minutes', v_minutes, 'attendees', to_jsonb(v_attendees), 'invite_uid', v_uid,
                                 'organiser_email', (select p.email from app.profiles p where p.id = v_me),
                                 'description', v_workflow_name || ' for ' || v_customer_name),
    'side_effects', jsonb_build_array(jsonb_build_object(
      'type', 'calendar_invite', 'status', 'pending', 'meeting_id', v_id, 'attempts', 0, 'error', null, 'updated_at', now())));
end;
$$;
revoke execute on function app.action_schedule_meeting(app.saved_actions, app.workflow_executions, jsonb, uuid) from public, anon;
grant execute on function app.action_schedule_meeting(app.saved_actions, app.workflow_executions, jsonb, uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------- create_task
create or replace function app.action_create_task(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_when timestamptz := app.timestamp_param(params, 'due_date');
  v_priorities text[] := coalesce(array(select jsonb_array_elements_text(a.config -> 'priorities')), app.lookup_keys('task_priority'));
  v_priority text := coalesce(params ->> 'priority', a.config ->> 'default_priority', 'medium');
  v_type text := coalesce(params ->> 'task_type', a.config ->> 'default_task_type', 'follow_up');
  v_assignee uuid;
  v_customer_name text;
  v_workflow_name text;
  v_title text;
  v_task_id uuid;
begin
  if v_when is null then
    raise exception 'due_date is required for a follow-up task' using errcode = '22023';
  end if;
  -- The action's config may offer fewer priorities than the organisation knows.
  perform app.require_task_priority(v_priority, 'priority', v_priorities);
  perform app.require_task_type(v_type, 'task_type');
  if params ? 'assigned_to' then
    v_assignee := app.uuid_param(params, 'assigned_to');
    if v_assignee is null or not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = e.org_id) then
      raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
    end if;
  else
    v_assignee := coalesce(e.assigned_to, v_me);
  end if;
  select x.customer_name, x.workflow_name into v_customer_name, v_workflow_name from app.action_context(e) x;
  v_title := coalesce(nullif(btrim(params ->> 'title'), ''), 'Follow up with ' || v_customer_name);
  insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                  priority, assigned_to, created_by, due_date, metadata)
  values (e.org_id, e.customer_id, e.id, e.current_step_key, v_title, params ->> 'description', v_type,
          v_priority, v_assignee, v_me, v_when, jsonb_build_object('action_execution_id', log_id))
  returning id into v_task_id;
  if v_assignee <> v_me then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (e.org_id, v_assignee, 'task_assigned', 'New task: ' || v_title,
            'Assigned to you from ' || v_workflow_name || ' for ' || v_customer_name || '.',
            jsonb_build_object('task_id', v_task_id, 'execution_id', e.id, 'assigned_by', v_me));
  end if;
  update app.workflow_executions x
     set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'task_created', 'task_id', v_task_id))
   where x.id = e.id;
  return jsonb_build_object(
    'params', params || jsonb_build_object('priority', v_priority),
    'result', jsonb_build_object('task_id', v_task_id, 'due_date', v_when, 'priority', v_priority, 'assigned_to', v_assignee),
    'side_effects', '[]'::jsonb);
end;
$$;
revoke execute on function app.action_create_task(app.saved_actions, app.workflow_executions, jsonb, uuid) from public, anon;
grant execute on function app.action_create_task(app.saved_actions, app.workflow_executions, jsonb, uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------- custom
create or replace function app.action_custom(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  update app.workflow_executions x
     set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'custom_action', 'action_key', a.key,
                                                                    'action_log_id', log_id))
   where x.id = e.id;
  return jsonb_build_object('params', params, 'result', jsonb_build_object('recorded', true), 'side_effects', '[]'::jsonb);
end;
$$;
revoke execute on function app.action_custom(app.saved_actions, app.workflow_executions, jsonb, uuid) from public, anon;
grant execute on function app.action_custom(app.saved_actions, app.workflow_executions, jsonb, uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------
-- How the API shows a proposal
-- ---------------------------------------------------------------------------------
create or replace function app.proposal_json(p app.action_proposals)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p.id,
    'execution_id', p.execution_id,
    'action_key', p.action_key,
    'action_name', (select s.name from app.saved_actions s
                     where s.key = p.action_key and (s.org_id = p.org_id or s.org_id is null)
                     order by s.org_id nulls last limit 1),
    'params', p.params,
    'rationale', p.rationale,
    'source', jsonb_build_object('kind', p.source, 'thread_id', p.thread_id, 'message_id', p.message_id, 'ref', p.source_ref),
    'proposed_for', p.proposed_for,
    -- An undecided proposal past its date is expired even before the hourly job marks it.
    'status', case when p.status = 'proposed' and p.expires_at <= now() then 'expired' else p.status end,
    'expires_at', p.expires_at,
    'decided_by', p.decided_by,
    'decided_at', p.decided_at,
    'decided_params', p.decided_params,
    'action_execution_id', p.action_execution_id,
    'action', (select jsonb_build_object('success', x.success, 'result', x.result, 'side_effects', x.side_effects)
                 from app.action_executions x where x.id = p.action_execution_id),
    'customer', (select jsonb_build_object('id', c.id, 'name', c.name)
                   from app.workflow_executions e join app.customers c on c.id = e.customer_id where e.id = p.execution_id),
    'workflow_name', (select w.name from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
                       where e.id = p.execution_id),
    'created_at', p.created_at)
$$;
revoke execute on function app.proposal_json(app.action_proposals) from public, anon;
grant execute on function app.proposal_json(app.action_proposals) to authenticated, service_role;

-- ---------------------------------------------------------------------------------
-- list_proposals
-- ---------------------------------------------------------------------------------
create or replace function public.list_proposals(status text default 'proposed', execution_id uuid default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_role text := app.current_member_role();
begin
  if list_proposals.status is null or list_proposals.status not in ('proposed', 'approved', 'rejected', 'expired', 'all') then
    raise exception 'status must be proposed, approved, rejected, expired or all' using errcode = '22023';
  end if;
  if app.current_org_id() is null then
    raise exception 'You are not a member of an organisation' using errcode = '42501';
  end if;
  if list_proposals.execution_id is not null
     and not exists (select 1 from app.workflow_executions x where x.id = list_proposals.execution_id) then
    raise exception 'Workflow execution not found' using errcode = 'PT404';
  end if;
  return coalesce((
    select jsonb_agg(j order by (j ->> 'created_at')::timestamptz desc)
      from (
        select app.proposal_json(p) as j
          from app.action_proposals p
          join app.workflow_executions e on e.id = p.execution_id
         where (list_proposals.execution_id is null or p.execution_id = list_proposals.execution_id)
           -- Without a workflow: the caller's own (assigned to them or proposed for them);
           -- managers and admins see their organisation's.
           and (list_proposals.execution_id is not null or v_role in ('manager', 'admin')
                or e.assigned_to = v_me or p.proposed_for = v_me)
           and (list_proposals.status = 'all'
                or (list_proposals.status = 'proposed' and p.status = 'proposed' and p.expires_at > now())
                or (list_proposals.status = 'expired' and (p.status = 'expired' or (p.status = 'proposed' and p.expires_at <= now())))
                or (list_proposals.status in ('approved', 'rejected') and p.status = list_proposals.status))
         order by p.created_at desc
         limit 200
      ) rows_), '[]'::jsonb);
end;
$$;
comment on function public.list_proposals(text, uuid) is
  'AI proposals visible to the caller, newest first: of one workflow, or (without one) those awaiting the caller; managers see the organisation''s.';
revoke execute on function public.list_proposals(text, uuid) from public, anon;
grant execute on function public.list_proposals(text, uuid) to authenticated;

-- ---------------------------------------------------------------------------------
-- decide_proposal and its two writers
-- ---------------------------------------------------------------------------------

-- The proposal a decision is about, locked; PT404 when it is not visible, 42501 when the
-- caller may not change its workflow (viewers, another CSM's workflow).
create or replace function app.lock_proposal_for_decision(proposal_id uuid)
returns app.action_proposals
language plpgsql
volatile
security definer -- users hold no update privilege on proposals; this locks only one they may decide
set search_path = ''
as $$
declare
  p app.action_proposals;
begin
  select * into p from app.action_proposals x
   where x.id = lock_proposal_for_decision.proposal_id and x.org_id = app.current_org_id()
   for update;
  if not found then
    raise exception 'Proposal not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see proposals of your own organisation.';
  end if;
  if coalesce(app.current_member_role(), '') not in ('csm', 'manager', 'admin') or not app.can_work_on_execution(p.execution_id) then
    raise exception 'You may not decide proposals on this workflow' using errcode = '42501',
      hint = 'Only its assigned CSM, a manager or an admin can approve or reject them.';
  end if;
  return p;
end;
$$;
revoke execute on function app.lock_proposal_for_decision(uuid) from public, anon;
grant execute on function app.lock_proposal_for_decision(uuid) to authenticated;

create or replace function app.record_proposal_decision(
  proposal_id uuid,
  approved boolean,
  decided_params jsonb,
  action_execution_id uuid,
  idempotency_key text
)
returns app.action_proposals
language plpgsql
volatile
security definer -- users hold no update privilege on proposals; this writes the caller's own decision once
set search_path = ''
as $$
declare
  p app.action_proposals;
begin
  update app.action_proposals x
     set status = case when record_proposal_decision.approved then 'approved' else 'rejected' end,
         decided_by = (select auth.uid()), decided_at = now(),
         decided_params = record_proposal_decision.decided_params,
         action_execution_id = record_proposal_decision.action_execution_id,
         idempotency_key = record_proposal_decision.idempotency_key
   where x.id = record_proposal_decision.proposal_id
     and x.org_id = app.current_org_id()
     and x.status = 'proposed'
     and app.can_work_on_execution(x.execution_id)
     -- An approval names a log row the caller wrote for this workflow and action.
     and (not record_proposal_decision.approved or exists (
           select 1 from app.action_executions a
            where a.id = record_proposal_decision.action_execution_id and a.executed_by = (select auth.uid())
              and a.execution_id = x.execution_id and a.action_key = x.action_key))
  returning x.* into p;
  if not found then
    raise exception 'This proposal cannot take this decision' using errcode = '42501',
      hint = 'Decide a proposal with decide_proposal.';
  end if;
  update app.notifications n set read_at = coalesce(n.read_at, now())
   where n.user_id = (select auth.uid()) and n.notification_type = 'proposal' and n.data ->> 'proposal_id' = p.id::text;
  return p;
end;
$$;
revoke execute on function app.record_proposal_decision(uuid, boolean, jsonb, uuid, text) from public, anon;
grant execute on function app.record_proposal_decision(uuid, boolean, jsonb, uuid, text) to authenticated;

create or replace function public.decide_proposal(
  proposal_id uuid,
  approve boolean,
  params jsonb default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  p app.action_proposals;
  v_params jsonb;
  v_action jsonb;
  v_key text := decide_proposal.idempotency_key;
begin
  if decide_proposal.proposal_id is null or decide_proposal.approve is null then
    raise exception 'proposal_id and approve are required' using errcode = '22023';
  end if;
  if decide_proposal.params is not null and jsonb_typeof(decide_proposal.params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  if v_key is not null and (btrim(v_key) = '' or length(v_key) > 200) then
    raise exception 'idempotency_key must be 1 to 200 characters' using errcode = '22023';
  end if;
  if not decide_proposal.approve and decide_proposal.params is not null then
    raise exception 'params are for an approval; a rejection executes nothing' using errcode = '22023';
  end if;

  p := app.lock_proposal_for_decision(decide_proposal.proposal_id);

  if p.status <> 'proposed' then
    -- The same decision again, by the same person with the same key: its stored outcome.
    if p.decided_by = (select auth.uid()) and v_key is not null and p.idempotency_key = v_key
       and (p.status = 'approved') = decide_proposal.approve then
      return jsonb_build_object('proposal', app.proposal_json(p), 'action', case when p.action_execution_id is null then null
               else public.execute_action(p.action_key, p.execution_id, p.decided_params, 'proposal:' || p.id) end,
               'replayed', true);
    end if;
    raise exception 'This proposal was already %', p.status using errcode = 'PT409',
      hint = 'Only a proposal still waiting can be approved or rejected.';
  end if;
  if p.expires_at <= now() then
    raise exception 'This proposal expired on %', to_char(p.expires_at, 'YYYY-MM-DD') using errcode = 'PT409',
      hint = 'Ask the assistant again, or run the action yourself.';
  end if;

  if decide_proposal.approve then
    v_params := coalesce(decide_proposal.params, p.params);
    -- The action's own key is the proposal's: one proposal is executed at most once.
    v_action := public.execute_action(p.action_key, p.execution_id, v_params, 'proposal:' || p.id);
    p := app.record_proposal_decision(p.id, true, v_params, (v_action ->> 'action_execution_id')::uuid, v_key);
  else
    p := app.record_proposal_decision(p.id, false, null, null, v_key);
  end if;
  return jsonb_build_object('proposal', app.proposal_json(p), 'action', v_action, 'replayed', false);
end;
$$;
comment on function public.decide_proposal(uuid, boolean, jsonb, text) is
  'Approves (executes the action through execute_action as the caller, optionally with edited params; the log is linked) or rejects an AI proposal.';
revoke execute on function public.decide_proposal(uuid, boolean, jsonb, text) from public, anon;
grant execute on function public.decide_proposal(uuid, boolean, jsonb, text) to authenticated;

-- ---------------------------------------------------------------------------------
-- Expiry: undecided proposals expire after 7 days (hourly)
-- ---------------------------------------------------------------------------------
create or replace function app.expire_action_proposals()
returns integer
language sql
volatile
set search_path = ''
as $$
  with expired as (
    update app.action_proposals p set status = 'expired'
     where p.status = 'proposed' and p.expires_at <= now()
    returning 1)
  select count(*)::integer from expired
$$;
comment on function app.expire_action_proposals() is 'Marks proposals undecided for 7 days as expired (the hourly job).';
revoke execute on function app.expire_action_proposals() from public, anon;
grant execute on function app.expire_action_proposals() to service_role;

-- A failed email can be retried from Sent mail (issue 12 item 6; docs/branches-and-proposals.md "Email: sent
-- once": after the last backoff attempt a message is `failed`, "shown in Sent mail with a
-- retry button").
--
--   failed ──retry_outbox_message──► queued (attempts 0, due now) ──drain──► sending ──► sent | …
--
-- Who: the people who may send it — the CSM who can work on its workflow, a manager or an
-- admin of its organisation (viewers and other CSMs: 42501; another organisation: PT404).
-- Guard first: the row is locked, must be `failed` (anything else is PT409 with what it
-- is), and is refused when the same draft has been sent again since (a deliberate resend
-- is queued, on its way or delivered): retrying then would deliver the email twice.
-- The send_email side effect of its action log follows (pending again), through a
-- security definer helper because users cannot write the action log.

create or replace function app.sync_retried_email_effect(outbox_id uuid)
returns void
language plpgsql
volatile
security definer -- users cannot write the action log; this only re-syncs a row the caller just re-queued
set search_path = ''
as $$
declare
  o app.email_outbox;
begin
  select * into o from app.email_outbox x
   where x.id = sync_retried_email_effect.outbox_id and x.org_id = app.current_org_id()
     and x.status = 'queued' and x.attempts = 0;
  if found then
    perform app.sync_send_email_effect(o);
  end if;
end;
$$;
revoke execute on function app.sync_retried_email_effect(uuid) from public, anon;
grant execute on function app.sync_retried_email_effect(uuid) to authenticated;

create or replace function public.retry_outbox_message(outbox_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  o app.email_outbox;
  v_role text := app.current_member_role();
begin
  if retry_outbox_message.outbox_id is null then
    raise exception 'outbox_id is required' using errcode = '22023';
  end if;
  -- Visible first (a plain read), then allowed, then locked: FOR UPDATE would apply the
  -- update policy and answer "not found" where the truth is "not yours".
  select * into o from app.email_outbox x where x.id = retry_outbox_message.outbox_id;
  if not found then
    raise exception 'Email not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see your own organisation''s email.';
  end if;
  if coalesce(v_role, '') not in ('csm', 'manager', 'admin')
     or (v_role = 'csm' and (o.execution_id is null or not app.can_work_on_execution(o.execution_id))) then
    raise exception 'You may not send this email' using errcode = '42501',
      hint = 'The CSM of its workflow, a manager or an admin can retry it.';
  end if;
  select * into o from app.email_outbox x where x.id = o.id for update;
  if o.status <> 'failed' then
    raise exception 'Only a failed email can be retried; this one is %', case o.status
        when 'queued' then 'queued' when 'sending' then 'being sent' when 'cancelled' then 'cancelled' else 'already sent' end
      using errcode = 'PT409', hint = 'Sent mail shows its current status.';
  end if;
  if o.artifact_id is not null and exists (
       select 1 from app.email_outbox y
        where y.artifact_id = o.artifact_id and y.id <> o.id and y.created_at > o.created_at
          and y.status in ('queued', 'sending', 'sent', 'delivered_to_sink')) then
    raise exception 'This email was sent again since it failed' using errcode = 'PT409',
      hint = 'Retrying would deliver it twice; see the newer message in Sent mail.';
  end if;

  update app.email_outbox x
     set status = 'queued', attempts = 0, next_attempt_at = now(), lease_token = null, lease_expires_at = null,
         last_error = 'Retried after: ' || left(coalesce(x.last_error, 'a failure'), 480)
   where x.id = o.id
  returning x.* into o;
  perform app.sync_retried_email_effect(o.id);
  if o.execution_id is not null then
    update app.workflow_executions e
       set metadata = app.with_history(e.metadata, jsonb_build_object('event', 'email_retried', 'outbox_id', o.id))
     where e.id = o.execution_id and app.can_work_on_execution(e.id);
  end if;
  return jsonb_build_object('id', o.id, 'status', o.status, 'attempts', o.attempts, 'next_attempt_at', o.next_attempt_at,
                            'last_error', o.last_error, 'artifact_id', o.artifact_id, 'execution_id', o.execution_id);
end;
$$;
comment on function public.retry_outbox_message(uuid) is
  'Re-queues a failed email (attempts start again) for the scheduled drain; only for those who may send it, never after it was re-sent.';
revoke execute on function public.retry_outbox_message(uuid) from public, anon;
grant execute on function public.retry_outbox_message(uuid) to authenticated;

-- A proposal's params are small: at most 16 kB of JSON (an action's arguments are a few
-- fields; the same bound as log_engagement's details).
--
-- Why: propose_action checked that params is an object but not its size, so an agent with a
-- person's token (or a confused assistant) could store megabytes per proposal, and each one
-- lands in the assignee's notification list and proposal inbox. A trigger, so the rule holds
-- for the person's insert policy, the assistant's service-role path and a decision's edited
-- params alike, without replacing propose_action or decide_proposal.

create or replace function app.refuse_oversized_proposal_params()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if octet_length(new.params::text) > 16000 or octet_length(coalesce(new.decided_params, '{}'::jsonb)::text) > 16000 then
    raise exception 'params must be at most 16 kB of JSON' using errcode = '22023',
      hint = 'A proposal names an action''s arguments, not documents; put long text in an artifact.';
  end if;
  return new;
end;
$$;
comment on function app.refuse_oversized_proposal_params() is 'Trigger: a proposal''s params and decided params are at most 16 kB (22023).';
revoke execute on function app.refuse_oversized_proposal_params() from public, anon;

-- action executions
select app.create_org_policies('app.action_executions', 'action executions', readers => 'members');

-- email outbox
select app.create_org_policies('app.email_outbox', 'outgoing email', readers => 'members', writers => 'managers', commands => '{delete}');
select app.create_org_policies('app.email_outbox', 'email', writers => 'workers on execution, if any', commands => '{insert,update}', verbs => '{queue,"change queued"}');

select app.create_org_policies('app.workflow_meetings', 'meetings', readers => 'members', writers => 'workers on execution', commands => '{insert,update}', verbs => '{schedule,change}');
select app.create_org_policies('app.workflow_meetings', 'meetings', writers => 'managers', commands => '{delete}');

select app.create_org_policies('app.action_proposals', 'proposals', readers => 'members');

-- ---------------------------------------------------------------------------------
-- propose_action
-- ---------------------------------------------------------------------------------
-- An agent's proposal is stored with the person's own token (the mcp function acts as
-- them): only as an agent proposal, for themselves, on a workflow they may work on.
create policy "People can store agent proposals for themselves on their workflows"
  on app.action_proposals for insert to authenticated
  with check (org_id = (select app.current_org_id()) and source = 'agent' and proposed_for = (select auth.uid())
              and status = 'proposed' and decided_by is null and action_execution_id is null
              and thread_id is null and message_id is null and app.can_work_on_execution(execution_id));

select app.create_touch_triggers('app.action_executions', 'app.email_outbox', 'app.workflow_meetings', 'app.action_proposals');

create trigger email_outbox_index_history after insert or update of status, subject, body_text on app.email_outbox
  for each row execute function app.index_email_history();

create trigger email_outbox_forget_history after delete on app.email_outbox
  for each row execute function app.forget_history_source('email');

create trigger action_proposals_params_are_small
  before insert or update of params, decided_params on app.action_proposals
  for each row execute function app.refuse_oversized_proposal_params();

do $$
begin
  -- Hosted Supabase ships pg_net; enabling it here is what the dashboard's switch does.
  if exists (select from pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net;
  end if;
end
$$;
