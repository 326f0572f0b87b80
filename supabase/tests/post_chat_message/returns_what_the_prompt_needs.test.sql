-- One round trip: a new post returns, with the stored pair, what the model needs — the
-- recorded LLM context, the earlier turns, and the customer's history passages (the best
-- matches of the question for a rag thread, the latest contacts for every thread) — all
-- from the caller's own organisation. A replay returns no prompt (the model is not called).
begin;
select plan(8);
select tests.create_rls_world();
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description)
values (tests.org_id('Org A'), tests.row_id('customers', 'a'), 'call', now() - interval '3 days', 'Pricing call', 'Discussed the discount for a two-year term'),
       (tests.org_id('Org A'), tests.row_id('customers', 'a'), 'meeting', now() - interval '1 day', 'Weekly sync', 'Onboarding of new team'),
       (tests.org_id('Org A'), tests.row_id('customers', 'a'), 'meeting', now() + interval '5 days', 'Future QBR', 'Scheduled'),
       (tests.org_id('Org B'), tests.row_id('customers', 'b'), 'call', now(), 'Bolt discount', 'Bolt discount talk');
update app.workflow_chat_threads set thread_type = 'rag' where id = tests.row_id('workflow_chat_threads', 'mine');

select tests.authenticate_as('csm_a');
create temp table p as
select public.post_chat_message(tests.row_id('workflow_chat_threads', 'mine'), 'What did we say about the discount?', 'q-1') as r;

select is((select r #>> '{prompt,thread_type}' from p), 'rag', 'the prompt says the thread type');
select is((select r #>> '{prompt,llm_context,system_prompt}' from p), 'You help CSMs.', 'with the recorded system prompt');
select is((select r #> '{prompt,history}' from p), '[{"role": "user", "content": "Hello"}]'::jsonb, 'and the earlier turns only');
select is((select r #>> '{prompt,passages,0,title}' from p), 'Pricing call', 'the best match of the question comes first');
select is((select r #>> '{prompt,passages,0,matched}' from p), 'true', 'marked as matched');
select is((select array_agg(x ->> 'title') from p, jsonb_array_elements(r #> '{prompt,passages}') x where x ->> 'matched' = 'false'),
  array['Weekly sync'], 'then the latest contacts that already happened, not repeating a match');
select ok(not exists (select 1 from p, jsonb_array_elements(r #> '{prompt,passages}') x where x ->> 'title' like 'Bolt%'),
  'never another organisation''s history');
select is((select public.post_chat_message(tests.row_id('workflow_chat_threads', 'mine'), 'What did we say about the discount?', 'q-1') -> 'prompt'),
  null, 'a replay carries no prompt');

select * from finish();
rollback;
