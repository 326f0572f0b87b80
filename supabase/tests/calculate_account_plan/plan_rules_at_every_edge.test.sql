-- The first matching plan rule wins, with its edges exactly where docs/business-rules.md puts them.
begin;
select plan(16);

select is(app.calculate_account_plan(arr, health), plan, format('ARR %s, health %s is %s', arr, health, plan))
from (values
  -- expand: arr > 150 000 and health > 75
  (150001::numeric, 76, 'expand'),
  (150000::numeric, 76, 'invest'),   -- not above 150 000: falls to invest
  (150001::numeric, 75, 'invest'),   -- health not above 75: falls to invest
  -- invest: arr > 50 000 and health > 60
  (50001::numeric, 61, 'invest'),
  (50000::numeric, 61, 'manage'),
  (50001::numeric, 60, 'manage'),
  -- monitor: health < 50
  (10000::numeric, 49, 'monitor'),
  (10000::numeric, 50, 'manage'),
  (500000::numeric, 49, 'monitor'),  -- big but unhealthy
  -- otherwise manage
  (0::numeric, 100, 'manage'),
  (200000::numeric, 0, 'monitor'),
  (200000::numeric, 100, 'expand')
) as t(arr, health, plan);

select is(app.calculate_account_plan(null, 90), 'manage', 'a missing ARR counts as 0');
select is(app.calculate_account_plan(200000, null), 'manage', 'a missing health counts as 50 (not expand, not monitor)');
select is(app.calculate_account_plan(null, null), 'manage', 'nothing known is manage');
select is(app.calculate_account_plan(60000, null), 'manage', 'missing health 50 is not above 60 (not invest)');

select * from finish();
rollback;
