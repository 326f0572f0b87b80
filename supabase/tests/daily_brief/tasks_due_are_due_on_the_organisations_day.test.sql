-- A brief's "task due" is a task due on the organisation's today or earlier, in the
-- organisation's time zone (docs/daily-brief.md), as the Tasks page's Today view and the
-- task_due notification count it. Before, the day ended at midnight UTC (the session's
-- zone): in Kiritimati (UTC+14) a task due tomorrow morning was "due", and in Pago Pago
-- (UTC-11) a task due this evening was not.
begin;
select plan(4);
-- The API's and the jobs' sessions run in UTC.
set local timezone = 'UTC';

select tests.create_organisation('East of UTC') as east \gset
select tests.create_organisation('West of UTC') as west \gset
update app.organisation_settings set time_zone = 'Pacific/Kiritimati' where org_id = :'east';
update app.organisation_settings set time_zone = 'Pacific/Pago_Pago' where org_id = :'west';
select tests.create_member('east_csm', :'east', 'csm') as east_csm \gset
select tests.create_member('west_csm', :'west', 'csm') as west_csm \gset
select app.organisation_today(:'east') as east_today, app.organisation_today(:'west') as west_today \gset

insert into app.customers (org_id, name, arr, renewal_date, assigned_to)
values (:'east', 'Tarawa Foods', 20000, :'east_today'::date + 300, :'east_csm') returning id as east_customer \gset
insert into app.customers (org_id, name, arr, renewal_date, assigned_to)
values (:'west', 'Apia Freight', 20000, :'west_today'::date + 300, :'west_csm') returning id as west_customer \gset

insert into app.workflow_tasks (org_id, customer_id, title, assigned_to, due_date)
values (:'east', :'east_customer', 'East: due tonight', :'east_csm',
        (:'east_today'::date + time '23:00') at time zone 'Pacific/Kiritimati'),
       (:'east', :'east_customer', 'East: due tomorrow morning', :'east_csm',
        (:'east_today'::date + 1 + time '09:00') at time zone 'Pacific/Kiritimati'),
       (:'west', :'west_customer', 'West: due this evening', :'west_csm',
        (:'west_today'::date + time '20:00') at time zone 'Pacific/Pago_Pago'),
       (:'west', :'west_customer', 'West: due tomorrow at one', :'west_csm',
        (:'west_today'::date + 1 + time '01:00') at time zone 'Pacific/Pago_Pago');

select tests.authenticate_as_service_role();
create temp table due as
  select f.value ->> 'title' as title
    from jsonb_array_elements(app.daily_brief_facts(:'east', :'east_csm', now() - interval '1 day', :'east_today'::date)) f
   where f.value ->> 'kind' = 'task_due'
  union all
  select f.value ->> 'title'
    from jsonb_array_elements(app.daily_brief_facts(:'west', :'west_csm', now() - interval '1 day', :'west_today'::date)) f
   where f.value ->> 'kind' = 'task_due';

select ok(exists (select 1 from due where title = 'East: due tonight'), 'east of UTC: a task due tonight is due today');
select ok(not exists (select 1 from due where title = 'East: due tomorrow morning'),
  'east of UTC: a task due tomorrow morning is not due yet');
select ok(exists (select 1 from due where title = 'West: due this evening'), 'west of UTC: a task due this evening is due today');
select ok(not exists (select 1 from due where title = 'West: due tomorrow at one'),
  'west of UTC: a task due tomorrow is not due yet');

select * from finish();
rollback;
