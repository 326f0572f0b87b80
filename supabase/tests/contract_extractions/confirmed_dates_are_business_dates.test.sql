-- A contract date a person confirms falls in the years 2000 to 2099, like every date a
-- person sends: an "evergreen" 9999-12-31 end date would make the customer's renewal date
-- 10000-01-01 and take the renewal out of every list (migration 20261205193000).
begin;
select plan(4);
select throws_ok($$ select app.contract_field_value('end_date', '"9999-12-31"') $$,
  '22023', 'end_date must be a date in the years 2000 to 2099', 'an end date in 9999 is refused');
select throws_ok($$ select app.contract_field_value('start_date', '"0001-01-01"') $$,
  '22023', 'start_date must be a date in the years 2000 to 2099', 'a start date in year 1 is refused');
select throws_ok($$ select app.contract_field_value('end_date', '"2027-02-30"') $$,
  '22023', 'The value of end_date must be a date (YYYY-MM-DD)', 'a date that does not exist is still a format error');
select is(app.contract_field_value('end_date', '"2027-03-29"'), '"2027-03-29"'::jsonb, 'a business date is kept');
select * from finish();
rollback;
