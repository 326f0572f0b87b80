-- get_daily_brief refuses a brief_date outside the years 2000 to 2099 (22023 naming it), as
-- every other date argument; a date in range without a brief is still null, and no date
-- still means the newest. (Migration 20261206244000.)
begin;
select plan(5);
select * from tests.create_engine_world() \gset
select tests.authenticate_as_service_role();
select public.store_daily_briefs(profile_id => :'csm') is not null as stored \gset
select tests.authenticate_as('e_csm');
select throws_ok($$select public.get_daily_brief('0001-01-01')$$, '22023', 'brief_date must be a date in the years 2000 to 2099', 'the year 1 is refused');
select throws_ok($$select public.get_daily_brief('infinity')$$, '22023', 'brief_date must be a date (ISO 8601)', 'infinity is refused (no ISO 8601 date, migration 20261207100000)');
select throws_ok($$select public.get_daily_brief('2100-01-01')$$, '22023', 'brief_date must be a date in the years 2000 to 2099', 'the year 2100 is refused');
select is(public.get_daily_brief('2001-01-01'), null, 'a day in range without a brief is null');
select is(public.get_daily_brief() ->> 'brief_date', (select brief_date::text from app.daily_briefs where profile_id = :'csm'), 'no date is the newest brief');
select * from finish();
rollback;
