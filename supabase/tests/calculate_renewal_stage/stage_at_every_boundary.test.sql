-- Each renewal stage begins and ends exactly on the day docs/business-rules.md says.
begin;
select plan(20);

select is(app.calculate_renewal_stage(date '2026-01-01' + d, date '2026-01-01'), stage,
          format('%s days until renewal is %s', d, stage))
from (values
  (-1, 'Overdue'), (0, 'Emergency'),
  (6, 'Emergency'), (7, 'Critical'),
  (13, 'Critical'), (14, 'Signature'),
  (29, 'Signature'), (30, 'Finalize'),
  (59, 'Finalize'), (60, 'Negotiate'),
  (89, 'Negotiate'), (90, 'Engage'),
  (119, 'Engage'), (120, 'Prepare'),
  (179, 'Prepare'), (180, 'Monitor'),
  (-400, 'Overdue'), (3650, 'Monitor')
) as t(d, stage);

select is(app.calculate_renewal_stage(null, date '2026-01-01'), null, 'no renewal date has no stage');
select is(app.calculate_renewal_stage(current_date + 7), 'Critical', 'as_of defaults to today');

select * from finish();
rollback;
