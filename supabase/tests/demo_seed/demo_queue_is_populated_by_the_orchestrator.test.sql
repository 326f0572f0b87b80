-- The seed runs the orchestrator once per demo organisation, so the demo opens on a real
-- queue: one open renewal per customer with a renewal date less than 30 days overdue,
-- strategic reviews for invest/expand accounts, risk and opportunity work where scored.
begin;
select plan(6);

select is_empty(
  $$ select c.name from app.customers c join app.organisations o on o.id = c.org_id
      where o.slug = 'acme-cloud' and c.renewal_date is not null
        and c.decision_date - app.organisation_today(c.org_id) > -30  -- the renewal clock runs to the decision date
        and not exists (
          select 1 from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
           where e.customer_id = c.id and w.workflow_type = 'renewal'
             and w.trigger_config ->> 'stage' = c.renewal_stage
             and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')) $$,
  'every Acme customer in a renewal window has an open renewal for its stage'
);

select is_empty(
  $$ select e.id from app.workflow_executions e join app.customers c on c.id = e.customer_id
      where c.name in ('Tailspin Airlines', 'A. Datum Corporation')
        and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
        and e.workflow_id in (select id from app.workflows where workflow_type = 'renewal') $$,
  'no renewal for a customer 45 days overdue or without a renewal date'
);

select set_eq(
  $$ select w.key from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
       join app.customers c on c.id = e.customer_id where c.name = 'Humongous Insurance' $$,
  -- Renews in 140 days on an auto-renewing contract with 60 days' notice: decision in 80, Negotiate.
  array['negotiate', 'quarterly-review', 'health-check', 'opportunity-identification'],
  'an expand account with a high opportunity score gets its renewal, both reviews and an opportunity workflow'
);

select ok(
  exists (select 1 from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
           join app.customers c on c.id = e.customer_id where c.name = 'Fabrikam Health' and w.key = 'risk-assessment'),
  'a customer with risk 78 gets a risk assessment'
);

select cmp_ok(
  (select count(*)::int from app.workflow_executions e join app.profiles p on p.id = e.assigned_to
    where p.email = 'sam.csm@acme.test'),
  '>=', 20, 'Sam''s queue has work'
);

select ok(
  (select count(*) from app.workflow_executions e join app.organisations o on o.id = e.org_id where o.slug = 'globex-analytics') > 0,
  'Globex has a queue of its own'
);

select * from finish();
rollback;
