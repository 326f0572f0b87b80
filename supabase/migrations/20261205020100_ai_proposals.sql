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

-- A `proposal` notification type (the escalation loop's migration widens the same list;
-- this only adds it when that has not happened, so the two never undo each other).
do $$
begin
  if not exists (select 1 from pg_constraint c
                  where c.conname = 'notifications_type_is_known' and c.conrelid = 'app.notifications'::regclass
                    and pg_get_constraintdef(c.oid) like '%''proposal''%') then
    alter table app.notifications drop constraint notifications_type_is_known;
    alter table app.notifications add constraint notifications_type_is_known check (notification_type in (
      'escalation', 'escalation_resolved', 'task_assigned', 'task_reassigned', 'task_due', 'task_force_action',
      'workflow_assigned', 'workflow_woken', 'mention', 'proposal', 'system'));
  end if;
end;
$$;

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
  constraint action_proposals_thread_is_in_organisation foreign key (thread_id, org_id)
    references app.workflow_chat_threads (id, org_id) on delete set null (thread_id),
  constraint action_proposals_message_is_in_organisation foreign key (message_id, org_id)
    references app.workflow_chat_messages (id, org_id) on delete set null (message_id),
  constraint action_proposals_proposed_for_is_in_organisation foreign key (proposed_for, org_id)
    references app.profiles (id, org_id) on delete cascade,
  constraint action_proposals_decided_by_is_in_organisation foreign key (decided_by, org_id)
    references app.profiles (id, org_id) on delete set null (decided_by),
  constraint action_proposals_action_log_is_in_organisation foreign key (action_execution_id, org_id)
    references app.action_executions (id, org_id) on delete set null (action_execution_id)
);
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
comment on table app.action_proposals is
  'Actions the assistant proposed; a person approves (executed through execute_action, log linked) or rejects; undecided ones expire after 7 days.';

create trigger action_proposals_touch_updated_at before update on app.action_proposals
  for each row execute function app.touch_updated_at();

alter table app.action_proposals enable row level security;

create policy "Members can read their organisation's proposals"
  on app.action_proposals for select to authenticated
  using (org_id = (select app.current_org_id()));

grant select on app.action_proposals to authenticated;
grant select, insert, update, delete on app.action_proposals to service_role;

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
-- propose_action
-- ---------------------------------------------------------------------------------
-- An agent's proposal is stored with the person's own token (the mcp function acts as
-- them): only as an agent proposal, for themselves, on a workflow they may work on.
create policy "People can store agent proposals for themselves on their workflows"
  on app.action_proposals for insert to authenticated
  with check (org_id = (select app.current_org_id()) and source = 'agent' and proposed_for = (select auth.uid())
              and status = 'proposed' and decided_by is null and action_execution_id is null
              and thread_id is null and message_id is null and app.can_work_on_execution(execution_id));
grant insert on app.action_proposals to authenticated;

create or replace function public.propose_action(
  action_key text,
  rationale text,
  params jsonb default '{}'::jsonb,
  execution_id uuid default null,
  thread_id uuid default null,
  message_id uuid default null,
  author_id uuid default null,
  source text default null,
  source_ref text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
#variable_conflict use_column
declare
  e app.workflow_executions;
  author app.profiles;
  thread app.workflow_chat_threads;
  p app.action_proposals;
  v_service boolean := current_user = 'service_role';
  v_source text := coalesce(propose_action.source, case when propose_action.thread_id is not null then 'thread' else 'agent' end);
  v_author uuid := propose_action.author_id;
  v_execution uuid := propose_action.execution_id;
  v_params jsonb := coalesce(propose_action.params, '{}'::jsonb);
  v_recipient uuid;
  v_customer text;
  v_action_name text;
begin
  if v_source not in ('thread', 'brief', 'agent') then
    raise exception 'source must be thread, brief or agent' using errcode = '22023';
  end if;
  if not v_service then
    -- A person (an agent acting with their token) proposes for themselves, as an agent.
    if v_source <> 'agent' then
      raise exception 'Only the assistant stores chat and brief proposals' using errcode = '42501',
        hint = 'Agents propose with source agent; the chat''s proposals come from the assistant itself.';
    end if;
    if v_author is not null and v_author is distinct from (select auth.uid()) then
      raise exception 'You can only propose for yourself' using errcode = '42501';
    end if;
    v_author := (select auth.uid());
  end if;
  if v_author is null then
    raise exception 'author_id is required: the person the assistant works for' using errcode = '22023';
  end if;
  if coalesce(btrim(propose_action.rationale), '') = '' or length(propose_action.rationale) > 2000 then
    raise exception 'rationale is required (at most 2000 characters): why this action helps' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;

  if v_source = 'thread' then
    -- A tool call of the reply being answered (takes the thread's writer lock).
    perform app.assistant_reply_in_flight(propose_action.thread_id, propose_action.message_id);
    select t.* into thread from app.workflow_chat_threads t where t.id = propose_action.thread_id;
    if v_execution is not null and v_execution <> thread.execution_id then
      raise exception 'execution_id is not the workflow of this chat' using errcode = '22023';
    end if;
    v_execution := thread.execution_id;
  elsif propose_action.thread_id is not null or propose_action.message_id is not null then
    raise exception 'thread_id and message_id belong to chat proposals (source thread)' using errcode = '22023';
  end if;
  if v_execution is null then
    raise exception 'execution_id is required' using errcode = '22023';
  end if;

  select * into e from app.workflow_executions x where x.id = v_execution;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  select * into author from app.profiles x where x.id = v_author and x.org_id = e.org_id;
  if not found or author.role not in ('csm', 'manager', 'admin')
     or (author.role = 'csm' and e.assigned_to is not null and e.assigned_to <> author.id) then
    raise exception 'This person may not work on this workflow' using errcode = '42501',
      hint = 'Proposals are for the CSM assigned to the workflow, a manager or an admin of its organisation.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot propose an action on this workflow: it is %', app.status_words(e.status) using errcode = 'PT409';
  end if;
  select s.name into v_action_name from app.saved_actions s
   where s.key = propose_action.action_key and s.is_active and (s.org_id is null or s.org_id = e.org_id)
   order by s.org_id nulls last limit 1;
  if v_action_name is null then
    raise exception 'action_key "%" is not an action available to this organisation', propose_action.action_key
      using errcode = '22023', hint = 'Use one of list_saved_actions.';
  end if;

  insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, thread_id, message_id,
                                    source_ref, proposed_for)
  values (e.org_id, e.id, propose_action.action_key, v_params, btrim(propose_action.rationale), v_source,
          propose_action.thread_id, propose_action.message_id, left(nullif(btrim(propose_action.source_ref), ''), 200), author.id)
  on conflict (execution_id, action_key, md5(params::text)) where status = 'proposed' do nothing
  returning * into p;

  if p.id is null then
    -- The same suggestion is already waiting: return it, notify nobody again.
    select * into p from app.action_proposals x
     where x.execution_id = e.id and x.action_key = propose_action.action_key and x.params = v_params and x.status = 'proposed';
    return app.proposal_json(p) || jsonb_build_object('duplicate', true);
  end if;

  v_recipient := coalesce(e.assigned_to, author.id);
  select c.name into v_customer from app.customers c where c.id = e.customer_id;
  -- The id is made here: the caller may write the assignee's notification but not read it back.
  insert into app.notifications (id, org_id, user_id, notification_type, title, body, data)
  values (gen_random_uuid(), e.org_id, v_recipient, 'proposal',
          'Proposed: ' || v_action_name || ' for ' || coalesce(v_customer, 'a customer'),
          left(p.rationale, 500),
          jsonb_build_object('proposal_id', p.id, 'execution_id', e.id, 'action_key', p.action_key, 'source', v_source));
  return app.proposal_json(p) || jsonb_build_object('duplicate', false);
end;
$$;
comment on function public.propose_action(text, text, jsonb, uuid, uuid, uuid, uuid, text, text) is
  'Stores an AI proposal for a person to decide; executes nothing. Chat and brief proposals: the service role (author_id); agents: the person''s own token.';
revoke execute on function public.propose_action(text, text, jsonb, uuid, uuid, uuid, uuid, text, text) from public, anon;
grant execute on function public.propose_action(text, text, jsonb, uuid, uuid, uuid, uuid, text, text) to authenticated, service_role;

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

select cron.schedule('expire-action-proposals', '7 * * * *', $$select app.expire_action_proposals()$$);
