-- A deactivated person who is CSM of customers but holds no open workflow or task still has
-- something to hand over: list_people and the open work count their customers, and
-- hand_over_work moves them (docs/admin.md "Deactivating someone"). Before, both said
-- nothing, so People offered no hand-over and the customers stayed the leaver's.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm'), (:'org', 'Northwind', 60000, 80, :'csm');
select tests.authenticate_as('e_admin');
select public.update_person(:'csm', '{"active": false}') -> 'open_work' as answered \gset

select is((:'answered'::jsonb) -> 'customers', '2'::jsonb, 'the deactivation answers the two customers they are CSM of');
select is(public.get_person_open_work(:'csm') -> 'customers', '2'::jsonb, 'and so does their open work asked again');
select is((select (p ->> 'customers')::integer from jsonb_array_elements(public.list_people()) p where p ->> 'id' = :'csm'),
  2, 'People counts them beside the open workflows and tasks');
select is((public.hand_over_work(:'csm', :'csm2', 'Left the company') -> 'handed_over' ->> 'customers')::integer, 2,
  'handing over everything moves them');
select is(public.get_person_open_work(:'csm') -> 'customers', '0'::jsonb, 'after which the leaver is CSM of none');

select * from finish();
rollback;
