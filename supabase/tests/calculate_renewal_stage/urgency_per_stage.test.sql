-- The stage's urgency drives renewal priority: Overdue 100 down to Monitor 20.
begin;
select plan(10);

select is(app.renewal_stage_urgency(stage), urgency, format('%s has urgency %s', stage, urgency))
from (values
  ('Overdue', 100), ('Emergency', 90), ('Critical', 80), ('Signature', 70), ('Finalize', 60),
  ('Negotiate', 50), ('Engage', 40), ('Prepare', 30), ('Monitor', 20)
) as t(stage, urgency);

select is(app.renewal_stage_urgency('Someday'), null, 'an unknown stage has no urgency');

select * from finish();
rollback;
