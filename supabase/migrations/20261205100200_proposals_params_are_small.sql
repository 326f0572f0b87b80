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

create trigger action_proposals_params_are_small
  before insert or update of params, decided_params on app.action_proposals
  for each row execute function app.refuse_oversized_proposal_params();
