-- A meeting's attendees are optional: Schedule Meeting with "attendees": [] (what the form
-- sends when the field is left empty) adds the meeting with no attendees, and one with a
-- word that is no address is still refused (migration 20261206219000). app.email_list
-- answers an empty list for [], a list for addresses, and null for anything else.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

select is(app.email_list('[]'), '{}'::text[], 'an empty list is an empty list');
select is(app.email_list('["a@b.example", " c@d.example "]'), array['a@b.example', 'c@d.example'], 'addresses are a list');
select is(app.email_list('["a@b.example", "nope"]'), null, 'a list with a word that is no address is not');

select tests.authenticate_as('e_csm');
select lives_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid',
                       '{"scheduled_at": "2030-01-01T10:00:00Z", "attendees": []}'),
                'a meeting with no attendees is scheduled');
select is((select attendees from app.workflow_meetings where execution_id = :'eid'), '{}'::text[], 'with an empty list of attendees');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid',
                        '{"scheduled_at": "2030-01-02T10:00:00Z", "attendees": ["nope"]}'),
                 '22023', 'attendees must be a list of email addresses', 'a word that is no address is refused');

select * from finish();
rollback;
