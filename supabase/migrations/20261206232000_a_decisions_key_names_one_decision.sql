-- A decision's idempotency key names one decision (docs/api-contract.md "Errors").
--
-- What and why: decide_proposal kept its key on the proposal it decided, and a replay was
-- recognised only on that proposal. The same person approving another proposal with a key
-- they had used already got a new decision (the action ran), where the API's rule, which
-- execute_action follows, is that a key names one request: the same key for a different
-- request is PT409 (an attacker's review). The key is now looked for on the person's other
-- decisions first, under an advisory lock per person and key so that two decisions sent at
-- once cannot both take it. No index is added: a person's decisions are found through
-- action_proposals_decided_by_idx. Restated whole from its latest definition
-- (20261205200000); the check is the only change.
-- supabase/tests/decide_proposal/a_key_names_one_decision.test.sql.

create or replace function public.decide_proposal(
  proposal_id uuid,
  approve boolean,
  params jsonb default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
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

  -- Serialised per person and key, so two decisions sent at once with one key cannot both
  -- take it (checked below, once the proposal is known to exist and be the caller's to decide).
  if v_key is not null then
    perform pg_catalog.pg_advisory_xact_lock(
      pg_catalog.hashtextextended('renubu.decision-key:' || (select auth.uid()) || ':' || v_key, 0));
  end if;

  p := app.lock_proposal_for_decision(decide_proposal.proposal_id);

  -- A key names one decision: the same person's key already on another proposal is another
  -- request (PT409), as execute_action's is.
  if v_key is not null and exists (select 1 from app.action_proposals x
                                    where x.decided_by = (select auth.uid()) and x.idempotency_key = v_key
                                      and x.id <> p.id) then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Use a new idempotency key for each decision; a retry repeats the same decision on the same proposal.';
  end if;

  if p.status <> 'proposed' then
    -- The same decision again, by the same person with the same key: its stored outcome.
    if p.decided_by = (select auth.uid()) and v_key is not null and p.idempotency_key = v_key
       and (p.status = 'approved') = decide_proposal.approve then
      -- … with the same params (none sent means the proposal's own, as on approval)
      if decide_proposal.approve and coalesce(decide_proposal.params, p.params) is distinct from p.decided_params then
        raise exception 'this key was used for a different request' using errcode = 'PT409',
          hint = 'A retry repeats the same decision with the same params; a new decision needs a new idempotency key.';
      end if;
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
