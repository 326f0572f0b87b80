-- Workflow types are defined once (app.workflow_types): the workflows table references it
-- and the queue's `types` filter accepts exactly its keys, so a type added there is
-- accepted by both and a value not there is refused by both; a type in use cannot be removed.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

select is((select contype::text from pg_constraint where conname = 'workflows_type_is_known'), 'f',
  'the workflows'' type is a foreign key to the lookup, not a list of its own');
select is((select count(*)::int from app.workflow_types t where t.sort <> app.workflow_type_rank(t.key)), 0,
  'the lookup''s order is the queue''s tie-break order');
select is(app.lookup_keys('workflow_type'), array['renewal', 'strategic', 'opportunity', 'risk', 'custom'],
  'app.lookups lists the workflow types in that order');

-- Not known yet: refused by the table and by the queue filter (with the known keys in the hint).
select throws_ok($$update app.workflows set workflow_type = 'expansion' where key = 'health-check' and org_id is null$$,
  '23503', null, 'a workflow of an unknown type is refused');
select tests.authenticate_as('e_csm');
select throws_ok($$select public.get_workflow_queue(filters => '{"types": ["expansion"]}')$$,
  '22023', 'filters.types has an unknown value "expansion"', 'the queue filter refuses an unknown type');
select tests.clear_authentication();

-- One insert adds it to both.
insert into app.workflow_types (key, label, sort) values ('expansion', 'Expansion', 6);
select lives_ok($$update app.workflows set workflow_type = 'expansion' where key = 'health-check' and org_id is null$$,
  'a workflow may have the new type');
select tests.authenticate_as('e_csm');
select lives_ok($$select public.get_workflow_queue(filters => '{"types": ["expansion"]}')$$, 'the queue filter accepts it');
select ok(app.lookup_entries('workflow_type') @> '[{"key": "expansion", "label": "Expansion"}]', 'and lists it with its label');
select tests.clear_authentication();

select tests.authenticate_as('e_csm');
select throws_ok($$select public.get_workflow_queue(filters => '{"types": ["expansion", "upsell"]}')$$,
  '22023', 'filters.types has an unknown value "upsell"', 'a value still not in the lookup is still refused');
select tests.clear_authentication();
select throws_ok($$delete from app.workflow_types where key = 'expansion'$$, '23503', null, 'a type in use cannot be removed');
select throws_ok($$insert into app.workflow_types (key, label, sort) values ('Bad Key', 'Bad', 7)$$, '23514', null,
  'keys are snake_case, as every lookup''s');

select * from finish();
rollback;
