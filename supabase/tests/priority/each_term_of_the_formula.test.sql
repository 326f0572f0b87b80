-- Each term of the priority formula, one at a time.
begin;
select plan(22);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
create temporary table p as select 1;
select is((app.calculate_priority('renewal', 90, 'Overdue', 0, 'manage', null, null, null, 0) ->> 'score')::int, 120, 'renewal Overdue: 100 + 20');
select is((app.calculate_priority('renewal', 90, 'Emergency', 0, 'manage', null, null, null, 0) ->> 'score')::int, 105, 'renewal Emergency: 90 + 15');
select is((app.calculate_priority('renewal', 80, 'Critical', 0, 'manage', null, null, null, 0) ->> 'score')::int, 90, 'renewal Critical: 80 + 10');
select is((app.calculate_priority('renewal', 70, 'Signature', 0, 'manage', null, null, null, 0) ->> 'score')::int, 70, 'renewal Signature: no bonus');
select is((app.calculate_priority('renewal', 20, 'Monitor', 0, 'manage', null, null, null, 0) ->> 'score')::int, 20, 'renewal Monitor: 20');
select is((app.calculate_priority('strategic', 70, null, 0, 'invest', null, null, null, 0) ->> 'base')::numeric, 70::numeric, 'strategic base 70 for invest');
select is((app.calculate_priority('strategic', 70, null, 0, 'expand', null, null, null, 0) ->> 'base')::numeric, 60::numeric, 'strategic base 60 for expand');
select is((app.calculate_priority('strategic', 70, null, 0, 'manage', null, null, null, 0) ->> 'base')::numeric, 50::numeric, 'strategic base 50 otherwise');
select is((app.calculate_priority('opportunity', 65, null, 0, 'manage', 80, null, null, 0) ->> 'base')::numeric, 90.0, 'opportunity base 50 + 0.5 x 80');
select is((app.calculate_priority('risk', 85, null, 0, 'manage', null, 70, null, 0) ->> 'base')::numeric, 102.0, 'risk base 60 + 0.6 x 70');
select is((app.calculate_priority('custom', 42, null, 0, 'manage', null, null, null, 0) ->> 'base')::numeric, 42::numeric, 'custom base = the definition''s base score');
select is((app.calculate_priority('strategic', 0, null, 150000, 'manage', null, null, null, 0) ->> 'arr_mult')::numeric, 2.0, 'arr 150 000 -> 2.0');
select is((app.calculate_priority('strategic', 0, null, 149999, 'manage', null, null, null, 0) ->> 'arr_mult')::numeric, 1.5, 'arr 149 999 -> 1.5');
select is((app.calculate_priority('strategic', 0, null, 100000, 'manage', null, null, null, 0) ->> 'arr_mult')::numeric, 1.5, 'arr 100 000 -> 1.5');
select is((app.calculate_priority('strategic', 0, null, 99999, 'manage', null, null, null, 0) ->> 'arr_mult')::numeric, 1.0, 'arr 99 999 -> 1.0');
select is((app.calculate_priority('strategic', 0, null, 0, 'monitor', null, null, null, 0) ->> 'plan_mult')::numeric, 0.8, 'monitor 0.8');
select is((app.calculate_priority('strategic', 0, null, 0, 'expand', null, null, null, 0) ->> 'plan_mult')::numeric, 1.3, 'expand 1.3');
select is((app.calculate_priority('strategic', 0, null, 0, 'manage', null, null, 'expert', 0) ->> 'experience_mult')::numeric, 1.2, 'expert 1.2');
select is((app.calculate_priority('strategic', 0, null, 0, 'manage', null, null, 'junior', 0) ->> 'experience_mult')::numeric, 0.9, 'junior 0.9');
select is((app.calculate_priority('strategic', 0, null, 0, 'manage', null, null, null, 0) ->> 'experience_mult')::numeric, 1.0, 'no assignee 1.0');
select is((app.calculate_priority('strategic', 0, null, 0, 'manage', null, null, 'mid', 3) ->> 'score')::int, 44, 'workload: 50 - 2 x 3');
select ok(app.calculate_priority('risk', 85, null, 1, 'manage', null, 1, 'mid', 1) ?& array['base', 'stage_bonus', 'arr_mult', 'plan_mult', 'experience_mult', 'active_workflows', 'workload_penalty', 'score'],
          'the factors name every term');

select * from finish();
rollback;
