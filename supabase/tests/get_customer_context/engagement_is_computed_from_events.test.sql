-- Engagement from events: the last contact (meetings, emails, calls, QBRs; not notes), the
-- last and the next QBR (a future event is scheduled), the latest NPS and the open
-- (open or pending) support tickets.
begin;
select plan(8);
select tests.create_rls_world();

insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, nps_score, ticket_status)
select c.org_id, c.id, e.kind, now() + e.offset_, e.nps, e.status
  from app.customers c,
       (values ('meeting', interval '-10 days', null::int, null::text),
               ('email', interval '-3 days', null, null),
               ('note', interval '-1 day', null, null),
               ('qbr', interval '-40 days', null, null),
               ('qbr', interval '20 days', null, null),
               ('qbr', interval '50 days', null, null),
               ('nps', interval '-20 days', 6, null),
               ('nps', interval '-5 days', 9, null),
               ('support_ticket', interval '-8 days', null, 'open'),
               ('support_ticket', interval '-7 days', null, 'pending'),
               ('support_ticket', interval '-6 days', null, 'resolved'),
               ('support_ticket', interval '-30 days', null, 'closed')) as e(kind, offset_, nps, status)
 where c.id = tests.row_id('customers', 'a');

select tests.authenticate_as('viewer_a');
create temporary view ctx as
  select public.get_customer_context(customer_id => tests.row_id('customers', 'a')) #> '{data,engagement}' as e;

select is((select (e ->> 'last_contact_at')::timestamptz from ctx), now() - interval '3 days', 'last contact: the email 3 days ago, not the note');
select is((select e ->> 'last_contact_type' from ctx), 'email', 'its type');
select is((select (e ->> 'days_since_last_contact')::int from ctx), 3, 'days since last contact');
select is((select (e ->> 'last_qbr_at')::timestamptz from ctx), now() - interval '40 days', 'the last QBR');
select is((select (e ->> 'next_qbr_at')::timestamptz from ctx), now() + interval '20 days', 'the next (scheduled) QBR');
select is((select (e ->> 'nps_score')::int from ctx), 9, 'the latest NPS');
select is((select (e ->> 'open_tickets')::int from ctx), 2, 'open and pending tickets count, resolved and closed do not');
select is((public.get_customer_context(customer_id => tests.row_id('customers', 'a')) #>> '{freshness,engagement}')::timestamptz,
  now() - interval '1 day', 'freshness: the newest event that has happened');

select * from finish();
rollback;
