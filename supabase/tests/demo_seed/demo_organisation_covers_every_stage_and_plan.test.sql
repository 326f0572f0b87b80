-- The main demo organisation (Acme Cloud) shows every renewal stage and every account
-- plan, its stored stages are right as of today, and its book has the mix the demo needs.
begin;
select plan(9);

select set_eq(
  $$ select c.renewal_stage from app.customers c join app.organisations o on o.id = c.org_id
      where o.slug = 'acme-cloud' and c.renewal_stage is not null $$,
  array['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor'],
  'Acme has customers in all nine renewal stages'
);

select set_eq(
  $$ select c.account_plan from app.customers c join app.organisations o on o.id = c.org_id where o.slug = 'acme-cloud' $$,
  array['expand', 'invest', 'monitor', 'manage'],
  'Acme has customers in all four account plans'
);

select cmp_ok(
  (select count(*)::int from app.customers c join app.organisations o on o.id = c.org_id where o.slug = 'acme-cloud'),
  '>=', 25, 'Acme has about 25 customers'
);

select is_empty(
  $$ select c.name from app.customers c
      where c.renewal_stage is distinct from app.calculate_renewal_stage(c.decision_date, app.organisation_today(c.org_id)) $$,
  'every stored stage is the stage as of the organisation''s today'
);

select ok(
  (select count(*) from app.customers c join app.profiles p on p.id = c.assigned_to
    where p.email = 'sam.csm@acme.test')
  > (select count(*) from app.customers c join app.profiles p on p.id = c.assigned_to
    where p.email = 'casey.csm@acme.test'),
  'Sam (senior) owns more of the book than Casey (junior)'
);

select is(
  (select count(*)::int from app.customers c join app.organisations o on o.id = c.org_id
    where o.slug = 'acme-cloud' and c.assigned_to is null),
  2, 'two Acme customers are unassigned'
);

select ok(
  exists (select 1 from app.customers c join app.organisations o on o.id = c.org_id
           where o.slug = 'acme-cloud' and c.risk_score >= 60)
  and exists (select 1 from app.customers c join app.organisations o on o.id = c.org_id
           where o.slug = 'acme-cloud' and c.opportunity_score >= 70),
  'some customers are at risk (>= 60) and some are opportunities (>= 70)'
);

select is_empty(
  $$ select c.name from app.customers c join app.organisations o on o.id = c.org_id
      where o.slug = 'acme-cloud'
        and (c.account_executive_id is null
             or (c.assigned_to is not null and c.support_engineer_id is null)) $$,
  'every Acme customer has its account executive, and every assigned one its support engineer'
);

-- The worked example of docs/business-rules.md: Emergency, ARR 180 000, invest, senior CSM.
select results_eq(
  $$ select c.renewal_stage, c.arr, c.account_plan, p.experience_level
       from app.customers c join app.profiles p on p.id = c.assigned_to
      where c.name = 'Contoso Retail' $$,
  $$ values ('Emergency'::text, 180000.00::numeric(14, 2), 'invest'::text, 'senior'::text) $$,
  'Contoso Retail is the worked priority example'
);

select * from finish();
rollback;
