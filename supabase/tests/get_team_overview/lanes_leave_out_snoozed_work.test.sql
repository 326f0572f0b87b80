-- Each person's work by lane on the team page is what their queue shows: snoozed work is
-- out of the lanes until it wakes, but still in their open total and counted as snoozed
-- (migration 20261205203000).
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, assigned_to) values
  (:'org', 'Waiting Co', 10000, :'csm'), (:'org', 'Asleep Co', 20000, :'csm');
-- (their lane is derived from the workflow and the customer, as for any execution)
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, snoozed_until)
select :'org', c.id, w.id, v.id, :'csm', case c.name when 'Asleep Co' then 'snoozed' else 'queued' end,
       case c.name when 'Asleep Co' then now() + interval '7 days' end
  from app.customers c, app.workflows w
  join lateral (select v.id from app.workflow_versions v where v.workflow_id = w.id order by v.version desc limit 1) v on true
 where c.org_id = :'org' and c.name in ('Waiting Co', 'Asleep Co') and w.key = 'risk-assessment';

select (app.team_members_overview(:'org', :'today')).members as m \gset
select is((select (p -> 'lanes' ->> 'now')::int + (p -> 'lanes' ->> 'soon')::int + (p -> 'lanes' ->> 'planned')::int
             from jsonb_array_elements(:'m'::jsonb) p where p ->> 'id' = :'csm'), 1,
  'one item in the lanes: the snoozed one is not');
select is((select (p ->> 'open_total')::int from jsonb_array_elements(:'m'::jsonb) p where p ->> 'id' = :'csm'), 2,
  'both are open work');
select is((select (p ->> 'snoozed')::int from jsonb_array_elements(:'m'::jsonb) p where p ->> 'id' = :'csm'), 1,
  'and one is counted as snoozed');
select is((app.team_members_overview(:'org', :'today')).lane_now,
          (select (p -> 'lanes' ->> 'now')::int from jsonb_array_elements(:'m'::jsonb) p where p ->> 'id' = :'csm'),
          'the team''s "in lane now" total is the sum of the people''s lanes');

select * from finish();
rollback;
