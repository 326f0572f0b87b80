-- The mention a note sends says the note once. log_engagement stores a note's first line as
-- its title and the whole note as its description; the notification's body joined both, so
-- "Pricing call; @Maria Manager asked to join." reached Maria as that sentence twice, one line
-- under the other. A note whose title is not its first line (a manager writing the table) says
-- both, the title first.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
update app.profiles set full_name = 'Maria Manager', email = 'maria.manager@engine.test' where id = :'manager';
update app.profiles set full_name = 'Sam Senior', email = 'sam@engine.test' where id = :'csm';

select tests.authenticate_as('e_csm');
select public.log_engagement(:'cust', 'call', now()::text, 'Pricing call; @Maria Manager asked to join.') ->> 'id' as one_line \gset
select public.log_engagement(:'cust', 'note', now()::text, E'Renewal risk\nThey want 10% off; @Maria Manager to decide.') ->> 'id' as two_lines \gset
select tests.authenticate_as('e_manager');
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description)
values (:'org', :'cust', 'note', now(), 'Handover', 'Ask @sam about the pricing.') returning id as titled \gset
select tests.clear_authentication();

select is((select body from app.notifications where data ->> 'engagement_event_id' = :'one_line'),
  'Pricing call; @Maria Manager asked to join.', 'a one-line note is said once');
select is((select body from app.notifications where data ->> 'engagement_event_id' = :'two_lines'),
  E'Renewal risk\nThey want 10% off; @Maria Manager to decide.', 'a note of two lines is said once, as written');
select is((select body from app.notifications where data ->> 'engagement_event_id' = :'titled'),
  E'Handover\nAsk @sam about the pricing.', 'a title that is not the note''s first line comes first');

select * from finish();
rollback;
