-- Mail does not wait for a client to replay its request: every minute pg_cron calls the
-- outbox-drain Edge Function through net.http_post, with the project URL and service key
-- from Vault — and only when something is due and the project has stored both secrets.
begin;
select plan(7);

select is(
  (select j.schedule from cron.job j where j.jobname = 'drain-outbox'), '* * * * *',
  'the drain is scheduled every minute'
);
select is(
  (select j.command from cron.job j where j.jobname = 'drain-outbox'), 'select app.request_outbox_drain()',
  'and calls app.request_outbox_drain()'
);

delete from vault.secrets where name in ('project_url', 'service_role_key');
select tests.create_organisation('Drain Org');
insert into app.email_outbox (org_id, to_addresses, subject, body_text, next_attempt_at)
select o.id, array['buyer@customer.test'], 'Later', 'Not due yet', now() + interval '1 hour'
  from app.organisations o where o.name = 'Drain Org';
create temporary table queued_before on commit drop as select count(*) as n from net.http_request_queue;

select is(app.request_outbox_drain(), null, 'nothing due: no request');

update app.email_outbox set next_attempt_at = now() - interval '1 second' where subject = 'Later';
select is(app.request_outbox_drain(), null, 'due, but the project has not stored its secrets yet: no request');

select vault.create_secret('http://project.test/', 'project_url');
select vault.create_secret('service-key-value', 'service_role_key');
select isnt(app.request_outbox_drain(), null, 'due and configured: a request is queued');
select is(
  (select q.url from net.http_request_queue q order by q.id desc limit 1),
  'http://project.test/functions/v1/outbox-drain', 'to the outbox-drain function of the stored project URL'
);
select is(
  (select q.headers ->> 'Authorization' from net.http_request_queue q order by q.id desc limit 1),
  'Bearer service-key-value', 'with the stored service role key'
);

select * from finish();
rollback;
