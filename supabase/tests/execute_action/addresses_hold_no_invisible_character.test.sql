-- An e-mail address holds no invisible character (migration 20261206246000): a zero-width
-- space, a word joiner or a no-break space inside an address makes it no address, for a
-- meeting's attendees as for every list app.email_list reads; the same characters around an
-- address are dropped, as spaces are.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

select is(app.email_list('["dana\u200b@contoso.example"]'), null, 'a zero-width space inside an address makes it no address');
select is(app.email_list('["dana@con\u2060toso.example"]'), null, 'so does a word joiner');
select is(app.email_list('"dana\u00a0smith@contoso.example"'), null, 'and a no-break space');
select is(app.email_list('["\u200bdana@contoso.example\u00a0", " lee@contoso.example "]'),
          array['dana@contoso.example', 'lee@contoso.example'], 'blank characters around an address are dropped');
select is(app.email_list('["@contoso.example"]'), null, 'an address has something before its @');
select is(app.email_list('["dana@contoso.example"]'), array['dana@contoso.example'], 'a plain address is one');

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid',
                        '{"scheduled_at": "2030-01-02T10:00:00Z", "attendees": ["dana\u200b@contoso.example"]}'),
                 '22023', 'attendees must be a list of email addresses', 'a meeting with such an attendee is refused');
select is((select count(*)::int from app.workflow_meetings where execution_id = :'eid'), 0, 'and no meeting is added');

select * from finish();
rollback;
