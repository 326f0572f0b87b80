-- The history index is kept by triggers: an engagement event is indexed when written,
-- re-indexed when edited and forgotten when deleted; an email only once sent; an artifact
-- once approved (and no longer when the approval is withdrawn); a thread's AI summary as
-- soon as it is stored; app.index_customer_history upserts any other source (contracts).
-- Every look at the index is held to this test's customer: the database it runs on may hold
-- other passages (a contract the contract tests indexed, a demo note of the same title).
begin;
select plan(12);
select tests.create_rls_world();

create temp table ids as
select tests.row_id('customers', 'a') as cust, tests.row_id('workflow_executions', 'mine') as exec,
       tests.row_id('workflow_chat_threads', 'mine') as thread, tests.org_id('Org A') as org;
grant select on ids to authenticated;

insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description)
select org, cust, 'call', now() - interval '2 days', 'Pricing call', 'They pushed back on the seat price' from ids;

select is((select count(*)::int from app.customer_history_passages h, ids
            where h.customer_id = ids.cust and h.source_kind = 'engagement' and h.search @@ to_tsquery('english', 'price')), 1,
  'a new engagement event is indexed with its text');

update app.engagement_events e set description = 'They asked about single sign-on' where e.title = 'Pricing call';
select is((select h.body from app.customer_history_passages h, ids where h.customer_id = ids.cust and h.title = 'Pricing call'),
  'They asked about single sign-on', 'an edited event is re-indexed');

delete from app.engagement_events e where e.title = 'Pricing call';
select is_empty($$ select 1 from app.customer_history_passages h, ids where h.customer_id = ids.cust and h.title = 'Pricing call' $$,
  'a deleted event is forgotten');

insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text, status)
select org, exec, array['cfo@acme.example'], 'Renewal terms', 'Here are the proposed renewal terms', 'queued' from ids;
select is_empty($$ select 1 from app.customer_history_passages h, ids where h.customer_id = ids.cust and h.title = 'Renewal terms' $$,
  'a queued email is not history yet');
update app.email_outbox o set status = 'sent', sent_at = now() where o.subject = 'Renewal terms';
select is((select h.source_kind || ':' || (h.customer_id = ids.cust) from app.customer_history_passages h, ids
            where h.org_id = ids.org and h.title = 'Renewal terms'),
  'email:true', 'a sent email is indexed under the workflow''s customer');

insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content)
select org, exec, 'meeting_notes', 'QBR notes', '{"notes": "Champion is leaving in March", "items": ["budget freeze"]}' from ids;
select is_empty($$ select 1 from app.customer_history_passages h, ids where h.customer_id = ids.cust and h.title = 'QBR notes' $$,
  'an unapproved artifact is not indexed');
update app.workflow_task_artifacts a set approved_at = now() where a.title = 'QBR notes';
select ok((select h.search @@ to_tsquery('english', 'champion & budget') from app.customer_history_passages h, ids
           where h.customer_id = ids.cust and h.title = 'QBR notes'),
  'an approved artifact is indexed with every text of its content');
update app.workflow_task_artifacts a set approved_at = null where a.title = 'QBR notes';
select is_empty($$ select 1 from app.customer_history_passages h, ids where h.customer_id = ids.cust and h.title = 'QBR notes' $$,
  'withdrawing the approval removes it');

insert into app.workflow_task_artifacts (org_id, execution_id, thread_id, artifact_type, title, content, generated_by)
select org, exec, thread, 'summary', 'Chat summary', '{"text": "Decided to offer a two-year term"}', 'ai' from ids;
select is((select h.source_kind from app.customer_history_passages h, ids where h.customer_id = ids.cust and h.title = 'Chat summary'), 'thread_summary',
  'a thread summary is history as soon as it is stored');

select lives_ok($$ select app.index_customer_history(ids.org, ids.cust, 'contract', gen_random_uuid(), now(), 'MSA 2026',
                                                     'Either party may terminate with 90 days notice') from ids $$,
  'index_customer_history upserts a contract passage');
select is((select count(*)::int from app.customer_history_passages h, ids where h.customer_id = ids.cust and h.source_kind = 'contract'), 1,
  'one contract passage, the customer''s');

select tests.authenticate_as('csm_a');
select throws_ok($$ select app.index_customer_history(ids.org, ids.cust, 'contract', gen_random_uuid(), now(), 'x', 'y') from ids $$,
  '42501', null, 'a signed-in person cannot write the index directly');

select * from finish();
rollback;
