-- docs/deploy.md, step 4: a project changes a stored key with
--   select vault.update_secret(id, '<new value>') from vault.secrets where name = 'service_role_key';
-- Hosted Vault has vault.update_secret(secret_id, new_secret, new_name, new_description,
-- new_key_id); the local stand-in (local/db/bootstrap.sql) has it too, so the statement
-- the page gives works here as written, and the scheduled jobs read the new value.
begin;
select plan(4);

delete from vault.secrets where name in ('project_url', 'service_role_key');
select vault.create_secret('http://project.test/', 'project_url');
select vault.create_secret('old-service-key', 'service_role_key', 'the legacy JWT');

select lives_ok(
  $$ select vault.update_secret(id, 'new-service-key') from vault.secrets where name = 'service_role_key' $$,
  'the statement docs/deploy.md gives runs as postgres'
);
select is(
  (select d.decrypted_secret from vault.decrypted_secrets d where d.name = 'service_role_key'), 'new-service-key',
  'the secret holds the new value'
);
select is(
  (select d.name || ' / ' || d.description from vault.decrypted_secrets d where d.decrypted_secret = 'new-service-key'),
  'service_role_key / the legacy JWT', 'its name and description are kept'
);

select tests.create_organisation('Vault Org');
insert into app.email_outbox (org_id, to_addresses, subject, body_text, next_attempt_at)
select o.id, array['buyer@customer.test'], 'Due', 'Due now', now() - interval '1 second'
  from app.organisations o where o.name = 'Vault Org';
select app.request_outbox_drain();
select is(
  (select q.headers ->> 'Authorization' from net.http_request_queue q order by q.id desc limit 1),
  'Bearer new-service-key', 'the outbox drain calls the function with the new key'
);

select * from finish();
rollback;
