-- The agent attestation secret can be rotated while agents work: the proof the MCP server
-- made with the secret before a rotation is still believed for a grace period (docs/agents.md
-- "Who logged it", docs/deploy.md).
--
-- What and why: app.calling_agent (20261214500000, 20261215610000) believed a proof made with
-- the one secret of app.agent_attestation. A running mcp instance keeps the key it read, so
-- replacing the secret made every agent's call 42501 until each instance was redeployed or
-- restarted: a rotation was an outage.
-- Now the row also keeps the previous secret and until when it is believed
-- (previous_secret, previous_until): app.rotate_agent_attestation_secret(grace) makes a new
-- secret and keeps the old one for `grace` (one hour unless told); a proof is believed when
-- it is the current secret's or, until then, the previous one's
-- (app.agent_proof_is_right). The server signs with the current secret only (app.agent_proof,
-- public.agent_attestation_key, unchanged) and reads it again every minute
-- (functions-shared/mcp/attestation.ts), so within the grace every instance has moved to the
-- new one. Setting previous_secret to null ends the grace at once.
-- app.calling_agent is restated from 20261215610000; the proof's check is the change.
-- supabase/tests/agent_attribution/the_agent_attestation_secret_rotates_without_downtime.test.sql.

alter table app.agent_attestation
  add column previous_secret bytea,
  add column previous_until timestamptz,
  add constraint agent_attestation_previous_has_an_end check ((previous_secret is null) = (previous_until is null));
comment on column app.agent_attestation.previous_secret is
  'The secret before the last rotation, whose proofs are still believed until previous_until (app.agent_proof_is_right); null when none is.';

-- The proof for this token and name under `secret`: hex HMAC-SHA-256 of "<token>:<name as
-- base64>" (functions-shared/mcp/attestation.ts computes the same). The one definition, for
-- the current secret and the previous one.
create function app.agent_proof_under(secret bytea, token text, agent_base64 text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  return encode(extensions.hmac(convert_to(agent_proof_under.token || ':' || agent_proof_under.agent_base64, 'UTF8'),
                                agent_proof_under.secret, 'sha256'), 'hex');
end;
$$;
revoke execute on function app.agent_proof_under(bytea, text, text) from public, anon, authenticated;

-- Restated from 20261214500000 with the proof's one definition above: what the server sends.
create or replace function app.agent_proof(token text, agent_base64 text)
returns text
language plpgsql
stable
security definer -- reads the secret
set search_path = ''
as $$
begin
  return app.agent_proof_under(app.agent_attestation_secret(), agent_proof.token, agent_proof.agent_base64);
end;
$$;

-- Whether `proof` is the MCP server's for this token and name: made with the current secret,
-- or with the previous one while its grace lasts.
create function app.agent_proof_is_right(token text, agent_base64 text, proof text)
returns boolean
language plpgsql
stable
security definer -- reads the secrets
set search_path = ''
as $$
declare
  v_row app.agent_attestation;
begin
  select * into v_row from app.agent_attestation;
  return agent_proof_is_right.proof = app.agent_proof_under(v_row.secret, agent_proof_is_right.token, agent_proof_is_right.agent_base64)
      or (v_row.previous_secret is not null and now() < v_row.previous_until
          and agent_proof_is_right.proof = app.agent_proof_under(v_row.previous_secret, agent_proof_is_right.token, agent_proof_is_right.agent_base64));
end;
$$;
comment on function app.agent_proof_is_right(text, text, text) is
  'Whether an x-renubu-agent-proof is the mcp function''s for this bearer token and agent: the current secret''s, or the previous one''s until its grace ends.';
revoke execute on function app.agent_proof_is_right(text, text, text) from public, anon, authenticated;

-- A new secret; the current one becomes the previous, believed for `grace`. For the operator
-- (psql or the SQL editor); no API role may call it.
create function app.rotate_agent_attestation_secret(grace interval default interval '1 hour')
returns timestamptz
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_until timestamptz;
begin
  if grace is null or grace < interval '0' or grace > interval '7 days' then
    raise exception 'grace must be between 0 and 7 days' using errcode = '22023';
  end if;
  update app.agent_attestation
     set previous_secret = secret, previous_until = now() + rotate_agent_attestation_secret.grace,
         secret = extensions.gen_random_bytes(32)
  returning previous_until into v_until;
  return v_until;
end;
$$;
comment on function app.rotate_agent_attestation_secret(interval) is
  'Rotates the agent attestation secret: a new one signs from now, the old one is believed until the returned time (docs/agents.md).';
revoke execute on function app.rotate_agent_attestation_secret(interval) from public, anon, authenticated, service_role;

create or replace function app.calling_agent()
returns text
language plpgsql
stable
security definer -- asks app.agent_proof_is_right, which reads the secrets
set search_path = ''
as $$
declare
  v_headers jsonb := coalesce(nullif(current_setting('request.headers', true), ''), '{}')::jsonb;
  v_name text := v_headers ->> 'x-renubu-agent';
  v_proof text := v_headers ->> 'x-renubu-agent-proof';
  v_token text := substring(v_headers ->> 'authorization' from '^[Bb]earer +(.+)$');
  v_agent text;
begin
  if v_name is null and v_proof is null then
    return null;
  end if;
  if v_name is null or v_proof is null or v_token is null or not app.agent_proof_is_right(v_token, v_name, v_proof) then
    raise exception 'The x-renubu-agent headers are not the MCP server''s' using errcode = '42501',
      hint = 'Only the MCP server names the agent a call is made by; call without these headers.';
  end if;
  v_agent := app.trimmed(convert_from(decode(v_name, 'base64'), 'UTF8'));
  -- Shown to other people as the name of who wrote it: one displayable line.
  perform app.require_displayable_text(v_agent, 'x-renubu-agent');
  return v_agent;
end;
$$;
comment on function app.calling_agent() is
  'The AI agent the MCP server attests makes this call (x-renubu-agent with its x-renubu-agent-proof, of the current secret or the previous one in its grace), trimmed, or null; 42501 for headers without a right proof, 22023 for a name that is not one displayable line.';
