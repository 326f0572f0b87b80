-- Every scheduled job that calls an Edge Function goes through app.request_edge_function,
-- the one place that reads the project URL and service role key from Vault: the request
-- is the one Supabase documents for scheduled functions (net.http_post, bearer key), the
-- job's own timeout is kept, and nothing is sent before both secrets are stored.
begin;
select plan(6);

select is(
  (select array_agg(p.oid::regprocedure::text order by p.proname)
     from pg_proc p where p.pronamespace = 'app'::regnamespace and p.prosrc ~ 'vault\.decrypted_secrets'),
  array['app.request_edge_function(text,integer)'],
  'only app.request_edge_function reads the secrets');
select is(
  (select array_agg(p.proname::text order by p.proname)
     from pg_proc p where p.pronamespace = 'app'::regnamespace and p.prosrc ~ 'app\.request_edge_function\('),
  array['request_daily_briefs', 'request_outbox_drain'],
  'the outbox drain and the daily briefs call it');
select is_empty(
  $$ select r.role from (values ('anon'), ('authenticated')) r(role)
      where has_function_privilege(r.role, 'app.request_edge_function(text,integer)', 'execute') $$,
  'no signed-in or anonymous caller can make the database call a function');

delete from vault.secrets where name in ('project_url', 'service_role_key');
select is(app.request_edge_function('daily-brief', 120000), null, 'without the secrets: no request');

select vault.create_secret('http://project.test/', 'project_url');
select vault.create_secret('service-key-value', 'service_role_key');
select isnt(app.request_edge_function('daily-brief', 120000), null, 'with both secrets: a request is queued');
select is(
  (select array[q.url, q.headers ->> 'Authorization', q.timeout_milliseconds::text]
     from net.http_request_queue q order by q.id desc limit 1),
  array['http://project.test/functions/v1/daily-brief', 'Bearer service-key-value', '120000'],
  'to the named function of the stored project URL, with the key and the job''s timeout');

select * from finish();
rollback;
