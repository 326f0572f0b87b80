-- Row-level policies are built at migration time from rules written once (app.policy_rules,
-- app.create_org_policies; docs/data-model.md "Row-level security"). The builders are for
-- migrations only: no API role may call them. Every membership test in a policy stays in
-- the `(select …)` form Postgres runs once per statement (an InitPlan), never a per-row
-- call. The builder refuses what it does not know rather than guessing.
begin;
select plan(12);

select is_empty(
  $$ select p.oid::regprocedure::text || ' by ' || r.role
       from pg_proc p
       cross join (values ('anon'), ('authenticated'), ('service_role')) r(role)
      where p.pronamespace = 'app'::regnamespace
        and p.proname in ('policy_rules', 'create_rule_policy', 'create_org_policies')
        and has_function_privilege(r.role, p.oid, 'execute') $$,
  'no API role can execute the policy builders');
select is(
  (select count(*)::int from pg_proc p where p.pronamespace = 'app'::regnamespace
      and p.proname in ('policy_rules', 'create_rule_policy', 'create_org_policies')),
  3, 'the three policy builders exist (rename them here too)');

-- Each membership helper a policy calls is wrapped in a sub-select (an InitPlan).
select is_empty(
  $$ select tablename || ': ' || policyname || ' calls ' || f
       from pg_policies
       cross join (values ('current_org_id'), ('has_role'), ('uid')) h(f)
       cross join lateral (select coalesce(qual, '') || ' ' || coalesce(with_check, '') as e) x
      where schemaname = 'app'
        and regexp_count(x.e, '\m' || h.f || '\(') <> regexp_count(x.e, '\( SELECT (app|auth)\.' || h.f || '\(') $$,
  'every current_org_id, has_role and auth.uid call in a policy is an InitPlan sub-select');

-- A policy built from a rule carries the rule's predicate as written: the same expression
-- as a hand-written policy with that text.
create table app.policy_probe (id int primary key, org_id uuid);
alter table app.policy_probe enable row level security;
select lives_ok(
  $$ select app.create_org_policies('app.policy_probe', 'probes', readers => 'members', writers => 'managers') $$,
  'a table gets its policies from a reading and a writing rule');
create table app.policy_probe_by_hand (id int primary key, org_id uuid);
create policy "by hand" on app.policy_probe_by_hand for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));
select is(
  (select array_agg(format('%s %s %s %s', cmd, roles, permissive, policyname) order by cmd)
     from pg_policies where tablename = 'policy_probe'),
  array['DELETE {authenticated} PERMISSIVE Managers and admins can delete probes',
        'INSERT {authenticated} PERMISSIVE Managers and admins can add probes',
        'SELECT {authenticated} PERMISSIVE Members can read their organisation''s probes',
        'UPDATE {authenticated} PERMISSIVE Managers and admins can change probes'],
  'one policy per command, to authenticated, named from the rule');
select is(
  (select p.qual || ' / ' || p.with_check from pg_policies p where p.tablename = 'policy_probe' and p.cmd = 'UPDATE'),
  (select p.qual || ' / ' || p.with_check from pg_policies p where p.tablename = 'policy_probe_by_hand'),
  'an update policy from a rule has the rule''s predicate in USING and WITH CHECK, as written by hand');

select throws_ok($$ select app.create_org_policies('app.policy_probe', 'x', readers => 'everyone') $$,
  '22023', 'unknown policy rule everyone', 'an unknown rule is refused');
select throws_ok($$ select app.create_org_policies('app.policy_probe', 'x', writers => 'admins', commands => '{truncate}') $$,
  '22023', null, 'an unknown command is refused');
select throws_ok($$ select app.create_org_policies('app.policy_probe', 'x', writers => 'admins', commands => '{all}') $$,
  '22023', null, 'FOR ALL is refused');
select throws_ok($$ select app.create_org_policies('app.policy_probe', 'x', writers => 'admins', verbs => '{add}') $$,
  '22023', null, 'verbs that do not line up with the commands are refused');
select throws_ok($$ select app.create_org_policies('app.policy_probe', repeat('very ', 12) || 'long names', readers => 'members') $$,
  '22023', null, 'a name Postgres would cut at 63 bytes is refused');

select tests.authenticate_as_service_role();
select throws_ok($$ select app.create_org_policies('app.policy_probe', 'y', readers => 'members') $$,
  '42501', null, 'the service role cannot build policies');

select * from finish();
rollback;
