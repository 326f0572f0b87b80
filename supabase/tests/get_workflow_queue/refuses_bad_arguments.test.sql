-- page_size out of range and a bad cursor are 22023.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_csm');
select throws_ok($$select public.get_workflow_queue(0)::jsonb$$, '22023', 'page_size must be between 1 and 200', 'page_size 0');
select throws_ok($$select public.get_workflow_queue(201)::jsonb$$, '22023', 'page_size must be between 1 and 200', 'page_size 201');
select throws_ok($$select public.get_workflow_queue(10, 'not-a-cursor')::jsonb$$, '22023', 'cursor is not valid', 'a bad cursor');

select * from finish();
rollback;
