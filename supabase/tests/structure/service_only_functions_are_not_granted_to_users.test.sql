-- Service-side functions write what the model, the system or a delivery worker did
-- (assistant replies, tool calls, AI artifacts, side-effect records, outbox claims, approval
-- withdrawals, ingest batches). No signed-in person and no anon may execute any of them,
-- under any signature: a future grant (or a new overload) is caught here. Every function
-- documented "Service role only" is held to the same rule.
begin;
select plan(4);

create temp table service_only(name text primary key);
insert into service_only values
  ('finish_chat_message'), ('record_llm_tool_call'), ('create_assistant_artifact'),
  ('claim_outbox_message'), ('claim_due_outbox_messages'), ('complete_outbox_message'),
  ('record_action_side_effect'), ('log_refused_action'), ('withdraw_overridden_approval'),
  ('ingest_apply_batch'), ('ingest_webhook_secrets'), ('create_organisation'),
  ('agent_attestation_key'), ('record_failed_invitation_resend');

select is_empty(
  $$ select s.name from service_only s
      where not exists (select 1 from pg_proc p where p.pronamespace = 'public'::regnamespace and p.proname = s.name) $$,
  'every listed service-only function exists (rename it here too)');
select is_empty(
  $$ select p.oid::regprocedure::text || ' by ' || r.role
       from pg_proc p join service_only s on s.name = p.proname
       cross join (values ('authenticated'), ('anon')) r(role)
      where p.pronamespace = 'public'::regnamespace and has_function_privilege(r.role, p.oid, 'execute') $$,
  'authenticated and anon can execute no service-only function');
select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p join service_only s on s.name = p.proname
      where p.pronamespace = 'public'::regnamespace and not has_function_privilege('service_role', p.oid, 'execute') $$,
  'the service role can execute each of them');
select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p
      where p.pronamespace = 'public'::regnamespace
        and obj_description(p.oid, 'pg_proc') ilike 'service role only%'
        and (has_function_privilege('authenticated', p.oid, 'execute') or has_function_privilege('anon', p.oid, 'execute')) $$,
  'no function documented as service role only is granted to authenticated or anon');

select * from finish();
rollback;
