-- An email delivered to the local mail sink (status delivered_to_sink: every send of a stack
-- without SMTP) joins the customer's history as one sent by SMTP does, so the history chat
-- and the customer page's search find it ("Email sent"); before, only status 'sent' was
-- indexed and a sink-delivered email was never history (migration 20261208300400), though
-- the workflow page says it was sent. One still queued is not.
begin;
select plan(3);
select tests.create_rls_world();

create temp table ids as
select tests.row_id('customers', 'a') as cust, tests.row_id('workflow_executions', 'mine') as exec, tests.org_id('Org A') as org;

insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text, status)
select org, exec, array['cfo@a.example'], 'Two-year option', 'The two-year option saves you 8 percent.', 'queued' from ids;
select is((select count(*)::int from app.customer_history_passages h, ids where h.customer_id = ids.cust and h.source_kind = 'email'), 0,
  'a queued email is not history yet');
update app.email_outbox o set status = 'delivered_to_sink' where o.subject = 'Two-year option';
select is((select count(*)::int from app.customer_history_passages h, ids
            where h.customer_id = ids.cust and h.source_kind = 'email' and h.search @@ to_tsquery('english', 'option')), 1,
  'delivered to the mail sink, it is history, under the workflow''s customer');
select ok((select h.occurred_at from app.customer_history_passages h, ids where h.customer_id = ids.cust and h.source_kind = 'email') is not null,
  'dated');

select * from finish();
rollback;
