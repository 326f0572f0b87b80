-- Rotating the agent attestation secret stops no agent: a proof the MCP server made with the
-- secret before the rotation is believed while the previous secret is kept (its grace), and
-- refused once it is removed or its grace is over; the new secret's proofs are believed at
-- once. (app.rotate_agent_attestation_secret, app.agent_proof_is_right, migration
-- 20261216400100; docs/agents.md "Who logged it".)
begin;
select plan(10);
set client_min_messages = warning;

select encode(convert_to('Renewal Bot', 'UTF8'), 'base64') as bot \gset
-- The proof a running mcp instance sends, made with the secret it read before the rotation.
select app.agent_proof('token-1', :'bot') as old_proof \gset
create function pg_temp.headers(proof text) returns void language sql as $$
  select set_config('request.headers', jsonb_build_object('authorization', 'Bearer token-1',
    'x-renubu-agent', encode(convert_to('Renewal Bot', 'UTF8'), 'base64'), 'x-renubu-agent-proof', proof)::text, true);
$$;

select pg_temp.headers(:'old_proof');
select is(app.calling_agent(), 'Renewal Bot', 'before the rotation the server''s proof names its agent');

-- (called once: `between` would call it twice)
select app.rotate_agent_attestation_secret() as until \gset
select is(:'until'::timestamptz, now() + interval '1 hour', 'a rotation keeps the previous secret for an hour unless told');
select isnt(app.agent_proof('token-1', :'bot'), :'old_proof', 'the server now signs with a new secret');
select is(app.calling_agent(), 'Renewal Bot', 'a proof made with the previous secret is believed while it is kept');
select pg_temp.headers(app.agent_proof('token-1', :'bot'));
select is(app.calling_agent(), 'Renewal Bot', 'and one made with the new secret at once');

update app.agent_attestation set previous_secret = null, previous_until = null;
select pg_temp.headers(:'old_proof');
select throws_ok('select app.calling_agent()', '42501', 'The x-renubu-agent headers are not the MCP server''s',
  'once the previous secret is removed, its proof is refused');

-- A grace that is over refuses the previous secret's proof too.
select app.agent_proof('token-1', :'bot') as second_proof \gset
select app.rotate_agent_attestation_secret(interval '0') is not null as rotated \gset
select pg_temp.headers(:'second_proof');
select throws_ok('select app.calling_agent()', '42501', null, 'a proof of the previous secret after its grace is refused');

select throws_ok($$select app.rotate_agent_attestation_secret(interval '-1 hour')$$, '22023', 'grace must be between 0 and 7 days',
  'a negative grace is refused');
select throws_ok($$update app.agent_attestation set previous_until = null$$, '23514', null,
  'a previous secret always has an end');
set local role service_role;
select throws_ok('select app.rotate_agent_attestation_secret()', '42501', null, 'no API role may rotate the secret');
reset role;

select * from finish();
rollback;
