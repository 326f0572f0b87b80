-- A person's first brief says it is their first: store_daily_briefs hands the daily-brief
-- function 'first' with each brief, and get_daily_brief returns it, true for a person with no
-- brief of an earlier day and false from their second day on (docs/daily-brief.md).
begin;
select plan(4);
select * from tests.create_engine_world() \gset
select tests.authenticate_as_service_role();

select public.store_daily_briefs('2031-06-01 12:00+00', profile_id => :'csm') as day_one \gset
select is((:'day_one'::jsonb -> 0 ->> 'first')::boolean, true, 'a person''s first brief is handed over as their first');
select tests.authenticate_as('e_csm');
select is((public.get_daily_brief() ->> 'first')::boolean, true, '... and read back as their first');

select tests.authenticate_as_service_role();
select public.store_daily_briefs('2031-06-02 12:00+00', profile_id => :'csm') as day_two \gset
select is((select (x ->> 'first')::boolean from jsonb_array_elements(:'day_two'::jsonb) x
            where x ->> 'brief_date' = '2031-06-02'), false, 'the next day''s is not');
select tests.authenticate_as('e_csm');
select is((public.get_daily_brief() ->> 'first')::boolean, false, '... nor read back as such');
select * from finish();
rollback;
