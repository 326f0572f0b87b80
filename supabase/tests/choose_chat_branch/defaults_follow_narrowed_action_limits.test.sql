-- A branch's defaults follow its action's limits as they are now: after an admin narrows
-- them below what a core branch defaults to, the branch still runs, with a snooze clamped
-- into the allowed days and a choice no longer offered left to the action's own default,
-- instead of failing for every CSM.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

-- The admin narrows the limits: urgent is no longer a priority, snoozes last 1 to 5 days.
select tests.authenticate_as('e_admin');
select public.save_saved_action('create_task', '{"priorities": ["low", "high"], "default_priority": "high"}') is not null as narrowed \gset
select public.save_saved_action('snooze', '{"max_days": 5, "default_days": 3}') is not null as narrowed2 \gset

-- daily-check "Create a daily check-in task" defaults to priority urgent.
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset
select public.choose_chat_branch(:'eid', 'check-signature-path', 'on-track') is not null as jumped \gset
select public.complete_step(:'eid', 'send-final-terms') is not null as done \gset
select lives_ok(format($$ select public.choose_chat_branch(%L, 'daily-check', 'daily-task', jsonb_build_object('title', 'Call the signer', 'due_date', %L)) $$,
                       :'eid', (:'today'::date + 1)::text),
  'a branch whose default priority is no longer offered still runs');
select is((select priority from app.workflow_tasks where execution_id = :'eid' and title = 'Call the signer'), 'high',
  '... with the action''s own default priority');
select tests.clear_authentication();

-- The rule itself, on the core branches that snooze for 7, 14 and 30 days.
select is((select array_agg((app.branch_defaults_within_limits(b, :'org') ->> 'days')::int order by (b.config -> 'defaults' ->> 'days')::int)
             from (select distinct on ((b.config -> 'defaults' ->> 'days')) b.* from app.workflow_chat_branches b
                    where b.saved_action_key = 'snooze' and b.config -> 'defaults' ? 'days') b),
  array[5, 5, 5], 'snooze defaults of 7, 14 and 30 days run as 5, the new most');
select is((select app.branch_defaults_within_limits(b, :'other_org') ->> 'days' from app.workflow_chat_branches b
            where b.saved_action_key = 'snooze' and b.config -> 'defaults' ->> 'days' = '14' limit 1), '14',
  'another organisation keeps its own limits');
select is((select app.branch_defaults_within_limits(b, :'org') from app.workflow_chat_branches b
            where b.saved_action_key = 'escalate' and b.config -> 'defaults' ->> 'level' = 'manager' limit 1), '{"level": "manager"}'::jsonb,
  'a default within the limits is kept as it is');
select is((select app.branch_defaults_within_limits(b, :'org') from app.workflow_chat_branches b
            where b.branch_type = 'fixed' limit 1), '{}'::jsonb, 'a fixed branch has no defaults to fit');

select * from finish();
rollback;
