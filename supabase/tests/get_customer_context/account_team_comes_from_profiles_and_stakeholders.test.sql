-- The account team is read from profiles (names and emails of the CSM, account executive
-- and support engineer) and the customer's stakeholders, decision makers and champions first.
begin;
select plan(7);
select tests.create_rls_world();

update app.customers
   set account_executive_id = tests.get_supabase_uid('manager_a'),
       support_engineer_id = tests.get_supabase_uid('csm2_a')
 where id = tests.row_id('customers', 'a');
insert into app.stakeholders (org_id, customer_id, name, email, role, influence, is_champion, is_decision_maker)
select c.org_id, c.id, s.name, s.email, s.role, s.influence, s.champion, s.decider
  from app.customers c,
       (values ('Zoe User', 'zoe@acme.example', 'end_user', 'low', false, false),
               ('Carl Champion', 'carl@acme.example', 'champion', 'medium', true, false),
               ('Dana Decider', 'dana@acme.example', 'economic_buyer', 'high', false, true)) as s(name, email, role, influence, champion, decider)
 where c.id = tests.row_id('customers', 'a');

select tests.authenticate_as('viewer_a');
create temporary view team as
  select public.get_customer_context(customer_id => tests.row_id('customers', 'a')) -> 'account_team' as t;

select is((select t #>> '{csm,full_name}' from team), 'Csm A', 'the CSM''s name from their profile');
select is((select t #>> '{csm,email}' from team), 'csm_a@test.renubu.dev', 'and email');
select is((select t #>> '{account_executive,full_name}' from team), 'Manager A', 'the account executive');
select is((select t #>> '{support_engineer,email}' from team), 'csm2_a@test.renubu.dev', 'the support engineer');
select is((select jsonb_array_length(t -> 'stakeholders') from team), 3, 'every stakeholder');
select is((select array(select s ->> 'name' from jsonb_array_elements(t -> 'stakeholders') s) from team),
  array['Dana Decider', 'Carl Champion', 'Zoe User'], 'decision makers first, then champions');
select is((select t #> '{stakeholders,0}' from team) - 'id' - 'last_contacted_at' - 'title',
  jsonb_build_object('name', 'Dana Decider', 'email', 'dana@acme.example', 'role', 'economic_buyer',
                     'influence', 'high', 'is_champion', false, 'is_decision_maker', true),
  'with role, influence and the champion and decision-maker flags');

select * from finish();
rollback;
