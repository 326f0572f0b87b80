-- A customers update moves open work only for the customers whose CSM it changes, and only
-- the work their previous CSM (or nobody) held. In one bulk statement that changes scores
-- for every customer and the CSM of one, nothing else moves (not even another customer's
-- unheld work), and the moved work is re-scored for its new CSM (migration 20261205140000
-- reads no execution for the others).
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
select :'org', 'Move ' || g, 50000 + g, 70, :'today'::date + 20 + g, :'csm' from generate_series(1, 40) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select id as moving from app.customers where org_id = :'org' and name = 'Move 1' \gset

-- Work of the moving customer: one execution held by the manager (handed over), one by nobody.
select e.id as held_elsewhere from app.workflow_executions e
 where e.customer_id = :'moving' and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
 order by e.id limit 1 \gset
update app.workflow_executions set assigned_to = :'manager' where id = :'held_elsewhere';
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, status, assigned_to, total_steps)
select :'org', :'moving', w.id, v.id, 'queued', null, 1
  from app.workflows w join app.workflow_versions v on v.workflow_id = w.id
 where w.key = 'risk-assessment' and (w.org_id = :'org' or w.org_id is null)
 order by w.org_id nulls last limit 1
returning id as unheld \gset

-- An unmoved customer's work that nobody holds: it must stay unheld.
update app.workflow_executions set assigned_to = null
 where id = (select e.id from app.workflow_executions e join app.customers c on c.id = e.customer_id
              where c.org_id = :'org' and c.name = 'Move 2'
                and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
              order by e.id limit 1)
returning id as unheld_unmoved \gset

create temp table before_move as
  select e.id, e.customer_id, e.assigned_to from app.workflow_executions e
   where e.org_id = :'org' and e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
select ok((select count(*) from before_move where customer_id <> :'moving') >= 39
          and exists (select 1 from before_move where customer_id = :'moving' and assigned_to = :'csm'),
          'the other customers have open work, and the moving customer has work its CSM holds');

-- One statement: every customer's health changes, one customer's CSM changes.
update app.customers c
   set health_score = 45,
       assigned_to = case when c.id = :'moving' then :'csm2'::uuid else c.assigned_to end
 where c.org_id = :'org' and c.name like 'Move %';

select is((select count(*) from before_move b join app.workflow_executions e on e.id = b.id
            where b.customer_id <> :'moving' and e.assigned_to is distinct from b.assigned_to), 0::bigint,
          'no work of a customer whose CSM did not change moved');
select is((select count(*) from before_move b join app.workflow_executions e on e.id = b.id
            where b.customer_id = :'moving' and b.assigned_to = :'csm' and e.assigned_to is distinct from :'csm2'), 0::bigint,
          'the previous CSM''s open work of the moved customer went to the new CSM');
select is((select assigned_to from app.workflow_executions where id = :'unheld'), :'csm2'::uuid,
          'work nobody held goes to the new CSM');
select is((select assigned_to from app.workflow_executions where id = :'held_elsewhere'), :'manager'::uuid,
          'work someone else held stays with them');
select is((select assigned_to from app.workflow_executions where id = :'unheld_unmoved'), null::uuid,
          'work nobody held of a customer whose CSM did not change stays unheld');
select is((select (e.priority_factors ->> 'experience_mult')::numeric
             from before_move b join app.workflow_executions e on e.id = b.id
            where b.customer_id = :'moving' and b.assigned_to = :'csm' and e.priority_factors ? 'experience_mult'
            order by e.id limit 1), 0.9,
          'moved work is scored with the new CSM''s experience (junior)');

select * from finish();
rollback;
