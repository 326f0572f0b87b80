-- page_size out of range and a bad cursor are 22023.
begin;
select plan(3);
set client_min_messages = warning;
select tests.create_organisation('Engine Org') as org \gset
select tests.create_member('e_admin', :'org', 'admin', 'expert') as admin \gset
select tests.create_member('e_manager', :'org', 'manager', 'senior') as manager \gset
select tests.create_member('e_csm', :'org', 'csm', 'senior') as csm \gset
select tests.create_member('e_csm2', :'org', 'csm', 'junior') as csm2 \gset
select tests.create_member('e_viewer', :'org', 'viewer') as viewer \gset
update app.profiles set manager_id = :'manager' where id in (:'csm', :'csm2');
select tests.create_organisation('Other Org') as other_org \gset
select tests.create_member('o_manager', :'other_org', 'manager') as other_manager \gset
select tests.create_member('o_csm', :'other_org', 'csm') as other_csm \gset
select app.organisation_today(:'org') as today \gset
select tests.authenticate_as('e_csm');
select throws_ok($$select public.get_workflow_queue(0)$$, '22023', 'page_size must be between 1 and 200', 'page_size 0');
select throws_ok($$select public.get_workflow_queue(201)$$, '22023', 'page_size must be between 1 and 200', 'page_size 201');
select throws_ok($$select public.get_workflow_queue(10, 'not-a-cursor')$$, '22023', 'cursor is not valid', 'a bad cursor');

select * from finish();
rollback;
