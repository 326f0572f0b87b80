-- Every member of the organisation reads the context, whatever their role (reading is
-- never restricted inside an organisation); the answer is the same for each.
begin;
select plan(5);
select tests.create_rls_world();

create temporary table answers (who text, context jsonb) on commit drop;
grant insert, select on answers to authenticated;

select tests.authenticate_as('admin_a');
insert into answers select 'admin', public.get_customer_context(customer_id => tests.row_id('customers', 'a'));
select tests.authenticate_as('manager_a');
insert into answers select 'manager', public.get_customer_context(customer_id => tests.row_id('customers', 'a'));
select tests.authenticate_as('csm2_a');
insert into answers select 'other csm', public.get_customer_context(customer_id => tests.row_id('customers', 'a'));
select tests.authenticate_as('viewer_a');
insert into answers select 'viewer', public.get_customer_context(customer_id => tests.row_id('customers', 'a'));
select tests.authenticate_as('csm_a');
insert into answers select 'csm', public.get_customer_context(customer_id => tests.row_id('customers', 'a'));
select tests.clear_authentication();

select is((select context #>> '{customer,name}' from answers where who = w), 'Acme', w || ' reads the customer')
  from unnest(array['admin', 'manager', 'other csm', 'viewer']) as w
 order by w;
select is((select count(distinct (context - 'freshness')) from answers)::int, 1, 'every role gets the same context');

select * from finish();
rollback;
