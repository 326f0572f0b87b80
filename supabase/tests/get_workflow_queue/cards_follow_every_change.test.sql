-- The queue's cards (app.queue_cards) are kept by triggers: after every kind of change
-- that shows on a card, the stored cards are exactly what the renderer gives for the
-- open executions now (no card missing, none stale, none left for a closed execution);
-- a page whose card is missing still shows the item, the same; cards are written in UTC
-- whatever the writer's session time zone; members cannot write them.
begin;
select plan(38);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

-- What differs between the stored cards and a fresh render of the organisation's open work.
create function pg_temp.card_differences(org uuid) returns bigint language sql as $$
  with fresh as (
    select * from app.queue_card_parts(array(select e.id from app.workflow_executions e where e.org_id = org))
  ), kept as (
    select k.execution_id, k.org_id, k.renewal_date, k.decision_date, k.head, k.tail, k.priority_head, k.raw_score
      from app.queue_cards k where k.org_id = org
  )
  select (select count(*) from (select * from kept except select * from fresh) a)
       + (select count(*) from (select * from fresh except select * from kept) b)
$$;

-- A stored card as the item it becomes (without the day's fields).
create function pg_temp.card(execution uuid) returns jsonb language sql as $$
  select (k.head || '}' || k.tail || '}')::jsonb from app.queue_cards k where k.execution_id = execution
$$;

insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, risk_score, assigned_to)
select :'org', 'Acme ' || g, 'acme' || g || '.example', 50000 * g, 40 + g * 5, :'today'::date + (g * 37 - 20), 30 + g * 6,
       case when g % 3 = 0 then :'csm2'::uuid else :'csm'::uuid end
  from generate_series(1, 9) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select cmp_ok((select count(*) from app.queue_cards where org_id = :'org'), '>=', 9::bigint,
              'the orchestrator''s insert wrote a card per open execution');
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after the orchestrator: every card is current');

-- A row inserted without its copies (scored by the insert trigger's nested update).
select c.id as cust1 from app.customers c where c.org_id = :'org' and c.name = 'Acme 1' \gset
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status)
select :'org', :'cust1', w.id, v.id, :'csm', 'queued'
  from app.workflows w join app.workflow_versions v on v.workflow_id = w.id
 where (w.org_id is null or w.org_id = :'org')
   and not exists (select 1 from app.workflow_executions x where x.customer_id = :'cust1' and x.workflow_id = w.id)
 order by w.key, v.id limit 1
returning id as manual \gset
select isnt((select head from app.queue_cards where execution_id = :'manual'), null, 'a single insert has its card');
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a single insert (scored afterwards): every card is current');

-- Status: started with a step, progressed, completed (a closed execution has no card).
select id as one from app.workflow_executions
 where assigned_to = :'csm' and status = 'queued' and id <> :'manual' order by id limit 1 \gset
update app.workflow_executions set status = 'in_progress', started_at = now(), current_step_key = 'x-step',
       current_step_index = 0 where id = :'one';
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a start');
select is(pg_temp.card(:'one') -> 'current_step' ->> 'key', 'x-step',
          'the card shows the current step');
update app.workflow_executions set completed_steps = 1, current_step_index = 1 where id = :'one';
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a step');
update app.workflow_executions set status = 'completed', completed_at = now() where id = :'one';
select is((select count(*) from app.queue_cards where execution_id = :'one'), 0::bigint, 'a completed execution has no card');
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a completion');

-- Snooze and wake.
select id as two from app.workflow_executions
 where assigned_to = :'csm' and status = 'queued' order by id desc limit 1 \gset
update app.workflow_executions set status = 'snoozed', snoozed_until = now() + interval '2 days' where id = :'two';
select is(pg_temp.card(:'two') ->> 'status', 'snoozed', 'a snoozed card says so');
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a snooze');
update app.workflow_executions set status = 'queued', snoozed_until = null where id = :'two';
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a wake');

-- The customer: reassigned, new ARR, health and dates, renamed, a new risk score.
update app.customers set assigned_to = :'csm2' where id = :'cust1';
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a reassignment');
update app.customers set arr = 900000, health_score = 20, renewal_date = :'today'::date + 2
 where org_id = :'org' and name in ('Acme 2', 'Acme 4');
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a priority and stage change');
update app.customers set name = 'Zenith "Works"', domain = 'zenith.example' where org_id = :'org' and name = 'Acme 5';
select ok((select bool_and(pg_temp.card(k.execution_id) -> 'customer' ->> 'name' = 'Zenith "Works"') from app.queue_cards k
             join app.workflow_executions e on e.id = k.execution_id
             join app.customers c on c.id = e.customer_id where c.name = 'Zenith "Works"'),
          'a rename shows at once, quoted as JSON');
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a rename');
update app.customers set risk_score = 5, opportunity_score = 77 where org_id = :'org' and name = 'Acme 6';
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after new scores that move no priority');

-- The workflow's name and its version's step titles.
update app.workflows w set name = w.name || ' (renamed)'
 where w.id in (select e.workflow_id from app.workflow_executions e where e.org_id = :'org' and e.status = 'queued' limit 1);
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a workflow rename');
update app.workflow_versions v
   set config = jsonb_set(v.config, '{steps,0,title}', '"A retitled first step"')
 where v.id = (select e.workflow_version_id from app.workflow_executions e where e.id = :'one');
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a version''s step titles change');

-- A writer in another time zone still writes UTC.
set local timezone = 'Asia/Tokyo';
update app.workflow_executions set status = 'snoozed', snoozed_until = '2030-01-02 03:04:05+00' where id = :'two';
reset timezone;
select is(pg_temp.card(:'two') ->> 'snoozed_until', '2030-01-02T03:04:05+00:00',
          'times on a card are in UTC whatever the writer''s time zone');

-- A large statement (more than renubu.queue_cards_inline_max open executions, 2 000 unless
-- set; 3 here) leaves its cards to the job: meanwhile the page renders them on the spot,
-- the same as the job's cards read later; the job renders exactly what a small statement
-- would have.
select cmp_ok((select count(*) from app.queue_cards_due), '>', 0::bigint,
              'small statements list the cards they rendered for the job too (a concurrent write may have raced them)');
select app.queue_cards_render_due() is not null as emptied \gset
select is((select count(*) from app.queue_cards_due), 0::bigint, 'which renders them again and empties the list');
set local renubu.queue_cards_inline_max = 3;
update app.customers set health_score = health_score - 1 where org_id = :'org';
select cmp_ok((select count(*) from app.queue_cards_due), '>', 3::bigint, 'a large statement lists its executions as due');
select is((select count(*) from app.queue_cards k join app.queue_cards_due d using (execution_id)), 0::bigint,
          'and drops their stale cards');
select tests.authenticate_as('e_csm');
select public.get_workflow_queue(50)::jsonb as page_while_due \gset
select tests.clear_authentication();
select cmp_ok(app.queue_cards_render_due(), '>', 3, 'the job renders them');
select is((select count(*) from app.queue_cards_due), 0::bigint, 'and empties the list');
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after the job: every card is current');
select tests.authenticate_as('e_csm');
select is(public.get_workflow_queue(50)::jsonb, :'page_while_due'::jsonb,
          'the page rendered on the spot equals the page from the job''s cards');
select tests.clear_authentication();
reset renubu.queue_cards_inline_max;

-- Delete.
delete from app.workflow_executions where id = :'manual';
select is((select count(*) from app.queue_cards where execution_id = :'manual'), 0::bigint, 'a deleted execution''s card goes');
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a delete');

-- One statement closing many (a bulk cancel): their cards go, the others' stay current.
select array_agg(e.id) as closing from app.workflow_executions e
 where e.org_id = :'org' and e.assigned_to = :'csm2' and e.status in ('queued', 'in_progress', 'snoozed', 'escalated') \gset
select cmp_ok(cardinality(:'closing'::uuid[]), '>', 1, 'the second CSM has open work to close');
update app.workflow_executions set status = 'cancelled', completed_at = now() where id = any(:'closing'::uuid[]);
select is((select count(*) from app.queue_cards where execution_id = any(:'closing'::uuid[])), 0::bigint,
          'a bulk cancel removes every card it closed');
select is(pg_temp.card_differences(:'org'), 0::bigint, 'after a bulk cancel: the other cards are current');
select app.queue_cards_render_due() is not null as rendered \gset
select is(pg_temp.card_differences(:'org'), 0::bigint, 'and after the job has gone over the list it left');

-- A page with a missing card shows the item all the same, rendered on the spot.
select tests.authenticate_as('e_csm');
select public.get_workflow_queue(50)::jsonb as before_page \gset
select tests.clear_authentication();
delete from app.queue_cards where execution_id = (
  select e.id from app.workflow_executions e
   where e.assigned_to = :'csm' and e.status in ('queued', 'in_progress', 'escalated') order by e.id limit 1);
select tests.authenticate_as('e_csm');
select is(public.get_workflow_queue(50)::jsonb, :'before_page'::jsonb, 'a missing card costs time, never an item');

-- Members read their organisation's cards and write none.
select throws_ok(format('delete from app.queue_cards where org_id = %L', :'org'), '42501', null, 'a member cannot delete cards');
select tests.clear_authentication();

-- The job takes a long list in one call (a seed or a rebuild leaves hundreds of thousands);
-- the timeout only stops a quadratic plan from hanging the suite.
set local statement_timeout = '60s';
insert into app.queue_cards_due select gen_random_uuid() from generate_series(1, 50000);
select is(app.queue_cards_render_due(), 50000, 'the job takes a list of 50 000 in one call');
select is((select count(*) from app.queue_cards_due), 0::bigint, 'and empties it');
reset statement_timeout;

select * from finish();
rollback;
